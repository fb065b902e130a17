"""The ``searcher`` commands that build and manage the index: index, status, forget.

Registered on the ``searcher`` group by :mod:`searcher.cli`; thin like it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searcher.cli import environment, fail, index_option, print_out, say, utf8, warn
from searcher.environment import ExitStatus
from searcher.locations import default_index, roots_to_index


class _Progress:
    """A click progress bar on stderr, only on a terminal and for long work."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            env = environment()
            if total < 50 or not env.stderr_isatty:
                return
            self.bar = click.progressbar(length=total, label="indexing", file=env.err)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def run_index(index_dir: Path, paths: list[Path] | None, rebuild: bool = False, workers: int | None = None, **options):
    """One indexing run with the CLI's warnings and progress bar; its report."""
    from searcher.index import update_index

    progress = _Progress()
    try:
        return update_index(index_dir, paths, rebuild=rebuild, workers=workers, warn=warn, progress=progress, **options)
    finally:
        progress.close()


@click.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_option
@click.option("--rebuild", is_flag=True, help="Read every file of the named roots (default: all) again.")
@click.option("--only", is_flag=True, help="Keep only the named roots: forget every other root.")
@click.option(
    "-g",
    "--glob",
    "globs",
    metavar="GLOB",
    multiple=True,
    help="Index only files matching this glob; '!GLOB' leaves matches out; repeatable; remembered per root.",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    default=None,
    help="Parser processes beside the writer (default: one per core; 0 or 1: parse in this process).",
)
@click.option("--watch", is_flag=True, help="Then keep watching the folders and index each burst of changes.")
@click.option(
    "--debounce",
    type=click.FloatRange(0, 3600),
    default=1.0,
    show_default=True,
    help="With --watch: seconds of quiet that end a burst of changes.",
)
@click.option("--poll", is_flag=True, help="With --watch: look for changes every second instead of file events.")
@click.option("--json", "as_json", is_flag=True, help="Also print the run's report as one JSON object on stdout.")
def index_cmd(
    paths: tuple[Path, ...],
    index_dir: Path | None,
    rebuild: bool,
    only: bool,
    globs: tuple[str, ...],
    workers: int | None,
    watch: bool = False,
    debounce: float = 1.0,
    poll: bool = False,
    as_json: bool = False,
) -> None:
    """Index files or folders (default: the ones indexed before, else ./corpus).

    Only added and changed files are read; removed files leave the index.
    With --watch it goes on indexing what changes until Ctrl-C.
    """
    index_dir = index_dir or default_index()
    roots = roots_to_index(index_dir, list(paths), only)
    options = {"only": only, "globs": [utf8(g) for g in globs] if globs else None}
    if watch:
        if as_json:
            fail("--json does not go with --watch")
        _watch(index_dir, roots, rebuild, workers, debounce, poll, options)
        return
    given = click.get_current_context().get_parameter_source("debounce") != click.core.ParameterSource.DEFAULT
    if poll or given:
        fail(f"{'--poll' if poll else '--debounce'} goes with --watch")
    report = run_index(index_dir, roots, rebuild, workers, **options)
    from searcher.render.indexing import summary

    say(summary(report))
    if as_json:
        from dataclasses import asdict

        from searcher.render import JSON_VERSION, to_json

        print_out(to_json({"version": JSON_VERSION, **asdict(report)}))


def _watch(index_dir: Path, roots, rebuild: bool, workers, debounce: float, poll: bool, options: dict) -> None:
    """The first run, then a run per burst of changes; SIGTERM exits 143 like Ctrl-C exits 130."""
    from searcher.render.indexing import summary
    from searcher.watch import Terminated, Watcher

    try:
        with Watcher(index_dir, roots, debounce=debounce, workers=workers, poll=poll, warn=warn, say=say) as watcher:
            say(summary(run_index(index_dir, roots, rebuild, workers, **options)))
            where = ", ".join(str(r.path) for r in watcher.roots)
            say(f"watching {where} ({watcher.method}); Ctrl-C to stop")
            watcher.run()
    except Terminated:
        say("searcher: terminated")
        sys.exit(ExitStatus.TERMINATED)


@click.command("status")
@index_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout, for programs.")
def status_cmd(index_dir: Path | None, as_json: bool) -> None:
    """The index's roots, files, sections and last run, and the files changed on disk since (stale)."""
    from searcher.manage import status
    from searcher.render import to_json
    from searcher.render.indexing import status_text

    st = status(index_dir or default_index())
    print_out(to_json(st) if as_json else status_text(st))


@click.command("forget")
@click.argument("root", type=click.Path(path_type=Path))
@index_option
def forget_cmd(root: Path, index_dir: Path | None) -> None:
    """Remove one indexed root (as `searcher status` lists it, or any path to it) and its sections."""
    from searcher.manage import forget
    from searcher.render.indexing import forget_text

    say(forget_text(forget(index_dir or default_index(), str(root))))
