"""An index folder someone else could have written is refused, as ssh refuses loose key files.

Whoosh's table of contents is a pickle: reading it runs code.  Each case
changes the modes or owner of a real index folder with os.chmod / os.chown.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from searcher.index import update_index
from tests.test_reliability import run_searcher

COMMANDS = [("search", "alphaword"), ("export",), ("status",), ("sections",), ("index",)]


@pytest.fixture
def ix(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Alpha\n\nalphaword here.\n", encoding="utf-8")
    update_index(tmp_path / "ix", [docs], workers=1)
    return tmp_path / "ix"


def refused(cli, ix: Path, command: tuple[str, ...]) -> str:
    done = cli(*command, "--index", ix)
    lines = done.stderr.splitlines()
    assert done.exit_code == 2 and len(lines) == 1 and lines[0].startswith("searcher: refusing index at"), done.stderr
    assert done.stdout == ""
    return lines[0]


def toc(ix: Path) -> Path:
    (found,) = ix.glob("_MAIN_*.toc")
    return found


@pytest.mark.parametrize("command", COMMANDS)
def test_a_folder_others_can_write_is_refused(cli, ix, command) -> None:
    ix.chmod(0o777)
    line = refused(cli, ix, command)
    assert "the index folder is writable by other users (drwxrwxrwx)" in line
    assert line.endswith(f"fix: chmod -R go-w {ix}")
    ix.chmod(0o755)
    assert cli("search", "--index", ix, "alphaword").exit_code == 0


@pytest.mark.parametrize("mode", [0o664, 0o646])
def test_a_table_of_contents_others_can_write_is_refused(cli, ix, mode) -> None:
    path = toc(ix)
    path.chmod(mode)
    line = refused(cli, ix, ("search", "alphaword"))
    assert f"{path.name} is writable by other users ({stat.filemode(stat.S_IFREG | mode)})" in line
    subprocess.run(["chmod", "-R", "go-w", str(ix)], check=True)  # the fix the message gives
    assert cli("search", "--index", ix, "alphaword").exit_code == 0


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
@pytest.mark.parametrize("what", ["folder", "toc"])
def test_an_index_owned_by_another_user_is_refused(cli, ix, what) -> None:
    target = ix if what == "folder" else toc(ix)
    os.chown(target, 4242, 4242)
    line = refused(cli, ix, ("search", "alphaword"))
    assert "owned by another user (uid 4242)" in line and "sudo chown -R" in line
    os.chown(target, 0, 0)
    assert cli("search", "--index", ix, "alphaword").exit_code == 0


def test_an_index_written_under_a_loose_umask_is_still_private(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Alpha\n\nalphaword here.\n", encoding="utf-8")
    ix = tmp_path / "ix"
    for args in (("index", docs), ("index",), ("index", "--rebuild")):
        done = run_searcher(*args, "--index", ix, preexec_fn=lambda: os.umask(0o002))
        assert done.returncode == 0, done.stderr
    for path in [ix, *ix.iterdir()]:
        assert not path.stat().st_mode & 0o022, path
    assert run_searcher("search", "--index", ix, "alphaword").returncode == 0
