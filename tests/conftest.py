"""Shared fixtures: the real shipped corpus and a real Whoosh index built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from searcher.cli import main
from searcher.index import update_index
from searcher.render import section_json
from searcher.store import iter_sections

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def section_rows(index_dir: Path, doc: str | None = None) -> list[dict]:
    """Every indexed section in its documented JSON shape (as export prints it)."""
    return [section_json(s) for s in iter_sections(index_dir, doc)]


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    """The shipped documents."""
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory) -> Path:
    """An index of a copy of the shipped corpus, built once for the session (read-only use)."""
    base = tmp_path_factory.mktemp("corpus-index")
    shutil.copytree(CORPUS, base / "corpus")
    update_index(base / "index", [base / "corpus"], workers=1)
    return base / "index"


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A private, writable copy of the shipped corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture
def cli():
    """Invoke the real CLI; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, env: dict | None = None):
        result = runner.invoke(main, [str(a) for a in args], input=input, env=env, catch_exceptions=False)
        if result.exit_code == 2:  # every error a user can cause: one line on stderr, nothing on stdout
            assert result.stderr.count("\n") == 1 and result.stderr.startswith("searcher: "), result.stderr
            assert result.stdout == "", result.stdout
        return result

    return invoke
