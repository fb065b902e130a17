"""The read side of the index: open it, read its manifest, list its sections.

Kept apart from the indexer so that searching never imports the ingest stack
(BeautifulSoup and the cleaners).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, FileIndex

from searcher.errors import IndexDamaged, IndexMissing

MANIFEST = "searcher-files.json"
INDEX_NAME = "MAIN"  # Whoosh's default index name: files _MAIN_<n>.toc and MAIN_<id>.seg


def pause(point: str) -> None:
    """Test hook: stop at ``point`` when ``SEARCHER_TEST_PAUSE`` names it.

    The process prints ``searcher-test-pause: <point>`` on stderr, then waits
    for a line on stdin, so a test can kill it there, or change files or
    commit to the index and let it go on.  Indexing points: ``lock-wait``
    (another run holds the lock; this one is about to wait), ``scan`` (files
    found, none read), ``parse`` (first file parsed), ``before-commit``,
    ``in-commit`` (new segment written, table of contents not yet),
    ``after-commit`` (manifest not yet saved).  Reading points: ``open`` (the
    newest commit's number known, its table of contents not yet read) and
    ``opened`` (its segments open, nothing read from them yet).
    """
    if os.environ.get("SEARCHER_TEST_PAUSE") == point:
        print(f"searcher-test-pause: {point}", file=sys.stderr, flush=True)
        sys.stdin.readline()


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


def open_index(index_dir: Path) -> windex.Index:
    """The last committed state of the index, or IndexMissing/IndexDamaged.

    Every segment is opened and checked here, so a truncated or missing file
    is reported as a damaged index before any search begins.  If a commit
    replaces the state being opened, the new one is opened instead.
    """
    if not index_dir.is_dir():
        raise IndexMissing(f"no index at {index_dir}; build one with: searcher index --index {index_dir} PATH")
    storage = FileStorage(str(index_dir))
    for _ in range(20):
        generation = TOC._latest_generation(storage, INDEX_NAME)
        if generation < 0:
            if _has_segments(storage):
                raise damaged_error(index_dir, "its table of contents is missing")
            raise IndexMissing(f"no index at {index_dir}; build one with: searcher index --index {index_dir} PATH")
        pause("open")
        try:
            toc = TOC.read(storage, INDEX_NAME, generation)
            reader = FileIndex._reader(storage, toc.schema, list(toc.segments), toc.generation)
        except Exception as err:  # a damaged file surfaces as many types
            if TOC._latest_generation(storage, INDEX_NAME) != generation:
                continue  # a commit replaced it meanwhile: open the new state
            raise damaged_error(index_dir, err) from None
        try:
            reader.doc_count_all()
            pause("opened")
            return Snapshot(storage, toc, reader)
        except Exception as err:
            reader.close()
            raise damaged_error(index_dir, err) from None
    raise damaged_error(index_dir, "it changed under every attempt to open it")


def load_manifest(index_dir: Path) -> dict:
    """The roots and per-file state of the last committed run (empty if none)."""
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"roots": [], "files": {}}


def iter_sections(index_dir: Path) -> Iterator[dict]:
    """Every stored section, by document and line: the export format."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        rows = [dict(f) for f in s.all_stored_fields()]
    rows.sort(key=lambda r: (r["doc"], r["line_start"], r["id"]))
    for r in rows:
        yield stored_to_section(r)


def stored_to_section(r: dict) -> dict:
    """A stored Whoosh record in the documented section shape."""
    return {
        "id": r["id"],
        "doc": r["doc"],
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
