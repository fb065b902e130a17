"""Printers for index management: ``status`` and ``forget``, for people."""

from __future__ import annotations

import time

from searcher.docmatch import from_here
from searcher.errors import printable


def _when(stamp: float | None) -> str:
    if stamp is None:
        return "never (an interrupted first run: `searcher index` resumes it)"
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(stamp))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def status_text(st: dict, limit: int = 5) -> str:
    """The index, its last run, each root with its counts, and what changed on disk since."""
    lines = [f"index: {printable(from_here(st['index']))}", f"last run: {_when(st['last_run'])}"]
    for r in st["roots"]:
        stale = r["stale"]
        head = f"{printable(from_here(r['root']))}: {_plural(r['files'], 'file')}, {_plural(r['sections'], 'section')}"
        if r["skipped"]:
            head += f", {len(r['skipped'])} skipped"
        if r["globs"]:
            head += f" (--glob {' '.join(r['globs'])})"
        if not r["exists"]:
            head += "; the folder is gone (searcher forget ROOT drops it)"
        lines.append(head)
        for label in ("new", "changed", "gone"):
            for key in stale[label][:limit]:
                lines.append(f"    {label}: {printable(from_here(key))}")
            if len(stale[label]) > limit:
                lines.append(f"    … {len(stale[label]) - limit} more {label} (--json lists them all)")
    total = (
        f"{_plural(len(st['roots']), 'root')}, {_plural(st['files'], 'file')}, {_plural(st['sections'], 'section')}; "
    )
    if st["stale"]:
        total += f"{_plural(st['stale'], 'file')} changed on disk since (stale): run searcher index to update"
    else:
        total += "nothing changed on disk since"
    lines.append(total)
    return "\n".join(lines)


def forget_text(done: dict) -> str:
    """One line: the root forgotten and what left the index with it."""
    return (
        f"forgot {printable(from_here(done['root']))}: "
        f"{_plural(done['files'], 'file')}, {_plural(done['sections'], 'section')} removed"
    )
