"""Stage 5, index: sections into a Whoosh index, incrementally and atomically.

A run reads as: record the roots -> scan -> plan -> parse -> write -> commit
-> save the manifest.  The manifest remembers, for every file, its content
hash and stat, so a reindex reads only files whose size or mtime moved and
re-indexes only those whose hash changed.  Each run is one writer commit
under the index's write lock: a crash or a kill mid-run leaves the previous
commit readable, and a second run waits for the lock, then says the index is
locked.  The manifest is written after the commit; each run first checks it
against the files the index holds, so if a kill fell between the two, the
files the manifest does not know are dropped and indexed again.  The roots
are recorded before the long work, so an interrupted first run is resumed by
the next ``searcher index``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from searcher.discover import Scan, SourceFile, canonical, scan
from searcher.docmatch import from_here
from searcher.errors import SearcherError
from searcher.faults import pause, pause_in_commit
from searcher.lock import lock_wait_seconds
from searcher.manifest import VERSION, Manifest, load_manifest, save_manifest
from searcher.models import IndexReport
from searcher.plan import Plan, Scope, Stat, make_plan
from searcher.stored import record_term
from searcher.workers import PARALLEL_MIN_FILES, Parsed, default_workers, parse_all
from searcher.writer import IndexWriter, locked, records

__all__ = ["PARALLEL_MIN_FILES", "IndexReport", "update_index"]


@dataclass
class _Run:
    """One run's settings and state, passed between its steps."""

    index_dir: Path
    manifest: Manifest
    targets: list[str]
    rebuild: bool
    only: bool
    warn: Callable[[str], None]
    progress: Callable[[int, int], None] | None
    report: IndexReport = field(default_factory=IndexReport)
    full: bool = False  # the commit replaces every record (CLEAR)
    old: dict[str, dict] = field(default_factory=dict)  # manifest entries the index holds
    stats: dict[str, Stat | str] = field(default_factory=dict)  # found files' stat at scan


def update_index(
    index_dir: Path,
    roots: list[Path] | None = None,
    *,
    rebuild: bool = False,
    only: bool = False,
    globs: list[str] | None = None,
    workers: int | None = None,
    warn: Callable[[str], None] = lambda m: None,
    progress: Callable[[int, int], None] | None = None,
    lock_wait: float | None = None,
) -> IndexReport:
    """Bring the index in line with the files under ``roots`` (default: the roots recorded before).

    ``rebuild`` reads every file of those roots again; ``only`` drops every
    other root; ``globs`` (ripgrep's ``--glob``) replace the globs recorded
    for those roots.  The run holds the index's write lock, waiting up to
    ``lock_wait`` seconds (default :func:`lock_wait_seconds`).  A failed
    write (no room, no permission) leaves the previous commit as it was and
    raises :class:`SearcherError`.  Safe to call again in the same process.
    """
    started = time.perf_counter()
    missing = [str(r) for r in roots or () if not os.path.lexists(r)]
    if missing:  # a mistyped path would otherwise be remembered as a root
        raise SearcherError(f"no such file or folder: {', '.join(missing)}")
    given = list(dict.fromkeys(str(canonical(r)) for r in roots or ()))
    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    with locked(index_dir, wait) as lock:
        run = _start(index_dir, given, rebuild, only, globs, warn, progress)
        _execute(run, workers if workers is not None else default_workers(), lock)
    run.report.seconds = time.perf_counter() - started
    return run.report


def _start(index_dir, given, rebuild, only, globs, warn, progress) -> _Run:
    """Read the manifest and record the run's roots (and globs) in it before the long work."""
    manifest = load_manifest(index_dir, damaged_ok=rebuild and bool(given))
    targets = given or list(manifest.roots)
    if not targets:
        raise SearcherError("nothing to index: name a file or folder")
    changed = bool(set(targets) - set(manifest.roots))
    manifest.roots = list(dict.fromkeys([*manifest.roots, *targets]))
    if globs is not None:
        changed |= any(manifest.globs.get(r, []) != list(globs) for r in targets)
        manifest.globs.update({r: list(globs) for r in targets})
    if changed:
        _save(index_dir, manifest, after_commit=False)
    run = _Run(index_dir, manifest, targets, rebuild, only, warn, progress)
    run.full = (rebuild and (only or set(targets) >= set(manifest.roots))) or (
        manifest.version < VERSION and bool(manifest.files)
    )
    if run.full and not only:  # an index of the old format is redone whole
        run.targets = list(manifest.roots)
    return run


def _execute(run: _Run, workers: int, lock) -> None:
    """Plan, parse, write, commit, save: the run under the lock."""
    with IndexWriter(run.index_dir, damaged_ok=run.rebuild) as writer:
        if writer.recreated:  # a damaged index rebuilt: every root is read again
            run.full, run.targets = True, list(run.manifest.roots)
        elif writer.outdated and not run.full:
            run.warn(f"index at {run.index_dir} was written by another version of searcher: reading every file again")
            run.full = True
            run.targets = run.targets if run.only else list(run.manifest.roots)
        if run.full:
            writer.renew_schema()
        run.old = _known_files(run, writer)
        found = scan(run.targets, run.manifest.globs, run.warn)
        pause("scan")
        run.stats = _stats(found)
        plan = make_plan(run.old, {} if run.full else run.manifest.skipped, found.files, run.stats, _scope(run))
        _apply_plan(run, plan, found, writer)
        _parse_and_write(run, plan, writer, parse_all(_items(plan.todo), workers, lock))
        pause("before-commit")
        pause_in_commit(writer.writer)
        writer.commit(clear=run.full)
    pause("after-commit")
    _finish(run, plan)


