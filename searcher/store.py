"""The read side of the index: open it, read its manifest, list its sections.

Kept apart from the indexer so that searching never imports the ingest stack
(BeautifulSoup and the cleaners).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from searcher.errors import IndexDamaged, IndexEmpty, IndexMissing, SearcherError
from searcher.faults import pause
from searcher.manifest import MANIFEST, load_manifest
from searcher.models import Section
from searcher.stored import from_stored
from searcher.trust import INDEX_PREFIXES, check_trusted
from searcher.whoosh_compat import INDEX_NAME, Snapshot, has_segments, latest_generation, open_reader

T = TypeVar("T")


def damaged_error(index_dir: Path, err: Exception | str) -> IndexDamaged:
    what = err if isinstance(err, str) else f"{type(err).__name__}: {err}"
    return IndexDamaged(
        f"index at {index_dir} is damaged ({what}); rebuild it with: searcher index --rebuild --index {index_dir}"
    )


def check_index_folder(index_dir: Path) -> None:
    """Refuse a folder that holds files but is no searcher index: the index is never written among documents."""
    try:
        names = [n for n in os.listdir(index_dir) if not n.startswith(".")]
    except OSError:
        return  # missing (it will be made) or unreadable (the caller says so)
    if names and not any(n.startswith(INDEX_PREFIXES) or n.startswith(MANIFEST) for n in names):
        raise SearcherError(
            f"{index_dir} is not a searcher index (it holds other files); name a new or empty folder with --index"
        )


def _missing(index_dir: Path) -> IndexMissing:
    return IndexMissing(f"no index at {index_dir}; build one with: searcher index --index {index_dir} PATH")


def _empty(index_dir: Path) -> IndexEmpty:
    if load_manifest(index_dir).roots:  # an interrupted first run: its roots are recorded
        return IndexEmpty(f"index at {index_dir} is empty; fill it with: searcher index --index {index_dir}")
    return IndexEmpty(f"index at {index_dir} is empty; fill it with: searcher index --index {index_dir} PATH")


def read_last_commit(index_dir: Path, read: Callable[[FileStorage, TOC], T]) -> T:
    """``read(storage, toc)`` of the newest commit of the index at ``index_dir``.

    A commit by another process may replace that state while it is being
    read: then the new one is read instead.  Anything else that fails is a
    damaged index.  There being no commit at all is a missing (or, with
    segment files left, a damaged) index.
    """
    storage = FileStorage(str(index_dir))
    for _ in range(20):
        generation = latest_generation(storage)
        if generation < 0:
            if has_segments(storage):
                raise damaged_error(index_dir, "its table of contents is missing")
            check_index_folder(index_dir)
            raise _missing(index_dir)
        pause("open")
        try:
            return read(storage, TOC.read(storage, INDEX_NAME, generation))
        except Exception as err:  # a damaged file surfaces as many types
            if latest_generation(storage) != generation:
                continue  # a commit replaced it meanwhile: read the new state
            raise damaged_error(index_dir, err) from None
    raise damaged_error(index_dir, "it changed under every attempt to open it")


def open_index(index_dir: Path, allow_empty: bool = False) -> windex.Index:
    """The last committed state of the index, or IndexMissing/IndexDamaged/IndexEmpty/UntrustedIndex.

    Every segment is opened and checked here, so a truncated or missing file
    is reported as a damaged index before any search begins.  Nothing is
    read from a folder another user could have written.
    """
    if not index_dir.is_dir():
        raise _missing(index_dir)
    check_trusted(index_dir)
    storage, toc, reader = read_last_commit(index_dir, lambda st, toc: (st, toc, open_reader(st, toc)))
    try:
        count = reader.doc_count()
        pause("opened")
    except Exception as err:
        reader.close()
        raise damaged_error(index_dir, err) from None
    if count == 0 and not allow_empty:
        reader.close()
        raise _empty(index_dir)
    return Snapshot(storage, toc, reader)


def iter_sections(index_dir: Path, doc: str | None = None) -> Iterator[Section]:
    """Every stored section, by document and line; with ``doc``, of the documents
    it names (any path to one, its name, a folder holding it, or a glob)."""
    from searcher.docmatch import DocMatcher, DocRef

    match = DocMatcher(doc) if doc else None
    ix = open_index(index_dir)
    with ix.searcher() as s:
        rows = [dict(f) for f in s.all_stored_fields()]
    rows.sort(key=lambda r: (r.get("file", ""), r["doc"], r["line_start"], r["id"]))
    for r in rows:
        section = from_stored(r)
        if match is None or match(DocRef(section.path, section.root, section.doc)):
            yield section
