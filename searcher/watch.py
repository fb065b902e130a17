"""Watch mode: keep the index in step with its folders while files change.

The folders are watched with watchdog (inotify on Linux, the platform's own
mechanism elsewhere, polling where there is none or when asked).  Events only
mark paths as touched; after a quiet period (the debounce) the touched paths
are compared with the index's file list, and only if one of them differs
(added, changed, gone) does one incremental :func:`update_index` run, and so
one commit, happen.  A file created and deleted within a burst leaves nothing
to compare and costs no run.  :func:`update_index` takes the index's write
lock per run, so searches and one-off runs work beside the watcher.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from searcher.changes import matters
from searcher.discover import IGNORE_FILES, TEXT_SUFFIXES, canonical
from searcher.errors import IndexDamaged, SearcherError
from searcher.index import update_index
from searcher.manifest import load_manifest
from searcher.render.indexing import run_line

# Touched paths waiting this long without a quiet period are indexed anyway,
# so that a folder that never stops changing is still kept up.
MAX_WAIT_FACTOR = 30
RETRY_MAX_SECONDS = 60.0
_KINDS = frozenset({"created", "deleted", "modified", "moved"})


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that a run in progress unwinds like Ctrl-C."""


@dataclass
class _Root:
    path: Path
    is_file: bool = False
    present: bool = True
    watch: object = None


@dataclass
class _Touched:
    """Paths touched since the last run (guarded by the watcher's condition)."""

    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=set)  # folders that came, went or moved
    folders: bool = False  # a root came back or an ignore file changed: only a full scan knows
    first: float = 0.0
    last: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.files or self.dirs) or self.folders


