"""Reliability, faults during indexing: kills, concurrent runs, damage, no room.

Every fault is done for real: ``kill -9`` of a ``searcher index`` subprocess
stopped at a known point (``SEARCHER_TEST_PAUSE``), a second real process
on the same index, truncated and deleted index files, a folder without write
permission, a file size limit (``RLIMIT_FSIZE``) standing in for a full disk.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.test_reliability import (
    PausedRun,
    export_rows,
    run_searcher,
    subprocess_env,
    without_permission_override,
)

V1 = {
    "a.txt": "Alpha Notes\n\nalphaword stays in every version.\n\nSecond Part\n\nMore alpha text here.\n",
    "b.txt": "Beta Notes\n\nbetaword is only in the first version.\n",
    "c.html": "<html><body><h1>Delta Page</h1><p>deltaword leaves in the second version.</p></body></html>",
}
V2_CHANGES = {
    "b.txt": "Beta Notes\n\ngammaword took the old word's place in the second version.\n",
    "d.txt": "Epsilon Notes\n\nepsilonword arrives in the second version.\n",
}
V2_GONE = ["c.html"]
LOCKED = "index is locked by another process"
REBUILD = "searcher index --rebuild"


def write_v1(docs: Path, extra: int = 0) -> Path:
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in V1.items():
        (docs / name).write_text(text, encoding="utf-8")
    for i in range(extra):
        (docs / f"extra{i:03d}.txt").write_text(f"Extra {i}\n\nfillerword number {i}.\n", encoding="utf-8")
    return docs


def make_v2(docs: Path) -> None:
    for name, text in V2_CHANGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    for name in V2_GONE:
        (docs / name).unlink()


def clean_rows(docs: Path, tmp_path: Path) -> list[dict]:
    """What a fresh index of ``docs`` holds, from a real ``searcher index``."""
    fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    done = run_searcher("index", docs, "--index", fresh, "--workers", "1")
    assert done.returncode == 0, done.stderr
    return export_rows(fresh)


def found_docs(cli, index_dir: Path, word: str) -> list[str]:
    result = cli("search", "--json", "--index", index_dir, word)
    assert result.exit_code in (0, 1), result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert result.exit_code == (0 if hits else 1)  # 0 when something matched, 1 when nothing did
    return sorted(h["doc"] for h in hits)


def v1_answers(cli, ix: Path) -> None:
    assert found_docs(cli, ix, "alphaword") == ["a.txt"]
    assert found_docs(cli, ix, "betaword") == ["b.txt"]
    assert found_docs(cli, ix, "deltaword") == ["c.html"]
    assert found_docs(cli, ix, "epsilonword") == []


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("searcher: "), stderr
    return lines[0]


@pytest.fixture
def v1(tmp_path) -> tuple[Path, Path, list[dict]]:
    """(docs, index, records): the first version, indexed by a real run."""
    docs, ix = write_v1(tmp_path / "docs"), tmp_path / "index"
    done = run_searcher("index", docs, "--index", ix, "--workers", "1")
    assert done.returncode == 0, done.stderr
    return docs, ix, export_rows(ix)


# kill -9 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "args"),
    [
        ("scan", ()),
        ("parse", ()),
        ("before-commit", ()),
        ("in-commit", ()),
        ("after-commit", ()),
        ("before-commit", ("--rebuild",)),
        ("in-commit", ("--rebuild",)),
        ("after-commit", ("--rebuild",)),
    ],
)
def test_kill_9_keeps_the_previous_index(cli, tmp_path, v1, point, args):
    docs, ix, before = v1
    make_v2(docs)
    after = clean_rows(docs, tmp_path)
    run = PausedRun("index", docs, "--index", ix, "--workers", "1", *args, point=point)
    run.kill()
    if point == "after-commit":
        assert export_rows(ix) == after  # the commit was made; only the file list is behind
    else:
        assert export_rows(ix) == before
        v1_answers(cli, ix)
    again = cli("index", "--index", ix, "--workers", "1")
    assert again.exit_code == 0, again.stderr
    assert export_rows(ix) == after
    assert found_docs(cli, ix, "epsilonword") == ["d.txt"]
    assert found_docs(cli, ix, "deltaword") == []


def test_kill_9_during_parallel_parse(cli, tmp_path):
    docs, ix = write_v1(tmp_path / "docs", extra=60), tmp_path / "index"
    assert cli("index", docs, "--index", ix, "--workers", "1").exit_code == 0
    before = export_rows(ix)
    for i in range(60):
        (docs / f"extra{i:03d}.txt").write_text(f"Extra {i}\n\nfillerword changed {i}.\n", encoding="utf-8")
    make_v2(docs)
    after = clean_rows(docs, tmp_path)
    run = PausedRun("index", docs, "--index", ix, "--workers", "2", point="parse")
    run.kill()  # its parser processes may live on for a moment
    assert export_rows(ix) == before
    again = run_searcher("index", "--index", ix, "--workers", "2", env=subprocess_env(SEARCHER_LOCK_WAIT="30"))
    assert again.returncode == 0, again.stderr
    assert export_rows(ix) == after


# Searching while an index runs ----------------------------------------------------------


@pytest.mark.parametrize("point", ["scan", "before-commit", "in-commit", "after-commit"])
def test_search_during_index_sees_the_last_commit(cli, tmp_path, v1, point):
    docs, ix, before = v1
    make_v2(docs)
    run = PausedRun("index", docs, "--index", ix, "--workers", "1", point=point)
    try:
        if point == "after-commit":
            assert found_docs(cli, ix, "epsilonword") == ["d.txt"]
            assert found_docs(cli, ix, "betaword") == []
        else:
            v1_answers(cli, ix)
            assert export_rows(ix) == before
        for command in (("sections",), ("therapies",), ("export",)):
            assert cli(*command, "--index", ix).exit_code == 0
        status, err = run.resume()
    finally:
        run.close()
    assert status == 0, err
    assert found_docs(cli, ix, "epsilonword") == ["d.txt"]


@pytest.mark.parametrize("point", ["open", "opened"])
def test_search_opening_the_index_while_a_commit_replaces_it(tmp_path, v1, point):
    """A commit lands while the search is between reading the table of
    contents and opening the segments ("open"), or after it opened them
    ("opened"); a rebuild replaces, and deletes, every segment file."""
    docs, ix, _ = v1
    search = PausedRun("search", "--json", "--index", ix, "alphaword", point=point)
    try:
        make_v2(docs)
        rebuilt = run_searcher("index", "--rebuild", "--index", ix, "--workers", "1")
        assert rebuilt.returncode == 0, rebuilt.stderr
        status, err = search.resume()
    finally:
        search.close()
    assert status == 0, err
    assert [h["doc"] for h in json.loads(search.stdout)["hits"]] == ["a.txt"]


STRESS = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from searcher.index import update_index

    docs, ix, rounds = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    for i in range(rounds):
        for n in range(12):
            text = f"Round {i} Note {n}\\n\\nalphaword beside changing words round{i} note{n}.\\n"
            (docs / f"note{n:02d}.txt").write_text(text * (1 + (i + n) % 5))
        update_index(ix, [docs], workers=1)
    """
)


