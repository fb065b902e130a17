"""The ``searcher`` command: parse options, make one library call, print.

Only click is imported at start-up; each command imports the stages it needs,
so ``searcher search`` never loads BeautifulSoup.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import click

EXIT_MATCH, EXIT_NO_MATCH, EXIT_ERROR = 0, 1, 2
DEFAULT_CORPUS = Path("corpus")


def default_index() -> Path:
    """``$SEARCHER_INDEX``, else ``./index``."""
    return Path(os.environ.get("SEARCHER_INDEX") or "index")


def _fail(message: str) -> None:
    raise _Failure(message)


def _utf8(text: str | None) -> str | None:
    """Arguments whose bytes were not UTF-8 (lone surrogates in Python) made printable."""
    if text is None:
        return None
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _warn(message: str) -> None:
    from searcher.errors import printable

    click.echo(f"searcher: warning: {printable(message)}", err=True)


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: $SEARCHER_INDEX or ./index).",
)


class _Progress:
    """A click progress bar on stderr, only on a terminal and for long work."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 50 or not sys.stderr.isatty():
                return
            self.bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _run_index(index_dir: Path, paths: list[Path] | None, rebuild: bool, workers: int | None, **options):
    from searcher.index import update_index

    progress = _Progress()
    try:
        return update_index(
            index_dir, paths, rebuild=rebuild, workers=workers, warn=_warn, progress=progress, **options
        )
    finally:
        progress.close()


class _Failure(click.ClickException):
    """One line on stderr, exit status 2: how every user-caused error ends."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:
        from searcher.errors import printable

        click.echo(f"searcher: {printable(self.message)}", err=True)


_QUERY_LIKE = re.compile(r"-[^\W\d_][\w'’.-]{2,}")


def _usage_line(err: click.UsageError) -> str:
    """A usage error on one line, with where to look.

    The hint about '--' is given only when the unknown option was really a
    query word ("-methadone"), not a mistyped option ("-q", "--colour").
    """
    path = err.ctx.command_path if err.ctx else "searcher"
    typed = getattr(err, "typed", None)
    if isinstance(err, click.NoSuchOption) and typed and _QUERY_LIKE.fullmatch(typed):
        return f"{err.format_message()} (a query that starts with '-' goes after '--': {path} -- {typed})"
    return f"{err.format_message()} (see: {path} --help)"


class _SearchCommand(click.Command):
    """Remembers which argument an unknown option came from ("-methadone" for "-m")."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as err:
            name = err.option_name
            before = given[: given.index("--")] if "--" in given else given
            err.typed = next((a for a in before if a == name or (a.startswith(name) and not a.startswith("--"))), None)
            raise


class _Group(click.Group):
    """Turns the library's errors and usage errors into one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        from searcher.errors import SearcherError

        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise _Failure(_usage_line(err)) from None
        except KeyboardInterrupt:
            click.echo("searcher: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_NO_MATCH)
        except SearcherError as err:
            raise _Failure(str(err)) from None
        except OSError as err:
            where = f"{err.filename}: " if getattr(err, "filename", None) else ""
            raise _Failure(f"{where}{err.strerror or err}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="searcher")
def main() -> None:
    """Offline search over a folder of articles, by section and by therapy."""


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


def output_options(command):
    """The output modes that search and similar share (sqlite-utils' habit: one decorator)."""
    for option in reversed(_OUTPUT_OPTIONS):
        command = option(command)
    return command


def _one_mode(as_json: bool, files_only: bool, count: bool, vimgrep: bool) -> None:
    if sum([as_json, files_only, count, vimgrep]) > 1:
        _fail("choose one of --json, -l/--files-with-matches, -c/--count, --vimgrep")


def _print_result(result, modes: dict, human, as_json) -> None:
    """Print ``result`` in the chosen mode and exit 0 when it has hits, else 1."""
    from searcher import render

    color = modes["color"]
    painted = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    if modes["as_json"]:
        out = as_json(result)
    elif modes["files_only"]:
        out = render.files(result)
    elif modes["count"]:
        out = render.counts(result)
    elif modes["vimgrep"]:
        out = render.vimgrep(result)
    else:
        out = human(result, painted)
    grep_like = modes["as_json"] or modes["files_only"] or modes["count"] or modes["vimgrep"]
    try:
        if out:
            click.echo(out, color=painted if not grep_like else False)
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (| head): what it read matched
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(EXIT_MATCH if result.hits else EXIT_NO_MATCH)


@main.command("search", cls=_SearchCommand)
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
    query: tuple[str, ...],
    section: str | None,
    therapies: tuple[str, ...],
    doc_glob: str | None,
    limit: int,
    per_doc: int | None,
    kinds: tuple[str, ...],
    as_json: bool,
    files_only: bool,
    count: bool,
    vimgrep: bool,
    color: str,
    explain: bool,
    index_dir: Path | None,
) -> None:
    """Search the index: ranked sections, best first, grouped by document.

    Words are AND-ed; sections holding only some of them follow.  -word
    excludes a word, +word requires it.  Exit status 0 when something
    matched, 1 when nothing did, 2 on error.
    """
    from searcher import query as q
    from searcher.errors import IndexMissing

    explicit_index = index_dir is not None
    index_dir = index_dir or default_index()
    text = _utf8(" ".join(query))
    section, doc_glob = _utf8(section), _utf8(doc_glob)
    therapies = tuple(_utf8(t) for t in therapies)
    if not text.strip() and not (section or therapies or doc_glob):
        _fail("empty query: give words to search for, or a filter (--section, --therapy, --doc)")
    _one_mode(as_json, files_only, count, vimgrep)
    every = files_only or count  # these cover every matching section, not the first -n
    request = q.SearchRequest(
        text, section, list(therapies), doc_glob, None if every else limit, per_doc, not every, list(kinds)
    )
    try:
        result = q.search(index_dir, request)
    except IndexMissing:
        if explicit_index or not DEFAULT_CORPUS.is_dir():  # never build into a folder the user named
            raise
        where = index_dir if index_dir.is_absolute() else f"./{index_dir}"
        click.echo(f"searcher: no index at {where}; building it from ./{DEFAULT_CORPUS}/ first", err=True)
        click.echo(_run_index(index_dir, [DEFAULT_CORPUS], False, None).summary(), err=True)
        result = q.search(index_dir, request)
    from searcher import render

    modes = {"as_json": as_json, "files_only": files_only, "count": count, "vimgrep": vimgrep, "color": color}
    human = lambda r, painted: render.human(r, color=painted, width=_search_width(), explain=explain)  # noqa: E731
    _print_result(result, modes, human, render.as_json)


