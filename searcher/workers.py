"""The parser pool: files to sections in worker processes, the writer in this one."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from searcher.errors import SkipFile
from searcher.models import Section

PARALLEL_MIN_FILES = 40


@dataclass(frozen=True, slots=True)
class Parsed:
    """One file's outcome: its hash, stat and sections, or (``digest`` None) why it was skipped."""

    key: str
    digest: str | None
    size: int
    mtime: int
    sections: list[Section] | None
    reason: str = ""


def parse_one(item: tuple[str, str, str]) -> Parsed:
    """Worker: (key, path, doc) to :class:`Parsed`.

    A file the parsers choke on is skipped like an unreadable one: one file
    never stops the run.
    """
    key, path, doc = item
    try:
        from searcher.ingest import process_file  # the ingest stack only when a file is read

        digest, st, sections = process_file(Path(path), doc)
        return Parsed(key, digest, st.st_size, st.st_mtime_ns, sections)
    except SkipFile as err:
        return Parsed(key, None, 0, 0, None, str(err))
    except Exception as err:
        reason = " ".join(str(err).split())[:200]
        why = f"{type(err).__name__}{': ' if reason else ''}{reason}"
        return Parsed(key, None, 0, 0, None, f"{doc}: cannot be parsed ({why})")


def _worker_start(lock_fd: int | None) -> None:
    """Parser process set-up: let go of the run's lock; end when the run is gone.

    A forked parser inherits the descriptor of the index lock, and a parser
    whose run was killed would wait for work forever, holding it.
    """
    if lock_fd is not None:
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def parse_all(items: list[tuple[str, str, str]], workers: int, lock=None) -> Iterator[Parsed]:
    """Parse (key, path, doc) items, in worker processes when there are enough of them."""
    if workers <= 1 or len(items) < PARALLEL_MIN_FILES:
        yield from map(parse_one, items)
        return
    forked = multiprocessing.get_start_method() == "fork"
    lock_fd = getattr(lock, "fd", None) if forked else None
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(lock_fd,)) as pool:
        yield from pool.map(parse_one, items, chunksize=4)


def default_workers() -> int:
    """Parser processes beside the writer: one per core.

    The writer needs far less than a core, and on 2 cores two parsers beside
    it ingest 1.9x faster than one process doing both (a third adds nothing).
    """
    return os.cpu_count() or 1