def _known_files(run: _Run, writer: IndexWriter) -> dict[str, dict]:
    """Manifest entries the index holds; records the manifest does not know are dropped."""
    if run.full:
        return {}
    old = {k: e for k, e in run.manifest.files.items() if record_term(k) in writer.indexed}
    for term in writer.indexed - {record_term(k) for k in old}:
        writer.delete(term)
    return old


def _scope(run: _Run) -> Scope:
    return Scope(run.targets, redo=run.rebuild, only=run.only or run.full)


def _stats(found: Scan) -> dict[str, Stat | str]:
    stats: dict[str, Stat | str] = {}
    for f in found.files:
        try:
            st = f.path.stat()
            stats[f.key] = (st.st_size, st.st_mtime_ns)
        except OSError as err:
            stats[f.key] = str(err.strerror or err)
    return stats


def _items(todo: list[SourceFile]) -> list[tuple[str, str, str]]:
    return [(f.key, str(f.path), f.doc) for f in todo]


def _apply_plan(run: _Run, plan: Plan, found: Scan, writer: IndexWriter) -> None:
    """Delete what the plan drops; count and warn what it already knows."""
    report = run.report
    for key in plan.delete:
        writer.delete(record_term(key))
    report.unchanged = plan.unchanged
    report.removed = plan.removed
    if run.full:
        report.removed = len(set(run.manifest.files) - {f.key for f in found.files})
    report.skipped = plan.quiet_skips + len(plan.unreadable)
    for key, why in plan.unreadable.items():
        run.warn(f"{key}: cannot read ({why})")
    report.links = [_from_here(k) for k in found.links]
    if run.only:
        report.forgotten = sorted(set(run.manifest.roots) - set(run.targets))


def _from_here(path: str) -> str:
    from searcher.docmatch import from_here
    from searcher.errors import printable

    return printable(from_here(path))


def _parse_and_write(run: _Run, plan: Plan, writer: IndexWriter, results) -> None:
    """Each parsed file into the index: added, changed, unchanged (same hash) or skipped."""
    by_key = {f.key: f for f in plan.todo}
    deleted = set(plan.delete)
    old = {k: e for k, e in run.old.items() if k in by_key and k not in deleted}
    for done, parsed in enumerate(results, 1):
        if run.progress:
            run.progress(done, len(plan.todo))
        if done == 1:
            pause("parse")
        _write_one(run, plan, writer, by_key[parsed.key], parsed, old.get(parsed.key))


def _write_one(run: _Run, plan: Plan, writer: IndexWriter, f: SourceFile, parsed: Parsed, entry) -> None:
    report = run.report
    if parsed.digest is None:
        why = parsed.reason.removeprefix(f.doc) if parsed.reason.startswith(f"{f.doc}:") else f": {parsed.reason}"
        run.warn(f"skipped {from_here(str(f.path))}{why}")  # the path that opens it from here
        report.skipped += 1
        size, mtime = run.stats[f.key]
        plan.skipped[f.key] = {"reason": parsed.reason, "size": size, "mtime": mtime}
        if entry:
            plan.keep[f.key] = entry
        return
    state = {"doc": f.doc, "root": f.root, "hash": parsed.digest, "size": parsed.size, "mtime": parsed.mtime}
    if entry and entry.get("hash") == parsed.digest:
        plan.keep[f.key] = state | {"sections": entry.get("sections", 0)}
        report.unchanged += 1
        return
    if entry:
        writer.delete(record_term(f.key))
        report.changed += 1
    else:
        report.added += 1
    for record in records(parsed.sections or [], f.key, f.root):
        writer.add(record)
    report.sections += len(parsed.sections or [])
    plan.keep[f.key] = state | {"sections": len(parsed.sections or [])}


def _finish(run: _Run, plan: Plan) -> None:
    m = run.manifest
    roots = run.targets if run.only else list(dict.fromkeys([*m.roots, *run.targets]))
    new = Manifest(roots, plan.keep, plan.skipped, {r: g for r, g in m.globs.items() if r in roots}, time.time())
    _save(run.index_dir, new, after_commit=True)


def _save(index_dir: Path, manifest: Manifest, after_commit: bool) -> None:
    try:
        save_manifest(index_dir, manifest)
    except OSError as err:
        if not after_commit:
            raise SearcherError(f"cannot write index at {index_dir}: {err.strerror or err}") from None
        raise SearcherError(
            f"index at {index_dir} is updated, but its file list could not be saved ({err.strerror or err}); "
            "the next run will read those files again"
        ) from None
