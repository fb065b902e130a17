"""The output environment: colour, width and streams come from one object the CLI builds once,
so a test swaps it instead of needing a terminal; exit statuses are named."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from searcher.cli import main
from searcher.environment import Environment, ExitStatus

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(env: Environment | None, *args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], obj=env, catch_exceptions=False)


@pytest.mark.parametrize(
    ("env", "choice", "painted"),
    [
        (Environment(stdout_isatty=True), "auto", True),
        (Environment(stdout_isatty=True, no_color=True), "auto", False),
        (Environment(stdout_isatty=False), "auto", False),
        (Environment(stdout_isatty=False), "always", True),
        (Environment(stdout_isatty=True), "never", False),
    ],
)
def test_colour_follows_the_terminal_no_color_and_the_option(corpus_index, env, choice, painted) -> None:
    result = run(env, "search", "--index", corpus_index, "--color", choice, "methadone")
    assert result.exit_code == ExitStatus.MATCH
    assert bool(ANSI.search(result.stdout)) is painted
    assert "methadone" in ANSI.sub("", result.stdout).lower()


def test_grep_modes_are_never_painted(corpus_index) -> None:
    result = run(
        Environment(stdout_isatty=True), "search", "--index", corpus_index, "--color", "always", "-l", "heroin"
    )
    assert result.exit_code == 0 and result.stdout and not ANSI.search(result.stdout)


def widest_hit_line(out: str) -> int:
    """The widest line under a document (its path, which is never cut, is left out)."""
    return max(len(line) for line in ANSI.sub("", out).splitlines() if line.startswith(" "))


def test_width_comes_from_the_terminal_when_columns_is_not_set(corpus_index) -> None:
    narrow = run(Environment(stdout_isatty=True, terminal_columns=50), "search", "--index", corpus_index, "heroin")
    assert narrow.exit_code == 0 and widest_hit_line(narrow.stdout) <= 50
    piped = run(Environment(stdout_isatty=False, terminal_columns=50), "search", "--index", corpus_index, "heroin")
    assert widest_hit_line(piped.stdout) > 50  # piped output is never cut
    forced = run(Environment(stdout_isatty=False, columns=60), "search", "--index", corpus_index, "heroin")
    assert widest_hit_line(forced.stdout) <= 60


def test_output_goes_to_the_environments_streams(corpus_index) -> None:
    out, err = io.StringIO(), io.StringIO()
    result = run(Environment(stdout=out, stderr=err), "search", "--index", corpus_index, "--json", "heroin")
    assert result.exit_code == ExitStatus.MATCH
    assert out.getvalue().startswith('{"version": ') and result.stdout == ""


def test_exit_statuses(corpus_index, tmp_path) -> None:
    assert run(None, "search", "--index", corpus_index, "heroin").exit_code == ExitStatus.MATCH == 0
    assert run(None, "search", "--index", corpus_index, "zzyzxqq").exit_code == ExitStatus.NO_MATCH == 1
    missing = run(None, "search", "--index", tmp_path / "none", "heroin")
    assert missing.exit_code == ExitStatus.ERROR == 2 and missing.stderr.count("\n") == 1
    assert (ExitStatus.INTERRUPTED, ExitStatus.TERMINATED) == (130, 143)


def test_from_process_reads_columns_and_no_color(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "77")
    monkeypatch.setenv("NO_COLOR", "1")
    env = Environment.from_process()
    assert env.columns == 77 and env.no_color and env.width() == 77
    monkeypatch.setenv("COLUMNS", "wide")
    assert Environment.from_process().columns is None


def test_progress_bar_only_when_stderr_is_a_terminal(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(60):  # enough files for a bar
        (docs / f"n{i}.txt").write_text(f"Note {i}\n\nword{i} here.\n")
    shown = run(Environment(stderr_isatty=True), "index", docs, "--index", tmp_path / "a", "--workers", "0")
    assert shown.exit_code == 0 and "indexing" in shown.stderr and "60 added" in shown.stderr
    hidden = run(Environment(stderr_isatty=False), "index", docs, "--index", tmp_path / "b", "--workers", "0")
    assert hidden.exit_code == 0 and "indexing" not in hidden.stderr and "60 added" in hidden.stderr


def test_similar_fits_the_width_like_search(corpus_index) -> None:
    target = "000_fd7004bbd8f47188.txt:20"
    piped = run(Environment(), "similar", "--index", corpus_index, target)
    assert piped.exit_code == ExitStatus.MATCH and widest_hit_line(piped.stdout) > 100  # piped: never cut
    narrow = run(Environment(columns=60), "similar", "--index", corpus_index, target)
    assert narrow.exit_code == ExitStatus.MATCH and widest_hit_line(narrow.stdout) <= 60


def test_outlines_fit_the_width_and_are_never_cut_when_piped(corpus_index) -> None:
    piped = run(Environment(), "sections", "--index", corpus_index)
    assert piped.exit_code == 0 and "…" not in piped.stdout
    narrow = run(Environment(columns=50), "sections", "--index", corpus_index)
    assert "…" in narrow.stdout and max(len(line) for line in narrow.stdout.splitlines() if line.startswith(" ")) <= 50


def test_version_is_the_package_version() -> None:
    from searcher import __version__

    result = run(None, "--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"searcher, version {__version__}"
