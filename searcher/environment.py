"""The process's outside world as the CLI sees it: streams, terminals, colour, width, exit statuses.

The CLI builds one :class:`Environment` per command (HTTPie's habit) and
reads the terminal only through it, so a test can hand it another one:
``CliRunner().invoke(main, args, obj=Environment(stdout_isatty=True))``
prints in colour, or at a width, without a pty.
"""

from __future__ import annotations

import enum
import os
import shutil
import sys
from dataclasses import dataclass
from typing import TextIO


class ExitStatus(enum.IntEnum):
    """How a command ends (ripgrep's convention, then the shell's for signals)."""

    MATCH = 0  # something matched, or the command did its work
    NO_MATCH = 1  # nothing matched
    ERROR = 2  # an error the user can fix, said in one line
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)


@dataclass
class Environment:
    """Where output goes and what it may look like there."""

    stdout: TextIO | None = None  # None: the process's at the time of writing (as click's test runner sets it)
    stderr: TextIO | None = None
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    no_color: bool = False  # $NO_COLOR is set (https://no-color.org)
    columns: int | None = None  # $COLUMNS, when set to a number
    terminal_columns: int = 80  # the terminal's width

    @classmethod
    def from_process(cls) -> Environment:
        """This process's streams, terminal and variables, read now."""
        columns = os.environ.get("COLUMNS", "")
        return cls(
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
            no_color=bool(os.environ.get("NO_COLOR")),
            columns=int(columns) if columns.isdigit() and int(columns) > 0 else None,
            terminal_columns=shutil.get_terminal_size().columns,
        )

    @property
    def out(self) -> TextIO:
        """The stream for results."""
        return self.stdout or sys.stdout

    @property
    def err(self) -> TextIO:
        """The stream for messages to the person."""
        return self.stderr or sys.stderr

    def color(self, choice: str) -> bool:
        """Whether to paint, for ``--color`` ``always``, ``never`` or ``auto`` (a terminal and no NO_COLOR)."""
        return choice == "always" or (choice == "auto" and self.stdout_isatty and not self.no_color)

    def width(self) -> int | None:
        """Columns to fit human output in: ``COLUMNS`` when set, else the terminal's; piped, no limit."""
        if self.columns is not None:
            return max(self.columns, 20)
        return max(self.terminal_columns, 20) if self.stdout_isatty else None


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed
        return False
