"""Writing the index: its folder, its lock, one writer per run, the records of a file.

Every file the index is made of is written with a umask that keeps it from
other users (see :mod:`searcher.trust`): a table of contents someone else
can write is code they can run as whoever searches the index.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex
from whoosh.writing import CLEAR

from searcher.errors import IndexDamaged, IndexMissing, SearcherError
from searcher.format import field_signature, is_current
from searcher.lock import take_lock
from searcher.models import Section
from searcher.schema import TOKEN, make_schema
from searcher.store import INDEX_NAME, check_index_folder, open_index
from searcher.stored import record_term, to_record
from searcher.trust import check_trusted

_WORDS = re.compile(TOKEN)


def records(sections: list[Section], key: str, root: str) -> Iterator[dict]:
    """Whoosh records of one file's sections.

    The file's vocabulary (for spelling suggestions) rides on its first
    record only, once per word: the same words again on every section would
    cost a third of all indexing time and suggest nothing more.
    """
    vocabulary = " ".join(dict.fromkeys(_WORDS.findall(" ".join(f"{s.heading}\n{s.text}" for s in sections).lower())))
    term = record_term(key)
    for i, s in enumerate(sections):
        record = to_record(s, term, root)
        if i == 0:
            record["words"] = vocabulary
        yield record


def write_error(index_dir: Path, err: OSError) -> SearcherError:
    return SearcherError(f"cannot write index at {index_dir}: {err.strerror or err}; the previous index is unchanged")


def _in_index(index_dir: Path, err: OSError) -> bool:
    """True for an error writing the index (a write error may name no file)."""
    if not err.filename:
        return True
    return Path(os.fsdecode(err.filename)).absolute().is_relative_to(index_dir.absolute())


@contextlib.contextmanager
def locked(index_dir: Path, wait: float):
    """The index folder made ready (created, checked) and its write lock held, files private."""
    check_index_folder(index_dir)
    if index_dir.is_dir():
        check_trusted(index_dir)  # before anything is written there
    mask = os.umask(0o022)
    os.umask(mask | 0o022)
    try:
        try:
            index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise SearcherError(f"cannot create index folder {index_dir}: {err.strerror or err}") from None
        if not os.access(index_dir, os.W_OK):
            raise SearcherError(f"cannot write to index folder {index_dir}: permission denied")
        try:
            lock = take_lock(index_dir, wait)
        except OSError as err:
            raise write_error(index_dir, err) from None
        try:
            yield lock
        finally:
            lock.release()
    finally:
        os.umask(mask)


class IndexWriter:
    """One Whoosh writer over the last commit: the files it holds, deletes, adds, one commit.

    Leaving the block without a commit cancels the writer: the previous
    commit stays as it was.  A damaged index stops the run unless
    ``damaged_ok`` (a rebuild): then it starts afresh and ``recreated`` says so.
    """

    def __init__(self, index_dir: Path, damaged_ok: bool = False) -> None:
        self.index_dir, self.damaged_ok = index_dir, damaged_ok
        self.recreated = False
        self.outdated = False  # the index was written with another schema (another analysis)
        self.indexed: set[str] = set()
        self.writer = None

    def __enter__(self) -> IndexWriter:
        try:
            self.indexed = self._indexed_files()
            ix = windex.open_dir(str(self.index_dir), indexname=INDEX_NAME)
            self.writer = ix.writer(_lk=False, limitmb=128)
        except OSError as err:
            if not _in_index(self.index_dir, err):
                raise
            raise write_error(self.index_dir, err) from None
        self.outdated = not is_current(self.writer.schema)
        return self

    def renew_schema(self) -> None:
        """Write with today's schema: for a run that writes every record again (a CLEAR
        commit), so that an index of an older analysis loses it entirely."""
        fresh, schema = make_schema(), self.writer.schema
        for name in list(schema.names()):
            if name not in fresh or field_signature(schema[name]) != field_signature(fresh[name]):
                self.writer.remove_field(name)
        for name, ftype in fresh.items():
            if name not in self.writer.schema:
                self.writer.add_field(name, ftype)

    def _indexed_files(self) -> set[str]:
        """The file terms of the last commit; creates the index if there is none."""
        try:
            snapshot = open_index(self.index_dir, allow_empty=True)
        except IndexMissing:
            windex.create_in(str(self.index_dir), make_schema(), indexname=INDEX_NAME)
            return set()
        except IndexDamaged:
            if not self.damaged_ok:
                raise
            windex.create_in(str(self.index_dir), make_schema(), indexname=INDEX_NAME)
            self.recreated = True
            return set()
        with snapshot.reader() as reader:
            return {t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("file")}

    def delete(self, term: str) -> None:
        """Drop every record of the file stored as ``term``."""
        self.writer.delete_by_term("file", term)

    def add(self, record: dict) -> None:
        self.writer.add_document(**record)

    def commit(self, clear: bool = False) -> None:
        """Commit; ``clear`` replaces every earlier segment (a whole rebuild)."""
        self.writer.commit(mergetype=CLEAR) if clear else self.writer.commit()

    def __exit__(self, kind, err, tb) -> None:
        if err is None:
            return
        if self.writer is not None and not self.writer.is_closed:  # a failed commit has closed it already
            with contextlib.suppress(Exception):
                self.writer.cancel()
        if isinstance(err, OSError) and _in_index(self.index_dir, err):
            raise write_error(self.index_dir, err) from None
