"""The ``searcher`` command: parse options, make one library call, print.

Only click is imported at start-up; each command imports the stages it needs,
so ``searcher search`` never loads BeautifulSoup.  The commands live by
concern in ``cli_search`` (search, similar), ``cli_index`` (index, status,
forget) and ``cli_docs`` (clean, sections, export, therapies); this module
holds the group and what they share.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from searcher import __version__
from searcher.environment import Environment, ExitStatus
from searcher.locations import default_index

__all__ = ["default_index", "environment", "fail", "index_option", "main", "print_out", "say", "utf8", "warn"]


def fail(message: str) -> None:
    """End the command with ``message`` on one line of stderr and exit status 2."""
    raise Failure(message)


def utf8(text: str | None) -> str | None:
    """Arguments whose bytes were not UTF-8 (lone surrogates in Python) made printable."""
    if text is None:
        return None
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def environment() -> Environment:
    """The output environment of the running command (built once, by the group)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:  # called back from outside a command (a library caller's thread)
        return Environment.from_process()
    root = ctx.find_root()
    if not isinstance(root.obj, Environment):
        root.obj = Environment.from_process()
    return root.obj


def print_out(text: str, nl: bool = True) -> None:
    """``text`` on the command's stdout: results, for people or programs."""
    click.echo(text, file=environment().out, nl=nl)


def say(message: str) -> None:
    """One line for the person on stderr, its control characters spelled out."""
    from searcher.errors import printable

    click.echo(printable(message), file=environment().err)


def warn(message: str) -> None:
    """A warning on stderr: the run goes on."""
    say(f"searcher: warning: {message}")


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (default: $SEARCHER_INDEX or ./index).",
)


class Failure(click.ClickException):
    """One line on stderr, exit status 2: how every user-caused error ends."""

    exit_code = ExitStatus.ERROR

    def show(self, file=None) -> None:
        from searcher.errors import printable

        click.echo(f"searcher: {printable(self.message)}", err=True)


def _usage_line(err: click.UsageError) -> str:
    """A usage error on one line, with where to look.

    The hint about '--' is given only when the unknown option was really a
    query word ("-methadone"), not a mistyped option ("-q", "--colour").
    """
    import re

    path = err.ctx.command_path if err.ctx else "searcher"
    typed = getattr(err, "typed", None)
    if isinstance(err, click.NoSuchOption) and typed and re.fullmatch(r"-[^\W\d_][\w'’.-]{2,}", typed):
        import shlex

        fixed = shlex.join(getattr(err, "fixed", None) or ["--", typed])
        return f"{err.format_message()} (a word that starts with '-' goes after '--': {path} {fixed})"
    return f"{err.format_message()} (see: {path} --help)"


def quiet_stdout() -> None:
    """The reader of stdout went away (``| head``): send what is left nowhere."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class _Group(click.Group):
    """Turns the library's errors and usage errors into one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        from searcher.errors import SearcherError

        if not isinstance(ctx.obj, Environment):
            ctx.obj = Environment.from_process()
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise Failure(_usage_line(err)) from None
        except KeyboardInterrupt:
            click.echo("searcher: interrupted", err=True)
            sys.exit(ExitStatus.INTERRUPTED)
        except BrokenPipeError:
            quiet_stdout()
            sys.exit(ExitStatus.NO_MATCH)
        except SearcherError as err:
            raise Failure(str(err)) from None
        except OSError as err:
            where = f"{err.filename}: " if getattr(err, "filename", None) else ""
            raise Failure(f"{where}{err.strerror or err}") from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="searcher")
def main() -> None:
    """Offline search over a folder of articles, by section and by therapy."""


def _register() -> None:
    """The commands, from their modules, in the order ``--help`` lists them."""
    from searcher.cli_docs import clean_cmd, export_cmd, sections_cmd, therapies_cmd
    from searcher.cli_index import forget_cmd, index_cmd, status_cmd
    from searcher.cli_search import search_cmd, similar_cmd

    for command in (search_cmd, similar_cmd, clean_cmd, export_cmd, sections_cmd, therapies_cmd):
        main.add_command(command)
    for command in (index_cmd, status_cmd, forget_cmd):
        main.add_command(command)


_register()
