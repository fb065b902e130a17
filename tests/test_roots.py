"""Paths, roots and ids through the real CLI: folders outside the current one,
two roots with the same names, a symlinked root, links inside a root, and every
way of naming a document."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def place(tmp_path, monkeypatch):
    """``here`` (the current folder, holding ``here/local``) and two roots elsewhere, a and b, both with notes.txt."""
    here = tmp_path / "here"
    write(here / "local" / "guide.md", "Local Guide\n\nlocalword sharedword near here.\n")
    a, b = tmp_path / "elsewhere" / "a", tmp_path / "elsewhere" / "b"
    write(a / "notes.txt", "Notes of A\n\nsharedword from the first folder.\n")
    write(b / "notes.txt", "Notes of B\n\nsharedword from the second folder.\n")
    write(a / "sub" / "deep.txt", "Deep Page\n\ndeepword inside a sub folder.\n")
    monkeypatch.chdir(here)
    return here, a, b


def hits(cli, *args) -> list[dict]:
    result = cli("search", "--json", "--index", "ix", *args)
    assert result.exit_code in (0, 1), result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert result.exit_code == (0 if hits else 1)  # 0 when something matched, 1 when nothing did
    return hits


def test_paths_open_from_here_and_json_gives_path_and_root(cli, place) -> None:
    here, a, b = place
    assert cli("index", "local", "../elsewhere/a", str(b), "--index", "ix").exit_code == 0
    human = cli("search", "--index", "ix", "-n", "10", "sharedword").stdout
    # grouped output: each document's "path: title" line, its hits indented below
    headers = sorted(line.split(": ")[0] for line in human.splitlines()[:-1] if line and not line.startswith(" "))
    assert headers == sorted(["local/guide.md", str(a / "notes.txt"), str(b / "notes.txt")])
    for header in headers:  # each opens from here
        assert Path(header).is_file()
    found = {h["path"]: h for h in hits(cli, "sharedword")}
    assert set(found) == {str(here / "local" / "guide.md"), str(a / "notes.txt"), str(b / "notes.txt")}
    assert found[str(a / "notes.txt")]["root"] == str(a) and found[str(a / "notes.txt")]["doc"] == "notes.txt"
    outline = cli("sections", "--index", "ix").stdout
    assert f"{a / 'notes.txt'}: Notes of A" in outline and "local/guide.md: Local Guide" in outline
    rows = [json.loads(line) for line in cli("export", "--index", "ix").stdout.splitlines()]
    assert all(Path(r["path"]).is_file() and r["path"] == os.path.join(r["root"], r["doc"]) for r in rows)


def test_ids_are_unique_across_roots_and_stable(cli, place) -> None:
    _, a, b = place
    assert cli("index", str(a), str(b), "--index", "ix").exit_code == 0

    def ids() -> dict[str, str]:
        rows = [json.loads(line) for line in cli("export", "--index", "ix").stdout.splitlines()]
        assert len({r["id"] for r in rows}) == len(rows)
        return {r["path"]: r["id"] for r in rows}

    first = ids()
    assert first[str(a / "notes.txt")] != first[str(b / "notes.txt")]
    notes = a / "notes.txt"
    notes.write_text(notes.read_text() + "\nmore sharedword text.\n")
    assert cli("index", "--index", "ix").exit_code == 0
    assert ids() == first
    assert cli("index", "--rebuild", "--index", "ix").exit_code == 0
    assert ids() == first


def test_one_folder_is_one_root_however_named(cli, place, tmp_path) -> None:
    _, a, _ = place
    link = tmp_path / "link-to-a"
    link.symlink_to(a)
    for name in ("../elsewhere/a", str(a), str(link), str(a) + "/"):
        result = cli("index", name, "--index", "ix")
        assert result.exit_code == 0, result.stderr
    status = json.loads(cli("status", "--json", "--index", "ix").stdout)
    assert [r["root"] for r in status["roots"]] == [str(a)]
    assert [h["path"] for h in hits(cli, "sharedword")] == [str(a / "notes.txt")]


def test_a_link_inside_the_root_is_not_a_second_document(cli, place) -> None:
    _, a, _ = place
    (a / "alias.txt").symlink_to("notes.txt")
    (a / "sub" / "up.txt").symlink_to("../notes.txt")
    result = cli("index", str(a), "--index", "ix")
    assert result.exit_code == 0
    assert "2 links to a file indexed once" in result.stderr and "alias.txt" in result.stderr
    assert result.stderr.startswith("2 added")
    assert [h["path"] for h in hits(cli, "sharedword")] == [str(a / "notes.txt")]


def test_a_link_to_a_file_the_scan_leaves_out_is_indexed_once_by_its_link(cli, place) -> None:
    _, a, _ = place
    write(a / ".hidden.txt", "Hidden Page\n\nhiddenword only here.\n")
    (a / "shown.txt").symlink_to(".hidden.txt")
    assert cli("index", str(a), "--index", "ix").exit_code == 0
    assert [h["doc"] for h in hits(cli, "hiddenword")] == ["shown.txt"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../elsewhere/a/notes.txt", ["a"]),  # path from here
        ("{a}/notes.txt", ["a"]),  # absolute
        ("notes.txt", ["a", "b"]),  # path inside the root, file name
        ("../elsewhere/*/notes.txt", ["a", "b"]),  # glob from here
        ("{b}/*", ["b"]),  # absolute glob
        ("n*s.txt", ["a", "b"]),  # glob on the name
        ("../elsewhere/b", ["b"]),  # a folder holding it
        ("{link}/notes.txt", ["a"]),  # through a link to the root
        ("sub", ["deep"]),  # a folder inside the root
        ("nothing.txt", []),
    ],
)
def test_doc_takes_every_form_the_output_prints(cli, place, tmp_path, name, expected) -> None:
    _, a, b = place
    link = tmp_path / "link-to-a"
    link.symlink_to(a)
    assert cli("index", str(a), str(b), "--index", "ix").exit_code == 0
    name = name.format(a=a, b=b, link=link)
    words = "sharedword OR deepword"
    found = hits(cli, "--doc", name, words)
    got = sorted("deep" if h["doc"] == "sub/deep.txt" else Path(h["root"]).name for h in found)
    assert got == expected
    outline = cli("sections", "--index", "ix", name)
    if expected:
        shown = outline.stdout.count("Notes of") + outline.stdout.count("Deep Page")
        assert outline.exit_code == 0 and shown == 2 * len(expected)  # a document's title line and its section
    else:
        assert outline.exit_code == 2 and "no document matches" in outline.stderr
