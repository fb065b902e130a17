"""Stage 5, index: sections into a Whoosh index, incrementally and atomically.

A manifest beside the index remembers, for every file, its content hash and
stat, so a reindex reads only files whose size or mtime moved and re-indexes
only those whose hash changed.  Each run is one writer commit under the
index's write lock: a crash or a kill mid-run leaves the previous commit
readable, and a second run waits for the lock, then says the index is
locked.  The manifest is written after the commit; each run first checks it
against the files the index holds, so if a kill fell between the two, the
files the manifest does not know are dropped and indexed again.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import CLEAR

from searcher.errors import IndexDamaged, IndexLocked, IndexMissing, SearcherError, SkipFile, printable
from searcher.models import Section
from searcher.schema import TOKEN, make_schema
from searcher.store import INDEX_NAME, MANIFEST, iter_sections, load_manifest, open_index, stored_to_section
from searcher.store import pause as _pause

LOCK_WAIT_SECONDS = 10.0
PARALLEL_MIN_FILES = 40
# What a folder scan picks up; a file named on the command line is always tried.
TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")


@dataclass
class IndexReport:
    """What one indexing run did, for the summary line."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    sections: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: files added/changed/removed/unchanged/skipped, sections, seconds."""
        return (
            f"{self.added} added, {self.changed} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped; "
            f"{self.sections} section{'' if self.sections == 1 else 's'} indexed in {self.seconds:.2f}s"
        )


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found under a root: where it is and the name the index gives it."""

    key: str
    path: Path
    doc: str
    root: str


def _save_manifest(index_dir: Path, manifest: dict) -> None:
    tmp = index_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=0, sort_keys=True), encoding="utf-8")
    os.replace(tmp, index_dir / MANIFEST)


def scan(roots: Iterable[Path], warn: Callable[[str], None] = lambda m: None) -> list[SourceFile]:
    """Every indexable file under the roots, without following links out of a root."""
    found: dict[str, SourceFile] = {}
    for root in roots:
        root = root.absolute()
        if root.is_file():
            files: Iterable[tuple[Path, Path]] = [(root, root.parent)]
        elif root.is_dir():
            files = ((p, root) for p in _walk(root, warn))
        else:
            warn(f"{root}: no such file or folder")
            continue
        for path, base in files:
            key = str(path)
            if key not in found:
                found[key] = SourceFile(key, path, printable(path.relative_to(base).as_posix()), str(base))
    return sorted(found.values(), key=lambda f: f.key)


def _walk(root: Path, warn: Callable[[str], None]) -> Iterator[Path]:
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: warn(f"{e.filename}: {e.strerror}")):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            path = Path(dirpath, name)
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    warn(f"{path}: broken or looping link, skipped")
                    continue
                if not target.is_relative_to(real_root):
                    warn(f"{path}: link points outside {root}, skipped")
                    continue
            yield path


def _term(key: str) -> str:
    """A file's path as the index stores it: bytes that are not UTF-8 spelled ``\\xNN``."""
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _records(sections: list[Section], key: str) -> Iterator[dict]:
    """Whoosh records of one file's sections.

    The file's vocabulary (for spelling suggestions) rides on its first
    record only, once per word: the same words again on every section
    would cost a third of all indexing time and suggest nothing more.
    """
    vocabulary = " ".join(dict.fromkeys(_WORDS.findall(" ".join(f"{s.heading}\n{s.text}" for s in sections).lower())))
    for i, s in enumerate(sections):
        record = {
            "id": s.id,
            "file": _term(key),
            "doc": s.doc,
            "title": s.title,
            "heading": s.heading,
            "section": " ".join(s.heading_path),
            "heading_path": s.heading_path,
            "kind": s.kind,
            "therapies": ",".join(s.therapies),
            "line_start": s.line_start,
            "line_end": s.line_end,
            "anchor": s.anchor,
            "body": s.text,
        }
        if i == 0:
            record["words"] = vocabulary
        yield record


_WORDS = re.compile(TOKEN)

Result = tuple[str, str | None, tuple[int, int], list[Section] | str]


