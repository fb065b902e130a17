"""What every printer for people shares: text made safe for a terminal, colour, paths, fitting to a width."""

from __future__ import annotations

import re
import textwrap

from searcher.docmatch import from_here
from searcher.errors import printable
from searcher.models import Hit, Section
from searcher.read import strip_controls

_SPACE_RUN = re.compile(r"\s+")
PATH = "\x1b[35m"
LINE = "\x1b[32m"
MATCH = "\x1b[1;31m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def safe(text: str) -> str:
    """Text with escape sequences, control characters and bidirectional controls removed, for a terminal."""
    return strip_controls(text, bidi=True)


def paint(text: str, style: str, color: bool) -> str:
    """``text`` in ``style`` when ``color``."""
    return f"{style}{text}{RESET}" if color and text else text


def snippet_text(hit: Hit, color: bool = False) -> str:
    """The snippet on one line, matches painted when ``color``.

    Each part's white space is folded to single spaces but kept at its edges:
    a match never holds white space, so no two spaces meet at a seam.
    """
    out = "".join(
        paint(text, MATCH, color) if matched else text
        for text, matched in ((_SPACE_RUN.sub(" ", safe(t)), m) for t, m in hit.snippet)
    )
    return out.strip()


def shown_path(section: Section) -> str:
    """The section's file as a path that opens from here: relative below the
    current folder (``corpus/x.txt``), absolute elsewhere."""
    return printable(from_here(section.path)) if section.path else section.doc


def heading_trail(section: Section) -> str:
    """``parent › heading``, whole."""
    return " › ".join(safe(h) for h in section.heading_path) or safe(section.heading)


def wrap(text: str, width: int | None, indent: str) -> list[str]:
    """Lines of ``text`` within ``width`` (no limit: one line), never cutting a word."""
    if width is None:
        return [indent + text]
    return [
        indent + w
        for w in textwrap.wrap(text, width=max(20, width - len(indent)), break_long_words=False, break_on_hyphens=False)
    ] or [indent]


def fit(line: str, width: int | None) -> str:
    """``line`` cut to ``width`` with an ellipsis (None: never cut)."""
    return line if width is None or len(line) <= width else line[: width - 1] + "…"
