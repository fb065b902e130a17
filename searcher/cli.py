"""The ``searcher`` command: parse options, make one library call, print.

Only click is imported at start-up; each command imports the stages it needs,
so ``searcher search`` never loads BeautifulSoup.
"""

from __future__ import annotations

import os
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


def _usage_line(err: click.UsageError) -> str:
    """A usage error on one line, with where to look."""
    path = err.ctx.command_path if err.ctx else "searcher"
    if isinstance(err, click.NoSuchOption) and err.ctx and err.ctx.command.name == "search":
        return f"{err.format_message()} (a query that starts with '-' goes after '--': {path} -- -word)"
    return f"{err.format_message()} (see: {path} --help)"


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


@main.command("search")
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
@click.option("--json", "as_json", is_flag=True, help="One JSON object on stdout, for programs.")
@click.option("--explain", is_flag=True, help="Show the query that actually ran.")
@index_option
def search_cmd(
    query: tuple[str, ...],
    section: str | None,
    therapies: tuple[str, ...],
    doc_glob: str | None,
    limit: int,
    per_doc: int | None,
    as_json: bool,
    explain: bool,
    index_dir: Path | None,
) -> None:
    """Search the index: ranked sections, best first.

    Exit status 0 when something matched, 1 when nothing did, 2 on error.
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
    request = q.SearchRequest(text, section, list(therapies), doc_glob, limit, per_doc)
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

    if as_json:
        click.echo(render.as_json(result))
    else:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        click.echo(render.human(result, color=color, width=_width(), explain=explain))
    sys.exit(EXIT_MATCH if result.hits else EXIT_NO_MATCH)


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
def export_cmd(index_dir: Path | None) -> None:
    """Every section as JSON Lines: id, doc, path, root, title, heading, heading_path, kind, therapies, lines, text."""
    from searcher.render import to_json
    from searcher.store import iter_sections

    for section in iter_sections(index_dir or default_index()):
        click.echo(to_json(section))


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
