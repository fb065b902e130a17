"""Is this a correct English word?  So that a spelling correction never rewrites one.

The words are those of pyspellchecker's English dictionary (American
spellings) seen more than its floor count, and breame's British spellings.
Reading pyspellchecker's compressed JSON takes about half a second, so the
first use writes the words, sorted, one a line, to a cache file; later
processes look a word up there by binary search over a memory map, without
reading the whole list.
"""

from __future__ import annotations

import mmap
import os
import tempfile
from functools import lru_cache
from pathlib import Path

CACHE_NAME = "english-words-{version}.txt"
FLOOR_COUNT = 50


def cache_dir() -> Path:
    """``$SEARCHER_CACHE``, else ``$XDG_CACHE_HOME/searcher``, else ``~/.cache/searcher``."""
    if os.environ.get("SEARCHER_CACHE"):
        return Path(os.environ["SEARCHER_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "searcher"


def _sources() -> tuple[Path, Path]:
    """The two word files, found without importing their packages (that costs 30 ms)."""
    from importlib.util import find_spec

    english = Path(find_spec("spellchecker").origin).with_name("resources") / "en.json.gz"
    british = Path(find_spec("breame").origin).with_name("data") / "spelling_constants.py"
    return english, british


def _version() -> str:
    """Names the cache after the sources' sizes and times, so an upgrade makes a new one."""
    stats = [p.stat() for p in _sources()]
    return "-".join(f"{s.st_size}.{int(s.st_mtime)}" for s in stats) + f"-{FLOOR_COUNT}"


def _all_words() -> list[str]:
    import gzip
    import json

    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    with gzip.open(_sources()[0], "rt", encoding="utf-8") as f:
        counts = json.load(f)
    # Two thirds of the list sit at its floor count, and misspellings among
    # them ("methadon"); the words seen more often are the real ones.
    words = {w for w, n in counts.items() if n > FLOOR_COUNT}
    words.update(BRITISH_ENGLISH_SPELLINGS)
    return sorted(w for w in words if w.isascii() and "\n" not in w)


class _Sorted:
    """A sorted word file, searched in place."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def __contains__(self, word: str) -> bool:
        key, data = word.encode("ascii", "ignore"), self.map
        lo, hi = 0, len(data)
        while lo < hi:  # find the line that starts at or after mid
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            line = data[start:end]
            if line == key:
                return True
            if line < key:
                lo = end + 1
            else:
                hi = start
        return False


@lru_cache(maxsize=1)
def _words():
    path = cache_dir() / CACHE_NAME.format(version=_version())
    if not path.is_file():
        words = _all_words()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".words-")
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write("\n".join(words))
            os.replace(tmp, path)
        except OSError:  # no writable cache: keep the words in memory
            return frozenset(words)
    return _Sorted(path)


def is_english(word: str) -> bool:
    """True when ``word`` (any case) is in the English dictionary."""
    low = word.lower()
    return low.isascii() and low in _words()
