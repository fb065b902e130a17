"""The indexing plan alone: a pure function from manifest entries and a scan to work."""

from __future__ import annotations

from pathlib import Path

from searcher.discover import SourceFile
from searcher.plan import Scope, make_plan

A, B = "/r/a", "/r/b"


def found(*keys: str) -> list[SourceFile]:
    return [SourceFile(k, Path(k), k.rsplit("/", 1)[1], k.rsplit("/", 1)[0]) for k in keys]


def entry(size: int, mtime: int = 1) -> dict:
    return {"size": size, "mtime": mtime, "hash": "h", "sections": 1}


FILES = {f"{A}/same.txt": entry(1), f"{A}/moved.txt": entry(2), f"{A}/gone.txt": entry(3), f"{B}/other.txt": entry(4)}


def test_unchanged_changed_new_and_gone() -> None:
    scan = found(f"{A}/same.txt", f"{A}/moved.txt", f"{A}/new.txt")
    stats = {f"{A}/same.txt": (1, 1), f"{A}/moved.txt": (20, 1), f"{A}/new.txt": (5, 1)}
    plan = make_plan(FILES, {}, scan, stats, Scope([A]))
    assert [f.key for f in plan.todo] == [f"{A}/moved.txt", f"{A}/new.txt"]
    assert plan.delete == [f"{A}/gone.txt"] and plan.removed == 1 and plan.unchanged == 1
    assert set(plan.keep) == {f"{A}/same.txt", f"{B}/other.txt"}  # the other root's entry carries over


def test_rebuild_redoes_its_roots_only() -> None:
    scan = found(f"{A}/same.txt", f"{A}/moved.txt")
    stats = {f"{A}/same.txt": (1, 1), f"{A}/moved.txt": (2, 1)}
    plan = make_plan(FILES, {}, scan, stats, Scope([A], redo=True))
    assert sorted(f.key for f in plan.todo) == [f"{A}/moved.txt", f"{A}/same.txt"]
    assert sorted(plan.delete) == [f"{A}/gone.txt", f"{A}/moved.txt", f"{A}/same.txt"] and plan.removed == 1
    assert set(plan.keep) == {f"{B}/other.txt"}


def test_only_drops_the_other_roots() -> None:
    plan = make_plan(FILES, {}, found(f"{A}/same.txt"), {f"{A}/same.txt": (1, 1)}, Scope([A], only=True))
    assert sorted(plan.delete) == [f"{A}/gone.txt", f"{A}/moved.txt", f"{B}/other.txt"] and plan.removed == 3


def test_a_skipped_file_stays_quiet_until_its_stat_moves() -> None:
    skipped = {f"{A}/bin.txt": {"size": 9, "mtime": 1, "reason": "binary"}}
    quiet = make_plan({}, skipped, found(f"{A}/bin.txt"), {f"{A}/bin.txt": (9, 1)}, Scope([A]))
    assert quiet.todo == [] and quiet.quiet_skips == 1 and quiet.skipped == skipped
    moved = make_plan({}, skipped, found(f"{A}/bin.txt"), {f"{A}/bin.txt": (9, 2)}, Scope([A]))
    assert [f.key for f in moved.todo] == [f"{A}/bin.txt"] and moved.quiet_skips == 0
    gone = make_plan({}, skipped, [], {}, Scope([A]))
    assert gone.skipped == {}
    elsewhere = make_plan({}, skipped, [], {}, Scope([B]))
    assert elsewhere.skipped == skipped


def test_a_file_that_cannot_be_stat_ed_keeps_its_entry() -> None:
    plan = make_plan(FILES, {}, found(f"{A}/same.txt"), {f"{A}/same.txt": "Permission denied"}, Scope([A]))
    assert plan.unreadable == {f"{A}/same.txt": "Permission denied"} and f"{A}/same.txt" in plan.keep
    assert plan.todo == []
