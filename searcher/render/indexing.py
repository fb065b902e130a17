"""Printers for index management: `status`, `forget` and the watcher's runs, for people."""

from __future__ import annotations

import time

from searcher.docmatch import from_here
from searcher.errors import printable
from searcher.models import IndexReport


def _when(stamp: float | None, index: str) -> str:
    if stamp is None:
        return f"never (an interrupted first run: `searcher index --index {index}` resumes it)"
    return time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(stamp))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def status_text(st: dict, limit: int = 5) -> str:
    """The index, its last run, each root with its counts, and what changed on disk since."""
    index = printable(from_here(st["index"]))
    lines = [f"index: {index}", f"last run: {_when(st['last_run'], index)}"]
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
        stale = _plural(st["stale"], "file")
        total += f"{stale} changed on disk since (stale): run searcher index --index {index} to update"
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


def run_line(report: IndexReport, when: float | None = None) -> str:
    """One line per watch run: ``12:04:31 2 added, 1 changed, 0 removed; 34 sections in 0.21s``."""
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    return (
        f"{time.strftime('%H:%M:%S', time.localtime(when))} {report.added} added, {report.changed} changed, "
        f"{report.removed} removed{skipped}; {_plural(report.sections, 'section')} "
        f"in {report.seconds:.2f}s"
    )


def summary(report: IndexReport) -> str:
    """One line: files added/changed/removed/unchanged/skipped, sections, seconds; links; roots dropped."""
    line = (
        f"{report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged, {report.skipped} skipped; "
        f"{_plural(report.sections, 'section')} indexed in {report.seconds:.2f}s"
    )
    if report.links:
        shown = ", ".join(report.links[:3]) + (", …" if len(report.links) > 3 else "")
        line += f"; {_plural(len(report.links), 'link')} to a file indexed once: {shown}"
    if report.forgotten:
        line += f"; forgot {', '.join(report.forgotten)}"
    return line
