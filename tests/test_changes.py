"""What a scan would pick up, asked for one path; and which touched paths matter to the index."""

from __future__ import annotations

from pathlib import Path

from searcher.changes import matters
from searcher.discover import picked_up, scan
from searcher.index import update_index


def make(root: Path) -> Path:
    for rel, text in {
        "keep.txt": "Keep\n\nkeepword.\n",
        ".gitignore": "build/\n*.log.txt\n",
        "sub/.ignore": "private.md\n!run.log.txt\n",
        "sub/notes.md": "# Notes\n\nnoteword.\n",
        "sub/private.md": "# Private\n\nprivateword.\n",
        "sub/run.log.txt": "Log\n\nlogword.\n",
        "run.log.txt": "Log\n\nlogword.\n",
        "build/out.txt": "Out\n\noutword.\n",
        "image.png": "not text",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_picked_up_agrees_with_a_scan(tmp_path) -> None:
    root = make(tmp_path / "docs")
    scanned = {Path(f.key) for f in scan([root]).files}
    every = [p for p in root.rglob("*") if p.is_file()]
    assert {p for p in every if picked_up(root, p)} == scanned
    assert scanned == {root / "keep.txt", root / "sub/notes.md", root / "sub/run.log.txt"}
    assert not picked_up(root, root / "build", is_dir=True) and picked_up(root, root / "sub", is_dir=True)
    assert not picked_up(root, root / "sub/notes.md", ["!sub/**"])
    assert picked_up(root, root / "build/out.txt", ["build/**"])  # a glob overrides the ignore files


def test_touches_matter_only_where_a_scan_looks_or_the_index_holds_files(tmp_path) -> None:
    root = make(tmp_path / "docs")
    ix = tmp_path / "ix"
    update_index(ix, [root], workers=1)
    assert not matters(ix, [root], {str(root / "keep.txt")}, set())  # unchanged since indexed
    (root / "keep.txt").write_text("Keep\n\nkeepword, changed.\n")
    assert matters(ix, [root], {str(root / "keep.txt")}, set())
    (root / "build/new.txt").write_text("New\n\nnewword.\n")
    assert not matters(ix, [root], {str(root / "build/new.txt")}, {str(root / "build")})
    (root / "fresh").mkdir()
    assert matters(ix, [root], set(), {str(root / "fresh")})  # a new folder a scan would look into
    assert matters(ix, [root], set(), {str(root / "sub")})  # the index holds files under it
    assert not matters(ix, [root], {str(root / "image.png")}, set())