class Watcher:
    """Watches the roots of one index and runs :func:`update_index` after each burst of changes.

    Use as a context manager: watching starts on entry (so that nothing
    changed during the first run is missed) and :meth:`run` loops until
    Ctrl-C or SIGTERM.
    """

    def __init__(
        self,
        index_dir: Path,
        roots: list[Path] | None = None,
        *,
        debounce: float = 1.0,
        workers: int | None = None,
        poll: bool = False,
        warn: Callable[[str], None] = lambda m: None,
        say: Callable[[str], None] = lambda m: None,
    ) -> None:
        self.index_dir = index_dir.absolute()
        given = roots or [Path(r) for r in load_manifest(index_dir).roots]
        if not given:
            raise SearcherError("nothing to watch: name a file or folder")
        self.roots = [_Root(canonical(r)) for r in given]
        self.debounce = max(0.0, debounce)
        self.workers = workers
        self.poll = poll
        self.warn, self.say = warn, say
        self.touched = _Touched()
        self.cond = threading.Condition()
        self.observer = None
        self.method = ""
        self._previous_handler = None

    # Observing ----------------------------------------------------------------------

    def __enter__(self) -> Watcher:
        if threading.current_thread() is threading.main_thread():  # the first run unwinds on SIGTERM too
            self._previous_handler = signal.signal(signal.SIGTERM, _terminate)
        try:
            self._start_observer()
            for root in self.roots:  # every root known before any is watched: a fallback re-schedules them all
                root.is_file = root.path.is_file()
                root.present = root.path.exists()
            for root in self.roots:
                if root.present and root.watch is None:
                    self._schedule(root)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.observer is not None:
            with contextlib.suppress(Exception):
                self.observer.stop()
                self.observer.join(timeout=5)
        if self._previous_handler is not None:
            signal.signal(signal.SIGTERM, self._previous_handler)
            self._previous_handler = None

    def _start_observer(self) -> None:
        from watchdog.observers.polling import PollingObserver

        if self.poll:
            self.observer, self.method = PollingObserver(timeout=1.0), "polling"
        else:
            from watchdog.observers import Observer

            self.observer = Observer()
            self.method = "polling" if isinstance(self.observer, PollingObserver) else "events"
        self.observer.start()

    def _watch(self, root: _Root) -> None:
        where = str(root.path.parent if root.is_file else root.path)  # a file is watched through its folder
        root.watch = self.observer.schedule(_Handler(self), where, recursive=not root.is_file)

    def _schedule(self, root: _Root) -> None:
        """Watch one root; falls back to polling if the platform's watches run out (inotify limits)."""
        where = str(root.path.parent if root.is_file else root.path)
        try:
            self._watch(root)
        except OSError as err:
            if self.method == "polling":
                raise
            self.warn(f"cannot watch {where} for events ({err.strerror or err}); polling instead")
            with contextlib.suppress(Exception):
                self.observer.stop()
            self.poll = True
            self._start_observer()
            for r in self.roots:
                if r.present and (r.watch is not None or r is root):
                    self._watch(r)

    def _unschedule(self, root: _Root) -> None:
        if root.watch is not None:
            with contextlib.suppress(Exception):
                self.observer.unschedule(root.watch)
            root.watch = None

    def relevant(self, path: str, is_dir: bool) -> bool:
        """Whether a change at ``path`` can change the index: what a scan would pick up."""
        p = Path(path)
        if p == self.index_dir or p.is_relative_to(self.index_dir):
            return False
        for root in self.roots:
            if root.is_file:
                if p == root.path:
                    return True
                continue
            if p == root.path:
                return is_dir
            if p.is_relative_to(root.path):
                *folders, name = p.relative_to(root.path).parts
                if any(part.startswith(".") for part in folders) or (name.startswith(".") and name not in IGNORE_FILES):
                    return False
                return is_dir or name in IGNORE_FILES or name.lower().endswith(TEXT_SUFFIXES)
        return False

    def note(self, path: str, is_dir: bool) -> None:
        """Called from the observer's thread for each relevant change."""
        now = time.monotonic()
        with self.cond:
            if not self.touched:
                self.touched.first = now
            if is_dir:
                self.touched.dirs.add(path)
            elif os.path.basename(path) in IGNORE_FILES:  # what a scan sees may change anywhere below
                self.touched.folders = True
            else:
                self.touched.files.add(path)
            self.touched.last = now
            self.cond.notify()

    # The loop -----------------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> None:
        """Index each burst of changes until ``stop`` is set, Ctrl-C or SIGTERM (:class:`Terminated`)."""
        self._loop(stop or threading.Event())

    def _loop(self, stop: threading.Event) -> None:
        tick = min(0.5, max(0.05, self.debounce / 2))
        retry_at, failures = 0.0, 0
        while not stop.is_set():
            with self.cond:
                self.cond.wait(timeout=tick)
                now = time.monotonic()
                due = bool(self.touched) and (
                    now - self.touched.last >= self.debounce
                    or now - self.touched.first >= max(MAX_WAIT_FACTOR * self.debounce, 30.0)
                )
                if due and now >= retry_at:
                    touched, self.touched = self.touched, _Touched()
                else:
                    touched = None
            self._check_roots()
            if touched is None:
                continue
            try:
                self._run(touched)
                failures = 0
            except IndexDamaged:
                raise
            except SearcherError as err:  # locked for long, no room, no permission: try again later
                failures += 1
                delay = min(RETRY_MAX_SECONDS, max(self.debounce, 1.0) * 2 ** (failures - 1))
                self.warn(f"{err}; trying again in {delay:.0f}s")
                retry_at = time.monotonic() + delay
                with self.cond:  # put the paths back for the next try
                    self.touched.files |= touched.files
                    self.touched.dirs |= touched.dirs
                    self.touched.folders |= touched.folders
                    self.touched.first = self.touched.first or touched.first
                    self.touched.last = self.touched.last or touched.last

    def _check_roots(self) -> None:
        """Report a root that went away (once), and watch it again when it is back."""
        for root in self.roots:
            there = root.path.is_file() if root.is_file else root.path.is_dir()
            if root.present and not there:
                root.present = False
                self._unschedule(root)
                self.warn(
                    f"{root.path}: no longer there; its sections stay in the index, and it is watched for its return"
                )
            elif not root.present and there:
                root.present = True
                self._schedule(root)
                self.say(f"{root.path}: back; watching it again")
                with self.cond:
                    now = time.monotonic()
                    self.touched.folders = True
                    self.touched.first = self.touched.first or now
                    self.touched.last = now

    def _run(self, touched: _Touched) -> None:
        roots = [r.path for r in self.roots if r.present]
        folder_roots = [r.path for r in self.roots if not r.is_file]
        if not roots or not (touched.folders or matters(self.index_dir, folder_roots, touched.files, touched.dirs)):
            return
        report = update_index(self.index_dir, roots, workers=self.workers, warn=self.warn)
        self.say(run_line(report))


def _terminate(signum, frame) -> None:
    raise Terminated()


class _Handler:
    """watchdog's event handler interface: ``dispatch(event)``, called on the observer's thread."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def dispatch(self, event) -> None:
        if event.event_type not in _KINDS:
            return
        if event.event_type == "modified" and event.is_directory:
            return  # a file in it changed: that file has its own event
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                path = os.fsdecode(path)
                if self.watcher.relevant(path, event.is_directory):
                    self.watcher.note(path, event.is_directory)
