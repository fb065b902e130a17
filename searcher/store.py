"""The read side of the index: open it, read its manifest, list its sections.

Kept apart from the indexer so that searching never imports the ingest stack
(BeautifulSoup and the cleaners).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, FileIndex

from searcher.errors import IndexDamaged, IndexEmpty, IndexMissing, SearcherError
from searcher.faults import pause
from searcher.manifest import MANIFEST, load_manifest
from searcher.trust import INDEX_PREFIXES, check_trusted

INDEX_NAME = "MAIN"  # Whoosh's default index name: files _MAIN_<n>.toc and MAIN_<id>.seg


def damaged_error(index_dir: Path, err: Exception | str) -> IndexDamaged:
    what = err if isinstance(err, str) else f"{type(err).__name__}: {err}"
    return IndexDamaged(
        f"index at {index_dir} is damaged ({what}); rebuild it with: searcher index --rebuild --index {index_dir}"
    )


class Snapshot(FileIndex):
    """The index as of one commit, with its segment files already open.

    A commit by another process deletes the files of the segments it merged
    away; a reader that has them open keeps reading them, so a search sees
    one whole commit and never a missing file.  The first ``reader()`` (and
    so the first ``searcher()``) is the one opened and checked here.
    """

    def __init__(self, storage: FileStorage, toc: TOC, reader) -> None:
        self.storage = storage
        self._schema = None
        self.indexname = INDEX_NAME
        self._toc = toc
        self._opened = reader

    def _read_toc(self) -> TOC:
        return self._toc

    def reader(self, reuse=None):
        if self._opened is not None and reuse is None:
            opened, self._opened = self._opened, None
            return opened
        return super().reader(reuse)


class _View:
    """A read-only file over a memoryview.  Whoosh wraps each part of a
    segment's memory map in ``BytesIO``, which copies it: 28-36 ms to open
    the large benchmark tier, 0.3 ms without the copy."""

    __slots__ = ("buf", "pos")

    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def read(self, n: int | None = -1) -> bytes:
        start, size = self.pos, len(self.buf)
        end = size if n is None or n < 0 else min(start + n, size)
        self.pos = end
        return self.buf[start:end].tobytes()

    def readline(self, limit: int | None = -1) -> bytes:
        start, size = self.pos, len(self.buf)
        stop = size if limit is None or limit < 0 else min(size, start + limit)
        end = start
        while end < stop:  # look in chunks: never copy the rest of the file
            chunk = self.buf[end : min(stop, end + 256)].tobytes()
            i = chunk.find(b"\n")
            if i >= 0:
                end += i + 1
                break
            end += len(chunk)
        self.pos = end
        return self.buf[start:end].tobytes()

    def seek(self, pos: int, whence: int = 0) -> int:
        self.pos = pos if whence == 0 else self.pos + pos if whence == 1 else len(self.buf) + pos
        return self.pos

    def tell(self) -> int:
        return self.pos

    def close(self) -> None:
        pass


class _ViewFile(BufferFile):
    """Whoosh's ``BufferFile`` reading its memoryview in place."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name, onclose)
        self._buf = buf
        if isinstance(buf, memoryview):
            self.file = _View(buf)
        else:
            from io import BytesIO

            self.file = BytesIO(buf)


compound.BufferFile = _ViewFile  # what CompoundStorage.open_file makes for each part


def _has_segments(storage: FileStorage) -> bool:
    pattern = TOC._segment_pattern(INDEX_NAME)
    return any(pattern.match(name) for name in storage.list())


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


def open_index(index_dir: Path, allow_empty: bool = False) -> windex.Index:
    """The last committed state of the index, or IndexMissing/IndexDamaged/IndexEmpty/UntrustedIndex.

    Every segment is opened and checked here, so a truncated or missing file
    is reported as a damaged index before any search begins.  If a commit
    replaces the state being opened, the new one is opened instead.  Nothing
    is read from a folder another user could have written.
    """
    if not index_dir.is_dir():
        raise _missing(index_dir)
    check_trusted(index_dir)
    storage = FileStorage(str(index_dir))
    for _ in range(20):
        generation = TOC._latest_generation(storage, INDEX_NAME)
        if generation < 0:
            if _has_segments(storage):
                raise damaged_error(index_dir, "its table of contents is missing")
            check_index_folder(index_dir)
            raise _missing(index_dir)
        pause("open")
        try:
            toc = TOC.read(storage, INDEX_NAME, generation)
            reader = FileIndex._reader(storage, toc.schema, list(toc.segments), toc.generation)
        except Exception as err:  # a damaged file surfaces as many types
            if TOC._latest_generation(storage, INDEX_NAME) != generation:
                continue  # a commit replaced it meanwhile: open the new state
            raise damaged_error(index_dir, err) from None
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
    raise damaged_error(index_dir, "it changed under every attempt to open it")


def iter_sections(index_dir: Path) -> Iterator[dict]:
    """Every stored section, by document and line: the export format."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        rows = [dict(f) for f in s.all_stored_fields()]
    rows.sort(key=lambda r: (r.get("file", ""), r["doc"], r["line_start"], r["id"]))
    for r in rows:
        yield stored_to_section(r)


def stored_to_section(r: dict) -> dict:
    """A stored Whoosh record in the documented section shape."""
    return {
        "id": r["id"],
        "doc": r["doc"],
        "path": r.get("file", ""),
        "root": r.get("root", ""),
        "title": r.get("title", ""),
        "heading": r.get("heading", ""),
        "heading_path": list(r.get("heading_path") or []),
        "kind": r.get("kind", "body"),
        "therapies": [t for t in (r.get("therapies") or "").split(",") if t],
        "line_start": r["line_start"],
        "line_end": r["line_end"],
        "anchor": r.get("anchor", ""),
        "text": r.get("body", ""),
    }
