"""The grep-style printers: ``-l``, ``-c`` and ``--vimgrep``, one line per file or hit."""

from __future__ import annotations

from searcher.models import SearchResult
from searcher.render.terminal import heading_trail, safe, shown_path, snippet_text


def files(result: SearchResult) -> str:
    """``-l``: each matching file once, best first."""
    return "\n".join(dict.fromkeys(safe(shown_path(h.section)) for h in result.hits))


def counts(result: SearchResult) -> str:
    """``-c``: ``path:N`` per matching file, N its matching sections, best file first."""
    per: dict[str, int] = {}
    for h in result.hits:
        key = safe(shown_path(h.section))
        per[key] = per.get(key, 0) + 1
    return "\n".join(f"{path}:{n}" for path, n in per.items())


def vimgrep(result: SearchResult) -> str:
    """One line per hit, ``path:line:col:heading: snippet``, as ``vim -q`` reads it."""
    return "\n".join(
        f"{safe(shown_path(h.section))}:{h.section.line_start}:1:{heading_trail(h.section)}: {snippet_text(h)}"
        for h in result.hits
    )
