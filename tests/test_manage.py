"""Index management through the real CLI on real folders: status, forget,
resuming an interrupted first run, --rebuild and --only, globs and ignore
files, skipped files warned once, empty indexes and foreign folders."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import section_rows
from tests.test_reliability import PausedRun, subprocess_env


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two(tmp_path) -> tuple[Path, Path, Path]:
    """Two roots, a (two files) and b (one), and an index of both."""
    a, b = tmp_path / "a", tmp_path / "b"
    write(a / "one.txt", "One\n\noneword here.\n")
    write(a / "two.md", "Two\n\ntwoword here.\n")
    write(b / "three.txt", "Three\n\nthreeword here.\n")
    return a, b, tmp_path / "ix"


def docs_of(ix: Path) -> list[str]:
    return sorted({s["path"] for s in section_rows(ix)})


def status(cli, ix: Path) -> dict:
    result = cli("status", "--json", "--index", ix)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_status_counts_and_stale_files(cli, two) -> None:
    a, b, ix = two
    assert cli("index", a, b, "--index", ix).exit_code == 0
    st = status(cli, ix)
    assert (st["files"], st["sections"], st["stale"]) == (3, 3, 0) and st["last_run"]
    assert [(r["root"], r["files"], r["sections"]) for r in st["roots"]] == [(str(a), 2, 2), (str(b), 1, 1)]
    write(a / "new.txt", "New\n\nnewword.\n")
    write(a / "one.txt", "One\n\noneword changed, and longer.\n")
    (b / "three.txt").unlink()
    st = status(cli, ix)
    assert st["roots"][0]["stale"] == {"new": [str(a / "new.txt")], "changed": [str(a / "one.txt")], "gone": []}
    assert st["roots"][1]["stale"]["gone"] == [str(b / "three.txt")] and st["stale"] == 3
    human = cli("status", "--index", ix).stdout
    assert f"new: {a / 'new.txt'}" in human and "3 files changed on disk since (stale)" in human
    assert cli("index", "--index", ix).exit_code == 0
    assert status(cli, ix)["stale"] == 0


def test_status_without_an_index(cli, tmp_path) -> None:
    result = cli("status", "--index", tmp_path / "none")
    assert result.exit_code == 2 and "no index at" in result.stderr


def test_forget_one_root_by_any_name(cli, two, tmp_path) -> None:
    a, b, ix = two
    assert cli("index", a, b, "--index", ix).exit_code == 0
    link = tmp_path / "link-to-a"
    link.symlink_to(a)
    done = cli("forget", link, "--index", ix)
    assert done.exit_code == 0 and f"forgot {a}: 2 files, 2 sections removed" in done.stderr
    assert docs_of(ix) == [str(b / "three.txt")]
    assert [r["root"] for r in status(cli, ix)["roots"]] == [str(b)]
    again = cli("index", "--index", ix)  # the forgotten root is not scanned again
    assert again.exit_code == 0 and docs_of(ix) == [str(b / "three.txt")]
    wrong = cli("forget", a, "--index", ix)
    assert wrong.exit_code == 2 and "is not an indexed root" in wrong.stderr and str(b) in wrong.stderr


def test_forget_a_root_whose_folder_is_gone(cli, two, tmp_path, monkeypatch) -> None:
    a, b, ix = two
    assert cli("index", a, b, "--index", ix).exit_code == 0
    for path in b.iterdir():
        path.unlink()
    b.rmdir()
    monkeypatch.chdir(tmp_path)
    assert "the folder is gone" in cli("status", "--index", ix).stdout
    done = cli("forget", "b", "--index", ix)
    assert done.exit_code == 0 and "1 file, 1 section removed" in done.stderr
    assert docs_of(ix) == [str(a / "one.txt"), str(a / "two.md")]


def test_rebuild_keeps_the_other_roots_unless_only(cli, two) -> None:
    a, b, ix = two
    assert cli("index", a, b, "--index", ix).exit_code == 0
    (a / "two.md").unlink()
    rebuilt = cli("index", "--rebuild", a, "--index", ix)
    assert rebuilt.exit_code == 0 and rebuilt.stderr.startswith("1 added, 0 changed, 1 removed")
    assert docs_of(ix) == [str(a / "one.txt"), str(b / "three.txt")]
    only = cli("index", "--rebuild", "--only", b, "--index", ix)
    assert only.exit_code == 0 and only.stderr.startswith("1 added, 0 changed, 1 removed")
    assert f"forgot {a}" in only.stderr
    assert docs_of(ix) == [str(b / "three.txt")] and [r["root"] for r in status(cli, ix)["roots"]] == [str(b)]


def test_only_without_rebuild_drops_the_other_roots(cli, two) -> None:
    a, b, ix = two
    assert cli("index", a, b, "--index", ix).exit_code == 0
    only = cli("index", "--only", a, "--index", ix)
    assert only.exit_code == 0 and only.stderr.startswith("0 added, 0 changed, 1 removed, 2 unchanged")
    assert docs_of(ix) == [str(a / "one.txt"), str(a / "two.md")]
    assert cli("index", "--only", "--index", ix).exit_code == 2


def test_an_interrupted_first_run_is_resumed_not_replaced_by_corpus(cli, tmp_path, monkeypatch) -> None:
    docs = tmp_path / "docs"
    for i in range(3):
        write(docs / f"d{i}.txt", f"Doc {i}\n\nresumeword number {i}.\n")
    here = tmp_path / "here"
    write(here / "corpus" / "c.txt", "Corpus\n\ncorpusword.\n")  # what a plain `searcher index` took before
    ix = tmp_path / "ix"
    run = PausedRun("index", docs, "--index", ix, "--workers", "1", point="parse", env=subprocess_env())
    run.kill()
    monkeypatch.chdir(here)
    empty = cli("search", "--index", ix, "resumeword")
    assert empty.exit_code == 2 and f"is empty; fill it with: searcher index --index {ix}" in empty.stderr
    assert [r["root"] for r in status(cli, ix)["roots"]] == [str(docs)]
    resumed = cli("index", "--index", ix)
    assert resumed.exit_code == 0 and resumed.stderr.startswith("3 added"), resumed.stderr
    assert docs_of(ix) == [str(docs / f"d{i}.txt") for i in range(3)]


@pytest.mark.parametrize("command", [("search", "word"), ("sections",), ("export",)])
def test_an_empty_index_says_so(cli, tmp_path, command) -> None:
    docs = tmp_path / "docs"
    write(docs / "empty.txt", "")
    ix = tmp_path / "ix"
    assert cli("index", docs, "--index", ix).exit_code == 0
    result = cli(*command, "--index", ix)
    assert result.exit_code == 2
    assert result.stderr == f"searcher: index at {ix} is empty; fill it with: searcher index --index {ix}\n"


def test_index_refuses_a_folder_of_other_files(cli, two) -> None:
    a, _, _ = two
    before = sorted(os.listdir(a))
    result = cli("index", a, "--index", a)
    assert result.exit_code == 2 and "is not a searcher index" in result.stderr
    assert sorted(os.listdir(a)) == before
    search = cli("search", "--index", a, "oneword")
    assert search.exit_code == 2 and "is not a searcher index" in search.stderr


def test_gitignore_and_ignore_files_are_honoured(cli, tmp_path) -> None:
    root = tmp_path / "project"
    write(root / "README.md", "Project\n\nkeptword at the top.\n")
    write(root / "build" / "out.txt", "Build\n\nbuildword generated.\n")
    write(root / "pkg.egg-info" / "SOURCES.txt", "Sources\n\neggword listing.\n")
    write(root / "docs" / "guide.md", "Guide\n\nguideword.\n")
    write(root / "docs" / "scratch.md", "Scratch\n\nscratchword.\n")
    write(root / "docs" / "keep.log.txt", "Log\n\nlogword.\n")
    write(root / ".gitignore", "build/\n*.egg-info/\n*.log.txt\n")
    write(root / "docs" / ".ignore", "scratch.md\n!keep.log.txt\n")
    ix = tmp_path / "ix"
    assert cli("index", root, "--index", ix).exit_code == 0
    assert docs_of(ix) == [str(root / p) for p in ("README.md", "docs/guide.md", "docs/keep.log.txt")]


def test_globs_include_exclude_and_are_remembered(cli, tmp_path) -> None:
    root = tmp_path / "notes"
    for name in ("a.md", "b.txt", "drafts/c.md", "drafts/d.txt"):
        write(root / name, f"{name}\n\nglobword in {name}.\n")
    ix = tmp_path / "ix"
    assert cli("index", root, "--index", ix, "--glob", "*.md", "-g", "!drafts/").exit_code == 0
    assert docs_of(ix) == [str(root / "a.md")]
    write(root / "e.md", "E\n\nglobword.\n")
    assert cli("index", "--index", ix).exit_code == 0  # the globs stay with the root
    assert docs_of(ix) == [str(root / "a.md"), str(root / "e.md")]
    assert status(cli, ix)["roots"][0]["globs"] == ["*.md", "!drafts/"]
    # New globs replace the old; the last that matches decides; with an include, only what it names.
    assert cli("index", root, "--index", ix, "--glob", "!*.txt", "--glob", "drafts/d.txt").exit_code == 0
    assert docs_of(ix) == [str(root / "drafts/d.txt")]
    assert cli("index", root, "--index", ix, "--glob", "!drafts/**").exit_code == 0
    assert docs_of(ix) == [str(root / p) for p in ("a.md", "b.txt", "e.md")]


def test_a_skipped_file_is_warned_about_once_until_it_changes(cli, tmp_path) -> None:
    docs = tmp_path / "docs"
    write(docs / "good.txt", "Good\n\ngoodword.\n")
    bad = docs / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    ix = tmp_path / "ix"
    first = cli("index", docs, "--index", ix)
    assert first.exit_code == 0 and first.stderr.count("warning") == 1 and "image.txt" in first.stderr
    second = cli("index", "--index", ix)
    assert second.exit_code == 0 and "warning" not in second.stderr and "1 skipped" in second.stderr
    assert status(cli, ix)["roots"][0]["skipped"][0]["path"] == str(bad)
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    third = cli("index", "--index", ix)
    assert third.stderr.count("warning") == 1 and "image.txt" in third.stderr
    bad.write_text("Fixed\n\nfixedword now text.\n", encoding="utf-8")
    fourth = cli("index", "--index", ix)
    assert "warning" not in fourth.stderr and fourth.stderr.startswith("1 added")


def test_index_json_report_matches_the_summary(cli, two) -> None:
    a, b, ix = two
    first = cli("index", a, b, "--index", ix, "--json")
    assert first.exit_code == 0, first.stderr
    report = json.loads(first.stdout)
    assert (report["added"], report["unchanged"], report["sections"]) == (3, 0, 3)
    assert "3 added" in first.stderr
    write(a / "one.txt", "One\n\noneword changed.\n")
    again = json.loads(cli("index", "--index", ix, "--json").stdout)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 1, 2)
    assert cli("index", a, "--index", ix, "--json", "--watch").exit_code == 2
