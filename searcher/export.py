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
from searcher.models import Section
from searcher.render.jsonout import section_json, to_json
from searcher.store import open_index, read_last_commit
from searcher.stored import from_stored, record_term
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


def sections(index_dir: Path) -> Iterator[Section]:
    """Every section, by document and line, one at a time."""
    with _stored_fields(index_dir) as readers:
        order = sorted(
            (r.get("file", ""), r["doc"], r["line_start"], r["id"], i, n)
            for i, rd in enumerate(readers)
            for n, r in rd.iter_docs()
        )
        for *_, i, n in order:
            yield from_stored(readers[i].stored_fields(n))


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
    readers = read_last_commit(index_dir, _open_stored)
    try:
        if not sum(r.doc_count() for r in readers):
            open_index(index_dir)  # says the index is empty, with the command that fills it
        yield readers
    finally:
        _close(readers)


def _open_stored(storage: FileStorage, toc: TOC) -> list:
    readers = []
    try:
        for segment in toc.segments:
            files = OverlayStorage(segment.open_compound_file(storage), storage) if segment.is_compound() else storage
            readers.append(segment.codec().per_document_reader(files, segment))
            readers[-1].doc_count_all()
    except Exception:
        _close(readers)
        raise
    return readers


def _close(readers: list) -> None:
    for r in readers:
        with contextlib.suppress(Exception):
            r.close()


def records(index_dir: Path) -> Iterator[dict]:
    """Every section with the fields of :data:`FIELDS` (its file's ``path`` and ``root`` too)."""
    roots = {record_term(k): e.get("root", "") for k, e in load_manifest(index_dir).files.items()}
    for section in sections(index_dir):
        section.root = section.root or roots.get(section.path, "")  # an index from before roots were stored
        shape = section_json(section)
        yield {name: shape[name] for name in FIELDS}


def jsonl(index_dir: Path) -> Iterator[str]:
    """One section a line, in the shape of ``search --json`` hits."""
    for section in sections(index_dir):
        yield to_json(section_json(section))


def bulk(index_dir: Path, index_name: str = DEFAULT_INDEX_NAME) -> Iterator[str]:
    """The NDJSON body of ``POST /_bulk``: an ``index`` action line, then the section, for each."""
    check_index_name(index_name)
    for record in records(index_dir):
        yield to_json({"index": {"_index": index_name, "_id": record["id"]}})
        yield to_json(record)


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
