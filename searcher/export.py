"""Hand-off to a search cluster: every section as JSON Lines or as a ``_bulk`` body, and its mapping.

Export streams: a first pass over the stored records keeps only each one's
sort key (document, line, id, record number), a second reads and writes
them one at a time in that order, so memory does not grow with the
collection's text.  The records' ``id`` is the index's own unique, stable
section id, so loading again after a reindex updates documents in place.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from whoosh.filedb.filestore import FileStorage, OverlayStorage
from whoosh.index import TOC

from searcher.errors import SearcherError
from searcher.manifest import load_manifest
from searcher.read import escape_bidi
from searcher.store import INDEX_NAME, damaged_error, open_index, stored_to_section
from searcher.trust import check_trusted

ENGLISH = {"type": "text", "analyzer": "english"}
KEYWORD = {"type": "keyword"}
# The fields of an exported section and their OpenSearch / Elasticsearch types:
# full text (English analyzer: stop words, possessives, Porter stemming) for
# what people search, keywords for what programs filter on, integer lines.
FIELDS: dict[str, dict] = {
    "id": KEYWORD,
    "doc": KEYWORD,
    "path": KEYWORD,
    "root": KEYWORD,
    "title": ENGLISH,
    "heading": ENGLISH,
    "heading_path": ENGLISH,
    "kind": KEYWORD,
    "therapies": KEYWORD,
    "line_start": {"type": "integer"},
    "line_end": {"type": "integer"},
    "anchor": KEYWORD,
    "text": ENGLISH,
}
DEFAULT_INDEX_NAME = "searcher"
# What OpenSearch and Elasticsearch accept as an index name.
_BAD_NAME = re.compile(r'[\\/*?"<>| ,#:A-Z]')


def mapping() -> dict:
    """The index body for ``PUT /NAME``: a strict mapping of :data:`FIELDS`."""
    return {"mappings": {"dynamic": "strict", "properties": FIELDS}}


def mapping_text() -> str:
    """:func:`mapping` as JSON, one field a line."""
    fields = ",\n".join(f"    {json.dumps(name)}: {json.dumps(spec)}" for name, spec in FIELDS.items())
    return '{"mappings": {"dynamic": "strict", "properties": {\n' + fields + "\n}}}"


def check_index_name(name: str) -> str:
    """``name`` if a cluster would take it as an index name, else :class:`SearcherError`."""
    if not name or _BAD_NAME.search(name) or name[0] in "-_+" or name in (".", "..") or len(name.encode("utf-8")) > 255:
        raise SearcherError(
            f"{name!r} is not a valid index name: lower case, at most 255 bytes, none of "
            '\\ / * ? " < > | space , # :, not starting with - _ +'
        )
    return name


def sections(index_dir: Path) -> Iterator[tuple[dict, dict]]:
    """(stored record, section) for every section, by document and line, one at a time."""
    with _stored_fields(index_dir) as readers:
        order = sorted(
            (r.get("file", ""), r["doc"], r["line_start"], r["id"], i, n)
            for i, rd in enumerate(readers)
            for n, r in rd.iter_docs()
        )
        for *_, i, n in order:
            stored = readers[i].stored_fields(n)
            yield stored, stored_to_section(stored)


@contextlib.contextmanager
def _stored_fields(index_dir: Path) -> Iterator[list]:
    """The stored-fields readers of the last commit's segments, and nothing else of them.

    A full Whoosh reader also loads each segment's term index into memory
    (on the 200 MB tier, 150 MiB resident before one record is read);
    export needs only the stored fields (70 MiB in all).  Damage and a
    commit racing the opening are handled as :func:`open_index` does.
    """
    if not index_dir.is_dir():
        open_index(index_dir)  # raises the usual "no index" error
    check_trusted(index_dir)  # its stored fields are pickles: never from a folder others can write
    storage = FileStorage(str(index_dir))
    for _ in range(20):
        generation = TOC._latest_generation(storage, INDEX_NAME)
        if generation < 0:
            open_index(index_dir)  # no commit: missing or damaged, said the usual way
        readers = []
        try:
            toc = TOC.read(storage, INDEX_NAME, generation)
            for segment in toc.segments:
                files = (
                    OverlayStorage(segment.open_compound_file(storage), storage) if segment.is_compound() else storage
                )
                readers.append(segment.codec().per_document_reader(files, segment))
                readers[-1].doc_count_all()
        except Exception as err:  # a damaged file surfaces as many types
            for r in readers:
                with contextlib.suppress(Exception):
                    r.close()
            if TOC._latest_generation(storage, INDEX_NAME) != generation:
                continue  # a commit replaced it meanwhile: read the new one
            raise damaged_error(index_dir, err) from None
        try:
            if not sum(r.doc_count() for r in readers):
                open_index(index_dir)  # says the index is empty, with the command that fills it
            yield readers
        finally:
            for r in readers:
                with contextlib.suppress(Exception):
                    r.close()
        return
    raise damaged_error(index_dir, "it changed under every attempt to open it")


def records(index_dir: Path) -> Iterator[dict]:
    """Every section with the fields of :data:`FIELDS` (its file's ``path`` and ``root`` too)."""
    roots = {_term(k): e.get("root", "") for k, e in load_manifest(index_dir).files.items()}
    for stored, section in sections(index_dir):
        section.setdefault("path", stored.get("path") or stored.get("file", ""))
        section.setdefault("root", stored.get("root") or roots.get(stored.get("file", ""), ""))
        yield {name: section[name] for name in FIELDS}


def _term(key: str) -> str:
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def jsonl(index_dir: Path) -> Iterator[str]:
    """One section a line, in the shape of ``search --json`` hits."""
    for _, section in sections(index_dir):
        yield escape_bidi(json.dumps(section, ensure_ascii=False))


def bulk(index_dir: Path, index_name: str = DEFAULT_INDEX_NAME) -> Iterator[str]:
    """The NDJSON body of ``POST /_bulk``: an ``index`` action line, then the section, for each."""
    check_index_name(index_name)
    for record in records(index_dir):
        yield escape_bidi(json.dumps({"index": {"_index": index_name, "_id": record["id"]}}, ensure_ascii=False))
        yield escape_bidi(json.dumps(record, ensure_ascii=False))


__all__ = [
    "DEFAULT_INDEX_NAME",
    "FIELDS",
    "bulk",
    "check_index_name",
    "jsonl",
    "mapping",
    "mapping_text",
    "records",
    "sections",
]