def _process(item: tuple[str, str, str]) -> Result:
    """Worker: (key, hash or None, (size, mtime), sections or the skip reason).

    A file the parsers choke on is skipped like an unreadable one: one file
    never stops the run.
    """
    key, path, doc = item
    try:
        from searcher.ingest import process_file  # the ingest stack only when a file is read

        digest, st, sections = process_file(Path(path), doc)
        return key, digest, (st.st_size, st.st_mtime_ns), sections
    except SkipFile as err:
        return key, None, (0, 0), str(err)
    except Exception as err:
        reason = " ".join(str(err).split())[:200]
        return key, None, (0, 0), f"{doc}: cannot be parsed ({type(err).__name__}{': ' if reason else ''}{reason})"


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


def _results(todo: list[SourceFile], workers: int, lock=None) -> Iterator[Result]:
    items = [(f.key, str(f.path), f.doc) for f in todo]
    if workers <= 1 or len(items) < PARALLEL_MIN_FILES:
        yield from map(_process, items)
        return
    forked = multiprocessing.get_start_method() == "fork"
    lock_fd = getattr(lock, "fd", None) if forked else None
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start, initargs=(lock_fd,)) as pool:
        yield from pool.map(_process, items, chunksize=4)


def default_workers() -> int:
    """Parser processes beside the writer: one per core.

    The writer needs far less than a core, and on 2 cores two parsers beside
    it ingest 1.9x faster than one process doing both (a third adds nothing).
    """
    return os.cpu_count() or 1


def lock_wait_seconds() -> float:
    """How long a run waits for another run's lock: ``$SEARCHER_LOCK_WAIT`` or 10 seconds."""
    try:
        return max(0.0, float(os.environ.get("SEARCHER_LOCK_WAIT") or LOCK_WAIT_SECONDS))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _take_lock(index_dir: Path, wait: float):
    """The index's write lock (Whoosh's own, an ``flock`` that dies with its process)."""
    lock = FileStorage(str(index_dir)).lock(f"{INDEX_NAME}_WRITELOCK")
    if lock.acquire():
        return lock
    _pause("lock-wait")
    deadline = time.monotonic() + wait
    while not lock.acquire():
        if time.monotonic() >= deadline:
            raise IndexLocked(f"index at {index_dir} is locked by another process")
        time.sleep(0.05)
    return lock


def _indexed_files(index_dir: Path, rebuild: bool) -> set[str]:
    """The file terms of the last commit; creates the index if there is none.

    A damaged index stops the run, unless it is a rebuild: then it starts
    afresh.
    """
    try:
        snapshot = open_index(index_dir)
    except IndexMissing:
        windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)
        return set()
    except IndexDamaged:
        if not rebuild:
            raise
        windex.create_in(str(index_dir), make_schema(), indexname=INDEX_NAME)
        return set()
    with snapshot.reader() as reader:
        return {t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("file")}


def update_index(
    index_dir: Path,
    roots: list[Path] | None = None,
    *,
    rebuild: bool = False,
    workers: int | None = None,
    warn: Callable[[str], None] = lambda m: None,
    progress: Callable[[int, int], None] | None = None,
    lock_wait: float | None = None,
) -> IndexReport:
    """Bring the index in line with the files under ``roots`` (default: the roots used before).

    The run holds the index's write lock from before it reads the manifest
    to after it saves it, waiting up to ``lock_wait`` seconds (default
    :func:`lock_wait_seconds`) for another run to finish.  The manifest is
    checked against the files the index holds, so a run killed between its
    commit and its manifest leaves nothing twice and nothing behind.  A
    failed write (no room, no permission) leaves the previous commit as it
    was and raises :class:`SearcherError`.
    """
    started = time.perf_counter()
    report = IndexReport()
    missing = [str(r) for r in roots or () if not os.path.lexists(r)]
    if missing:  # a mistyped path would otherwise be remembered as a root
        raise SearcherError(f"no such file or folder: {', '.join(missing)}")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SearcherError(f"cannot create index folder {index_dir}: {err.strerror or err}") from None
    if not os.access(index_dir, os.W_OK):
        raise SearcherError(f"cannot write to index folder {index_dir}: permission denied")
    try:
        lock = _take_lock(index_dir, lock_wait_seconds() if lock_wait is None else lock_wait)
    except OSError as err:
        raise _write_error(index_dir, err) from None
    try:
        return _update_locked(index_dir, roots, rebuild, workers, warn, progress, report, started, lock)
    finally:
        lock.release()


def _write_error(index_dir: Path, err: OSError) -> SearcherError:
    return SearcherError(f"cannot write index at {index_dir}: {err.strerror or err}; the previous index is unchanged")