@main.command("similar")
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
    from searcher import similar

    _one_mode(modes["as_json"], modes["files_only"], modes["count"], modes["vimgrep"])
    result = similar.similar(index_dir or default_index(), _utf8(target), limit, same_doc)
    human = lambda r, painted: similar.human(r, color=painted, width=_width(), explain=explain)  # noqa: E731
    _print_result(result, modes, human, similar.as_json)


@main.command("clean")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
def clean_cmd(file: Path) -> None:
    """Print the sections of FILE (or - for stdin) as they get indexed: headings marked with #."""
    from searcher.ingest import sections_as_text, sections_of_text
    from searcher.read import decode, read_text

    if str(file) == "-":
        text = decode(sys.stdin.buffer.read(), "<stdin>")
        name = "-"
    else:
        text, name = read_text(file), file.name
    click.echo(sections_as_text(sections_of_text(text, name)), nl=False)


@main.command("export")
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "bulk"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one section a line; bulk: the NDJSON of an OpenSearch/Elasticsearch _bulk request.",
)
@click.option("--index-name", default="searcher", show_default=True, help="With --format bulk: the _index to load.")
@click.option(
    "--mapping", "as_mapping", is_flag=True, help="Print the cluster index mapping for these sections instead."
)
def export_cmd(index_dir: Path | None, fmt: str, index_name: str, as_mapping: bool) -> None:
    """Every section as JSON Lines, or as the body of a _bulk request; or the mapping for them."""
    from searcher import export

    if as_mapping:
        click.echo(export.mapping_text())
        return
    lines = (
        export.bulk(index_dir or default_index(), index_name)
        if fmt == "bulk"
        else export.jsonl(index_dir or default_index())
    )
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.flush()


@main.command("sections")
@click.argument("doc", required=False)
@index_option
def sections_cmd(doc: str | None, index_dir: Path | None) -> None:
    """The outline of one document (any path to it, its name, a folder or a glob) or of all."""
    from searcher.docmatch import DocMatcher, DocRef
    from searcher.render import outline
    from searcher.store import iter_sections

    doc = _utf8(doc)
    match = DocMatcher(doc) if doc else None
    sections = [
        s
        for s in iter_sections(index_dir or default_index())
        if match is None or match(DocRef(s["path"], s["root"], s["doc"]))
    ]
    if not sections:
        _fail(f"no document matches {doc!r}" if doc else "the index holds no sections")
    click.echo(outline(sections, _width()))


def _width() -> int:
    """Columns to fit human output in: the terminal's (at most 120), else 80."""
    return min(shutil.get_terminal_size().columns if sys.stdout.isatty() else 80, 120)


def _search_width() -> int | None:
    """Columns for search hits: ``COLUMNS`` when set, else the terminal's; piped, no limit."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), 20)
    if sys.stdout.isatty():
        return max(shutil.get_terminal_size().columns, 20)
    return None


@main.command("therapies")
@index_option
@click.option("--json", "as_json", is_flag=True, help="JSON array instead of a table.")
def therapies_cmd(index_dir: Path | None, as_json: bool) -> None:
    """Every therapy in the taxonomy, with its section and document counts and aliases."""
    from searcher.query import facets

    rows = facets(index_dir or default_index())
    if as_json:
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'therapy':<26}{'sections':>9}{'docs':>6}  name (every alias: --json)")
    for r in rows:
        click.echo(f"{r['id']:<26}{r['sections']:>9}{r['documents']:>6}  {r['name']}")


def _register() -> None:
    """The index-management commands live in their own module."""
    from searcher.cli_index import forget_cmd, index_cmd, status_cmd

    for command in (index_cmd, status_cmd, forget_cmd):
        main.add_command(command)


_register()
