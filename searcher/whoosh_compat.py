"""Every use of Whoosh's private parts, in one place.

Each function here leans on something Whoosh does not promise (a private
method, an attribute of a matcher, a module global).  ``tests/test_whoosh_compat.py``
pins each assumption on the pinned version (whoosh3 in setup.cfg), so an
upgrade that breaks one fails there first.  Nothing here patches Whoosh when
it is imported: the plain-Whoosh baseline of the benchmark runs in the same
process and must see Whoosh as it ships.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from io import BytesIO
from itertools import accumulate

from whoosh.filedb import compound
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage, OverlayStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, FileIndex
from whoosh.query import Or, Query

INDEX_NAME = "MAIN"  # Whoosh's default index name: files _MAIN_<n>.toc and MAIN_<id>.seg


def latest_generation(storage: FileStorage) -> int:
    """The number of the newest table of contents in ``storage``, -1 when there is none."""
    return TOC._latest_generation(storage, INDEX_NAME)


def has_segments(storage: FileStorage) -> bool:
    """True when ``storage`` holds segment files (whatever its tables of contents say)."""
    pattern = TOC._segment_pattern(INDEX_NAME)
    return any(pattern.match(name) for name in storage.list())


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


class ViewFile(BufferFile):
    """Whoosh's ``BufferFile`` reading its memoryview in place."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name, onclose)
        self._buf = buf
        self.file = _View(buf) if isinstance(buf, memoryview) else BytesIO(buf)


_SWAP = threading.RLock()  # one swap at a time: two threads must not restore each other's patch


@contextlib.contextmanager
def _view_files() -> Iterator[None]:
    """``CompoundStorage.open_file`` makes a ``ViewFile`` while this lasts (its module global, restored after)."""
    with _SWAP:
        before = compound.BufferFile
        compound.BufferFile = ViewFile
        try:
            yield
        finally:
            compound.BufferFile = before


class ViewCompoundStorage(CompoundStorage):
    """A segment's compound file whose parts are read in place, also those opened after the reader."""

    def open_file(self, name, *args, **kwargs):
        with _view_files():
            return super().open_file(name, *args, **kwargs)


def open_reader(storage: FileStorage, toc: TOC):
    """A reader of the segments of ``toc``, its compound files read in place (no copies)."""
    with _view_files():
        reader = FileIndex._reader(storage, toc.schema, list(toc.segments), toc.generation)
    for leaf, _ in reader.leaf_readers():
        files = leaf.storage()
        if isinstance(files, OverlayStorage) and type(files.a) is CompoundStorage:
            files.a.__class__ = ViewCompoundStorage  # the columns opened later by a search
    return reader


class Snapshot(FileIndex):
    """The index as of one commit, with its segment files already open.

    A commit by another process deletes the files of the segments it merged
    away; a reader that has them open keeps reading them, so a search sees
    one whole commit and never a missing file.  The first ``reader()`` (and
    so the first ``searcher()``) is the one opened and checked by the caller.
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


def union_matchers(query: Query) -> Query:
    """``query`` with each of its ORs matched by a tree of union matchers.

    For an OR on a small index Whoosh picks a "preloaded array" matcher; it
    costs ~2 ms to set up per OR, and every word of a query is an OR over
    the fields.  Set on the query's own objects, not on the class.
    """
    if isinstance(query, Or):
        query.matcher_type = Or.DEFAULT_MATCHER
    if not query.is_leaf():
        for child in query.children():
            union_matchers(child)
    return query


def block_ids(matcher) -> list[int]:
    """Every id of a posting list, a block at a time where the matcher keeps blocks.

    Whoosh decodes a block's id deltas in a Python generator; ``accumulate``
    does it in C.  Other matchers are read through ``all_ids()``.
    """
    if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block")):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is not None:
            block = matcher._ids
        else:
            if matcher._data is None:
                matcher._read_data()
            block = matcher._data[0] if matcher._byteids else list(accumulate(matcher._data[0]))
        ids.extend(block[matcher._i :] if matcher._i else block)
        matcher._next_block()
    return ids


def before_toc(writer, hook: Callable[[], None]) -> None:
    """Call ``hook`` inside ``writer``'s commit: new segment written, table of contents not yet."""
    commit_toc = writer._commit_toc
    writer._commit_toc = lambda segments: (hook(), commit_toc(segments))
