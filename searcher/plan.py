"""What an indexing run has to do, decided before anything is read or written.

A pure function of the manifest's entries, the files found and their stat:
which files to parse, which records to delete, which entries carry over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from searcher.discover import SourceFile
from searcher.manifest import owning_root

Stat = tuple[int, int]  # size, mtime in ns


@dataclass
class Plan:
    """The run's work: ``todo`` to parse, ``delete`` records to drop first, entries to keep."""

    todo: list[SourceFile] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    keep: dict[str, dict] = field(default_factory=dict)
    skipped: dict[str, dict] = field(default_factory=dict)
    unchanged: int = 0
    quiet_skips: int = 0  # found, skipped before at this stat: not warned about again
    removed: int = 0
    unreadable: dict[str, str] = field(default_factory=dict)  # key -> why it could not be stat'ed


@dataclass(frozen=True)
class Scope:
    """The roots this run scans, and what happens to the others' entries."""

    roots: list[str]
    redo: bool = False  # parse every file under ``roots`` again (a rebuild)
    only: bool = False  # drop the entries of every other root


def make_plan(
    files: dict[str, dict],
    skipped: dict[str, dict],
    found: Iterable[SourceFile],
    stats: dict[str, Stat | str],
    scope: Scope,
) -> Plan:
    """Compare the manifest's ``files`` and ``skipped`` with the ``found`` files and their ``stats``.

    A file whose size and mtime are those recorded is unchanged; one that was
    skipped at that stat stays skipped, silently; anything else is parsed.
    Entries under the scanned roots that are not found any more are deleted;
    entries of other roots are kept, unless ``scope.only``.
    """
    plan = Plan()
    found = list(found)
    for f in found:
        entry = None if scope.redo else files.get(f.key)
        st = stats.get(f.key, "not found")
        if isinstance(st, str):
            plan.unreadable[f.key] = st
            if f.key in files:
                plan.keep[f.key] = files[f.key]
        elif entry and (entry.get("size"), entry.get("mtime")) == st:
            plan.keep[f.key] = entry
            plan.unchanged += 1
        elif not scope.redo and (skip := skipped.get(f.key)) and (skip.get("size"), skip.get("mtime")) == st:
            plan.skipped[f.key] = skip
            plan.quiet_skips += 1
        else:
            plan.todo.append(f)
    _old_entries(plan, files, skipped, {f.key for f in found}, scope)
    return plan


def _old_entries(plan: Plan, files: dict, skipped: dict, seen: set[str], scope: Scope) -> None:
    """Entries not kept above: deleted (gone, rebuilt, or of a dropped root) or carried over."""
    for key, entry in files.items():
        if key in plan.keep:
            continue
        inside = owning_root(key, scope.roots) is not None
        if key in seen:
            if scope.redo:
                plan.delete.append(key)
        elif inside or scope.only:
            plan.delete.append(key)
            plan.removed += 1
        else:
            plan.keep[key] = entry
    for key, entry in skipped.items():
        if key not in seen and key not in plan.skipped and not scope.only and owning_root(key, scope.roots) is None:
            plan.skipped[key] = entry