def test_searches_during_many_commits_never_fail(cli, tmp_path, v1):
    docs, ix, _ = v1
    writer = subprocess.Popen(
        [sys.executable, "-c", STRESS, str(docs), str(ix), "40"],
        env=subprocess_env(),
        stderr=subprocess.PIPE,
        text=True,
    )
    searches = 0
    try:
        while writer.poll() is None or searches < 20:
            result = cli("search", "--json", "--index", ix, "-n", "100", "alphaword")
            assert result.exit_code == 0, result.stderr
            hits = json.loads(result.stdout)["hits"]
            assert "a.txt" in {h["doc"] for h in hits}
            outline = cli("sections", "--index", ix, "a.txt")
            assert outline.exit_code == 0, outline.stderr
            searches += 1
    finally:
        _, err = writer.communicate()
    assert writer.returncode == 0, err


# Two runs on one index ------------------------------------------------------------------


def test_second_run_waits_then_says_the_index_is_locked(tmp_path, v1):
    docs, ix, before = v1
    make_v2(docs)
    first = PausedRun("index", docs, "--index", ix, "--workers", "1", point="before-commit")
    try:
        second = run_searcher("index", docs, "--index", ix, env=subprocess_env(SEARCHER_LOCK_WAIT="0.5"))
        assert second.returncode == 2
        assert LOCKED in one_line(second.stderr)
        assert export_rows(ix) == before
        status, err = first.resume()
    finally:
        first.close()
    assert status == 0, err
    assert export_rows(ix) == clean_rows(docs, tmp_path)


def test_lock_of_a_killed_run_does_not_block_the_next(cli, tmp_path, v1):
    docs, ix, _ = v1
    make_v2(docs)
    PausedRun("index", docs, "--index", ix, "--workers", "1", point="before-commit").kill()
    again = run_searcher("index", "--index", ix, env=subprocess_env(SEARCHER_LOCK_WAIT="0.5"))
    assert again.returncode == 0, again.stderr
    assert export_rows(ix) == clean_rows(docs, tmp_path)


def test_a_run_that_waited_for_the_lock_starts_from_the_new_commit(tmp_path, v1):
    docs, ix, _ = v1
    make_v2(docs)
    first = PausedRun("index", docs, "--index", ix, "--workers", "1", point="before-commit")
    second = None
    try:
        env = subprocess_env(SEARCHER_LOCK_WAIT="60")
        second = PausedRun("index", docs, "--index", ix, "--workers", "1", point="lock-wait", env=env)
        second.release()  # it waits for the lock now
        status, err = first.resume()
        assert status == 0, err
        status, err = second.resume()
        assert status == 0, err
        assert err.startswith("0 added, 0 changed, 0 removed, 3 unchanged")
    finally:
        first.close()
        if second:
            second.close()
    assert export_rows(ix) == clean_rows(docs, tmp_path)


