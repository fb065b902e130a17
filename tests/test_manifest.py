"""A damaged file list (searcher-files.json) is a damaged index, said in one line, never an empty one."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import CORPUS


@pytest.fixture
def damaged(cli, tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs)
    ix = tmp_path / "ix"
    assert cli("index", docs, "--index", ix).exit_code == 0
    (ix / "searcher-files.json").write_text("{bad json", encoding="utf-8")
    return docs, ix


@pytest.mark.parametrize("command", [("status",), ("index",), ("forget", "docs")])
def test_commands_that_read_the_file_list_say_it_is_damaged(cli, damaged, command) -> None:
    _, ix = damaged
    result = cli(*command, "--index", ix)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "damaged" in result.stderr and "searcher-files.json" in result.stderr
    assert f"searcher index --rebuild --index {ix} PATH" in result.stderr


def test_search_still_answers_and_a_rebuild_with_its_roots_mends_it(cli, damaged) -> None:
    docs, ix = damaged
    assert cli("search", "--index", ix, "methadone").exit_code == 0  # the index itself is whole
    assert cli("index", "--rebuild", docs, "--index", ix).exit_code == 0
    status = cli("status", "--json", "--index", ix)
    assert status.exit_code == 0 and json.loads(status.stdout)["files"] == 5