def _in_index(index_dir: Path, err: OSError) -> bool:
    """True for an error writing the index (a write error may name no file)."""
    if not err.filename:
        return True
    return Path(os.fsdecode(err.filename)).absolute().is_relative_to(index_dir.absolute())


def _update_locked(index_dir, roots, rebuild, workers, warn, progress, report, started, lock) -> IndexReport:
    manifest = load_manifest(index_dir)
    roots = [Path(r).absolute() for r in (roots or [Path(r) for r in manifest["roots"]])]
    if not roots:
        raise SearcherError("nothing to index: name a file or folder")
    try:
        indexed = _indexed_files(index_dir, rebuild)
        writer = windex.open_dir(str(index_dir), indexname=INDEX_NAME).writer(_lk=False, limitmb=128)
    except OSError as err:
        if not _in_index(index_dir, err):
            raise
        raise _write_error(index_dir, err) from None

    try:
        if rebuild:
            old_files: dict[str, dict] = {}
        else:
            # Entries the index does not hold are redone; records the manifest
            # does not know (a kill after a commit) are dropped and redone.
            old_files = {k: e for k, e in manifest["files"].items() if _term(k) in indexed}
            for term in indexed - {_term(k) for k in old_files}:
                writer.delete_by_term("file", term)
        files = scan(roots, warn)
        _pause("scan")
        new_files: dict[str, dict] = {}
        todo: list[SourceFile] = []
        for f in files:
            entry = old_files.get(f.key)
            try:
                st = f.path.stat()
            except OSError as err:
                warn(f"{f.path}: cannot read ({err.strerror or err})")
                report.skipped += 1
                if entry:
                    new_files[f.key] = entry
                continue
            if entry and entry.get("size") == st.st_size and entry.get("mtime") == st.st_mtime_ns:
                new_files[f.key] = entry
                report.unchanged += 1
            else:
                todo.append(f)
        by_key = {f.key: f for f in todo}
        under_roots = {f.key for f in files}
        for key in old_files:
            if key not in under_roots and key not in new_files:
                if _root_of(key, roots) is not None:
                    writer.delete_by_term("file", _term(key))
                    report.removed += 1
                else:
                    new_files[key] = old_files[key]

        done = 0
        results = _results(todo, workers if workers is not None else default_workers(), lock)
        for key, digest, (size, mtime), result in results:
            f = by_key[key]
            entry = old_files.get(key)
            done += 1
            if progress:
                progress(done, len(todo))
            if done == 1:
                _pause("parse")
            if digest is None:
                warn(f"skipped {result}")
                report.skipped += 1
                if entry:
                    new_files[key] = entry
                continue
            state = {"doc": f.doc, "root": f.root, "hash": digest, "size": size, "mtime": mtime}
            if entry and entry.get("hash") == digest:
                new_files[key] = state | {"sections": entry.get("sections", 0)}
                report.unchanged += 1
                continue
            if entry:
                writer.delete_by_term("file", _term(key))
                report.changed += 1
            else:
                report.added += 1
            assert isinstance(result, list)
            for record in _records(result, key):
                writer.add_document(**record)
            report.sections += len(result)
            new_files[key] = state | {"sections": len(result)}
        _pause("before-commit")
        if os.environ.get("SEARCHER_TEST_PAUSE") == "in-commit":
            commit_toc = writer._commit_toc
            writer._commit_toc = lambda segments: (_pause("in-commit"), commit_toc(segments))
        writer.commit(mergetype=CLEAR) if rebuild else writer.commit()
    except BaseException as err:
        if not writer.is_closed:  # a failed commit has closed the writer already
            with contextlib.suppress(Exception):
                writer.cancel()
        if isinstance(err, OSError) and _in_index(index_dir, err):
            raise _write_error(index_dir, err) from None
        raise
    _pause("after-commit")
    given = {str(r) for r in roots}
    try:
        _save_manifest(
            index_dir, {"roots": sorted(given if rebuild else given | set(manifest["roots"])), "files": new_files}
        )
    except OSError as err:
        raise SearcherError(
            f"index at {index_dir} is updated, but its file list could not be saved ({err.strerror or err}); "
            "the next run will read those files again"
        ) from None
    report.seconds = time.perf_counter() - started
    return report


def _root_of(key: str, roots: list[Path]) -> Path | None:
    for r in roots:
        if key == str(r) or key.startswith(str(r).rstrip(os.sep) + os.sep):
            return r
    return None


__all__ = ["IndexReport", "iter_sections", "load_manifest", "open_index", "stored_to_section", "update_index"]
