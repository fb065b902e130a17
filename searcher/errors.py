"""The library's own exceptions; only the CLI turns them into exit codes."""

import re


class SearcherError(Exception):
    """An error a user can cause and fix: printed as one line, exit status 2."""


class SkipFile(SearcherError):
    """A file that cannot be indexed (binary, unreadable, empty); the run goes on."""


class IndexMissing(SearcherError):
    """No index at the given folder."""


class IndexDamaged(SearcherError):
    """The index exists but cannot be read."""


class IndexEmpty(SearcherError):
    """The index holds no sections yet."""


class UntrustedIndex(SearcherError):
    """The index folder or a file in it could have been written by another user."""


class IndexLocked(SearcherError):
    """Another process holds the index's write lock."""


class UnknownTherapy(SearcherError):
    """A --therapy name that is not in the taxonomy."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` fit for one line of a terminal.

    Bytes of a file name that were not UTF-8 become U+FFFD; control
    characters (newlines and escape sequences included) and bidirectional
    controls are spelled out as ``\\n``, ``\\x1b``, ``\\u202e`` and the like.
    """
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "replace")
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), data.decode("utf-8", "replace"))
