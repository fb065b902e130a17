"""The index's write lock: one indexing run (or ``forget``) at a time."""

from __future__ import annotations

import os
import time
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from searcher.errors import IndexLocked
from searcher.faults import pause
from searcher.store import INDEX_NAME

LOCK_WAIT_SECONDS = 10.0


def lock_wait_seconds() -> float:
    """How long a run waits for another run's lock: ``$SEARCHER_LOCK_WAIT`` or 10 seconds."""
    try:
        return max(0.0, float(os.environ.get("SEARCHER_LOCK_WAIT") or LOCK_WAIT_SECONDS))
    except ValueError:
        return LOCK_WAIT_SECONDS


def take_lock(index_dir: Path, wait: float):
    """The index's write lock (Whoosh's own, an ``flock`` that dies with its process)."""
    lock = FileStorage(str(index_dir)).lock(f"{INDEX_NAME}_WRITELOCK")
    if lock.acquire():
        return lock
    pause("lock-wait")
    deadline = time.monotonic() + wait
    while not lock.acquire():
        if time.monotonic() >= deadline:
            raise IndexLocked(f"index at {index_dir} is locked by another process")
        time.sleep(0.05)
    return lock
