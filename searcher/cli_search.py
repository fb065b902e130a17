"""``searcher search`` and ``searcher similar``: a query in, ranked sections out, in one of five modes."""

from __future__ import annotations

from pathlib import Path

import click

from searcher.cli import environment, fail, index_option, quiet_stdout, say, utf8, warn
from searcher.environment import ExitStatus
from searcher.locations import DEFAULT_CORPUS, default_index

_OUTPUT_OPTIONS = [
    click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout, for programs."),
    click.option(
        "-l", "--files-with-matches", "files_only", is_flag=True, help="Only the paths of matching files, best first."
    ),
    click.option("-c", "--count", "count", is_flag=True, help="path:N for each matching file: its matching sections."),
    click.option("--vimgrep", is_flag=True, help="One line per hit, path:line:col:heading: snippet (for vim -q)."),
    click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour matches; auto: only on a terminal and without NO_COLOR.",
    ),
]
_MODES = ("as_json", "files_only", "count", "vimgrep")


def output_options(command):
    """The output modes that search and similar share (sqlite-utils' habit: one decorator)."""
    for option in reversed(_OUTPUT_OPTIONS):
        command = option(command)
    return command


def _mode(modes: dict) -> str:
    chosen = [m for m in _MODES if modes[m]]
    if len(chosen) > 1:
        fail("choose one of --json, -l/--files-with-matches, -c/--count, --vimgrep")
    return chosen[0] if chosen else "human"


def _print_result(result, modes: dict, human, as_json, explain: bool = False) -> None:
    """Print ``result`` in the chosen mode and exit 0 when it has hits, else 1.

    The grep-style modes print only hits on stdout; what the human output says
    above them (a correction, ``--explain``'s query) goes to stderr there.
    """
    from searcher import render

    env = environment()
    mode = _mode(modes)
    if mode in ("files_only", "count", "vimgrep"):
        if result.suggestion:
            say(f"searcher: showing results for: {result.suggestion}")
        if explain:
            say(f"searcher: query: {result.explain}")
    painted = env.color(modes["color"]) and mode == "human"
    printers = {"as_json": as_json, "files_only": render.files, "count": render.counts, "vimgrep": render.vimgrep}
    out = human(result, painted) if mode == "human" else printers[mode](result)
    try:
        if out:
            click.echo(out, file=env.out, color=painted)
            env.out.flush()
    except BrokenPipeError:  # the reader went away (| head): what it read matched
        quiet_stdout()
    raise SystemExit(ExitStatus.MATCH if result.hits else ExitStatus.NO_MATCH)


class _SearchCommand(click.Command):
    """Remembers which argument an unknown option came from ("-methadone" for "-m"),
    and the command line that would search for it: the options, ``--``, then every word."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as err:
            name = err.option_name
            before = given[: given.index("--")] if "--" in given else given
            err.typed = next((a for a in before if a == name or (a.startswith(name) and not a.startswith("--"))), None)
            err.fixed = self._with_words_last(given, err.typed)
            raise

    def _with_words_last(self, given: list[str], typed: str | None) -> list[str]:
        options = [p for p in self.params if isinstance(p, click.Option)]
        valued = {o for p in options if not p.is_flag for o in p.opts + p.secondary_opts}
        known = {o for p in options for o in p.opts + p.secondary_opts}
        flags, words, rest = [], [], list(given)
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                words += rest
                break
            if arg in valued and rest:
                flags += [arg, rest.pop(0)]
            elif arg != typed and (arg in known or arg.split("=", 1)[0] in known):
                flags.append(arg)
            else:
                words.append(arg)
        return [*flags, "--", *words]


def _request(query, section, therapies, doc_glob, limit, per_doc, kinds, every: bool):
    from searcher.models import SearchRequest

    text = utf8(" ".join(query))
    section, doc_glob = utf8(section), utf8(doc_glob)
    therapies = [utf8(t) for t in therapies]
    if not text.strip() and not (section or therapies or doc_glob or kinds):
        fail("empty query: give words to search for, or a filter (--section, --therapy, --doc, --kind)")
    # -l and -c cover every matching section, not the first -n
    return SearchRequest(text, section, therapies, doc_glob, None if every else limit, per_doc, not every, list(kinds))


def _search_or_build(index_dir: Path | None, request):
    """Search; with no index at the default place and a ./corpus, build it first and say so."""
    from searcher.errors import IndexMissing
    from searcher.query import search

    where = index_dir or default_index()
    try:
        result = search(where, request)
    except IndexMissing:
        if index_dir is not None or not DEFAULT_CORPUS.is_dir():  # never build into a folder the user named
            raise
    else:
        if result.outdated:
            warn(f"index at {where} was written by another searcher; update it: searcher index --index {where}")
        return result
    from searcher.cli_index import run_index
    from searcher.render.indexing import summary

    shown = where if where.is_absolute() else f"./{where}"
    say(f"searcher: no index at {shown}; building it from ./{DEFAULT_CORPUS}/ first")
    say(summary(run_index(where, [DEFAULT_CORPUS])))
    return search(where, request)


@click.command("search", cls=_SearchCommand)
@click.argument("query", nargs=-1)
@click.option("--section", help="Keep sections whose heading path holds all these words.")
@click.option(
    "--therapy",
    "therapies",
    multiple=True,
    help="Keep sections tagged with this therapy (name, alias or acronym); repeatable.",
)
@click.option("--doc", "doc_glob", help="Keep this document: any path to it, its name, a folder holding it, or a glob.")
@click.option("-n", "--limit", type=click.IntRange(1, 10000), default=10, show_default=True, help="Most hits to show.")
@click.option("--per-doc", type=click.IntRange(1, 10000), default=None, help="Most hits from one document.")
@click.option(
    "--kind",
    "kinds",
    type=click.Choice(["body", "list", "faq"]),
    multiple=True,
    help="Keep sections of this kind (body, list, faq); repeatable.",
)
@output_options
@click.option("--explain", is_flag=True, help="Show the query that actually ran.")
@index_option
def search_cmd(
    query: tuple[str, ...], section, therapies, doc_glob, limit, per_doc, kinds, explain, index_dir, **modes
):
    """Search the index: ranked sections, best first, grouped by document.

    Words are AND-ed; sections holding only some of them follow.  -word
    excludes a word, +word requires it.  Exit status 0 when something
    matched, 1 when nothing did, 2 on error.
    """
    from searcher import render

    every = _mode(modes) in ("files_only", "count")
    result = _search_or_build(index_dir, _request(query, section, therapies, doc_glob, limit, per_doc, kinds, every))
    width = environment().width()
    _print_result(result, modes, lambda r, painted: render.human(r, painted, width, explain), render.as_json, explain)


@click.command("similar")
@click.argument("target")
@click.option("-n", "--limit", type=click.IntRange(1, 10000), default=10, show_default=True, help="Most hits to show.")
@click.option("--same-doc", is_flag=True, help="Also sections of the same document, after the others.")
@output_options
@click.option("--explain", is_flag=True, help="Show the key terms that were searched for.")
@index_option
def similar_cmd(target: str, limit: int, same_doc: bool, explain: bool, index_dir: Path | None, **modes) -> None:
    """Sections most like the one at TARGET (PATH:LINE, as search prints it, or a section id).

    Exit status 0 when something was found, 1 when nothing was, 2 on error.
    """
    from searcher import render
    from searcher.similar import similar

    _mode(modes)
    result = similar(index_dir or default_index(), utf8(target), limit, same_doc)
    width = environment().width()
    human = lambda r, painted: render.similar(r, painted, width, explain)  # noqa: E731
    _print_result(result, modes, human, render.similar_json, explain)