# A damaged index ------------------------------------------------------------------------------


def _segments(ix: Path) -> list[Path]:
    return sorted(ix.glob("MAIN_*.seg"))


def _toc(ix: Path) -> Path:
    (toc,) = ix.glob("_MAIN_*.toc")
    return toc


DAMAGE = {
    "segment-cut-in-half": lambda ix: [os.truncate(s, s.stat().st_size // 2) for s in _segments(ix)],
    "segment-short-by-one-byte": lambda ix: [os.truncate(s, s.stat().st_size - 1) for s in _segments(ix)],
    "segment-emptied": lambda ix: [os.truncate(s, 0) for s in _segments(ix)],
    "segment-deleted": lambda ix: [s.unlink() for s in _segments(ix)],
    "toc-cut-short": lambda ix: os.truncate(_toc(ix), 100),
    "toc-deleted": lambda ix: _toc(ix).unlink(),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_says_so_and_how_to_rebuild(cli, tmp_path, v1, damage):
    docs, ix, before = v1
    assert _segments(ix)
    DAMAGE[damage](ix)
    for command in (
        ("search", "alphaword"),
        ("search", "--json", "alphaword"),
        ("export",),
        ("sections",),
        ("sections", "a.txt"),
        ("therapies",),
        ("index",),
        ("index", docs),
    ):
        result = cli(*command, "--index", ix)
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        line = one_line(result.stderr)
        assert "damaged" in line and REBUILD in line, (command, line)
        assert result.stdout == ""
    rebuilt = cli("index", "--rebuild", "--index", ix)
    assert rebuilt.exit_code == 0, rebuilt.stderr
    assert export_rows(ix) == before
    assert found_docs(cli, ix, "alphaword") == ["a.txt"]


# No write permission, no room -------------------------------------------------------------


def test_index_folder_without_write_permission(cli, tmp_path, v1):
    docs, ix, before = v1
    make_v2(docs)
    ix.chmod(0o555)
    try:
        done = run_searcher("index", "--index", ix, preexec_fn=without_permission_override)
        found = run_searcher("search", "--json", "--index", ix, "betaword", preexec_fn=without_permission_override)
    finally:
        ix.chmod(0o755)
    assert done.returncode == 2, done.stderr
    assert str(ix) in one_line(done.stderr)
    assert export_rows(ix) == before
    assert found.returncode == 0, found.stderr
    assert [h["doc"] for h in json.loads(found.stdout)["hits"]] == ["b.txt"]
    again = cli("index", "--index", ix)
    assert again.exit_code == 0 and export_rows(ix) == clean_rows(docs, tmp_path)


def test_index_folder_that_cannot_be_created(tmp_path):
    docs = write_v1(tmp_path / "docs")
    parent = tmp_path / "locked"
    parent.mkdir(mode=0o555)
    try:
        done = run_searcher("index", docs, "--index", parent / "index", preexec_fn=without_permission_override)
    finally:
        parent.chmod(0o755)
    assert done.returncode == 2
    assert str(parent / "index") in one_line(done.stderr)


def _file_size_limit(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.parametrize("limit", [4_000, 60_000, 200_000])
def test_disk_full_leaves_the_previous_index(cli, tmp_path, v1, limit):
    docs, ix, before = v1
    make_v2(docs)
    words = " ".join(f"bulkword{i}" for i in range(40_000))
    (docs / "bulk.txt").write_text(f"Bulk Heading\n\n{words}\n", encoding="utf-8")
    done = run_searcher("index", "--index", ix, "--workers", "1", preexec_fn=_file_size_limit(limit))
    assert done.returncode == 2, done.stderr
    line = one_line(done.stderr)
    assert str(ix) in line
    assert export_rows(ix) == before
    v1_answers(cli, ix)
    again = cli("index", "--index", ix, "--workers", "1")
    assert again.exit_code == 0, again.stderr
    assert export_rows(ix) == clean_rows(docs, tmp_path)


def test_file_list_that_cannot_be_saved_after_the_commit(cli, tmp_path, v1):
    docs, ix, _ = v1
    make_v2(docs)
    (ix / "searcher-files.json.tmp").mkdir()  # where the new file list would be written
    done = run_searcher("index", "--index", ix, "--workers", "1")
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert str(ix) in line and "updated" in line
    assert found_docs(cli, ix, "epsilonword") == ["d.txt"]  # the commit stands
    (ix / "searcher-files.json.tmp").rmdir()
    again = cli("index", "--index", ix, "--workers", "1")
    assert again.exit_code == 0, again.stderr
    assert export_rows(ix) == clean_rows(docs, tmp_path)
