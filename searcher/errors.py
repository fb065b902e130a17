"""The library's own exceptions; only the CLI turns them into exit codes."""


class SearcherError(Exception):
    """An error a user can cause and fix: printed as one line, exit status 2."""


class SkipFile(SearcherError):
    """A file that cannot be indexed (binary, unreadable, empty); the run goes on."""


class IndexMissing(SearcherError):
    """No index at the given folder."""


class IndexDamaged(SearcherError):
    """The index exists but cannot be read."""


class IndexLocked(SearcherError):
    """Another process holds the index's write lock."""


class UnknownTherapy(SearcherError):
    """A --therapy name that is not in the taxonomy."""
