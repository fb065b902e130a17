"""Stage 7, render: hits for people (ripgrep's habits) and JSON for programs.

Printers never search.  Text from documents is stripped of control characters
and bidirectional controls before it reaches a terminal; JSON escapes them.
"""

from __future__ import annotations

import json
import re
import textwrap

from searcher.docmatch import from_here
from searcher.errors import printable
from searcher.query import Hit, SearchResult
from searcher.read import escape_bidi, strip_controls

_SPACE_RUN = re.compile(r"\s+")
PATH = "\x1b[35m"
LINE = "\x1b[32m"
MATCH = "\x1b[1;31m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def safe(text: str) -> str:
    """Text with escape sequences, control characters and bidirectional controls removed, for a terminal."""
    return strip_controls(text, bidi=True)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color and text else text


def snippet_text(hit: Hit, color: bool = False) -> str:
    """The snippet on one line, matches painted when ``color``.

    Each part's white space is folded to single spaces but kept at its edges:
    a match never holds white space, so no two spaces meet at a seam.
    """
    out = "".join(
        _paint(text, MATCH, color) if matched else text
        for text, matched in ((_SPACE_RUN.sub(" ", safe(t)), m) for t, m in hit.snippet)
    )
    return out.strip()


def shown_path(hit: Hit) -> str:
    """The hit's file as a path that opens from here: relative below the
    current folder (``corpus/x.txt``), absolute elsewhere."""
    return printable(from_here(hit.path)) if hit.path else hit.doc


def hit_header(hit: Hit, color: bool = False, width: int = 80) -> str:
    """``path:line: parent › heading [therapies]``, kept within ``width``.

    When it does not fit, the therapies move to a line of their own, then the
    parent headings give way, then the end of the heading.
    """
    shown = safe(shown_path(hit))
    where = f"{shown}:{hit.line_start}: "
    path = [safe(h) for h in hit.heading_path] or [safe(hit.heading)]
    tags = f" [{', '.join(hit.therapies)}]" if hit.therapies else ""
    own_line = len(where) + len(" › ".join(path)) + len(tags) > width
    room = width - len(where) - (0 if own_line else len(tags))
    if len(" › ".join(path)) > room and len(path) > 1:
        path = ["…", path[-1]]
        if len(" › ".join(path)) > room:
            path = path[-1:]
    if len(" › ".join(path)) > room:
        keep = max(room - len(" › ".join(path[:-1])) - (3 if len(path) > 1 else 0), 12)
        path[-1] = path[-1][: keep - 1].rstrip() + "…"
    head = (
        f"{_paint(safe(shown_path(hit)), PATH, color)}:{_paint(str(hit.line_start), LINE, color)}: {' › '.join(path)}"
    )
    if not tags:
        return head
    if own_line:
        return head + "\n    " + _paint(textwrap.shorten(tags.strip(), width - 4, placeholder=" …]"), DIM, color)
    return head + _paint(tags, DIM, color)


def human(result: SearchResult, color: bool = False, width: int = 80, explain: bool = False) -> str:
    """Hits as ripgrep-like blocks, a footer with the number of matching sections."""
    lines: list[str] = []
    if result.suggestion:
        lines.append(f"showing results for: {safe(result.suggestion)}")
    if explain:
        lines.append(f"query: {safe(result.explain)}")
    for hit in result.hits:
        lines.append(hit_header(hit, color, width))
        wrapped = textwrap.wrap(snippet_text(hit), width=max(40, width - 4)) or [""]
        matched = {" ".join(safe(t).split()) for t, m in hit.snippet if m}
        pattern = re.compile("|".join(sorted(map(re.escape, matched), key=len, reverse=True))) if matched else None
        for w in wrapped:
            if color and pattern:
                w = pattern.sub(lambda m: _paint(m.group(), MATCH, True), w)
            lines.append("    " + w)
        lines.append("")
    shown = len(result.hits)
    noun = "section" if result.total == 1 else "sections"
    lines.append(f"{result.total} matching {noun}" + (f", {shown} shown" if shown < result.total else ""))
    return "\n".join(lines)


def hit_json(hit: Hit) -> dict:
    """The documented JSON shape of one hit."""
    snippet = "".join(t for t, _ in hit.snippet)
    spans, pos = [], 0
    for text, matched in hit.snippet:
        if matched:
            spans.append([pos, pos + len(text)])
        pos += len(text)
    return {
        "id": hit.id,
        "doc": hit.doc,
        "path": hit.path,
        "root": hit.root,
        "title": hit.title,
        "heading": hit.heading,
        "heading_path": hit.heading_path,
        "kind": hit.kind,
        "therapies": hit.therapies,
        "line_start": hit.line_start,
        "line_end": hit.line_end,
        "anchor": hit.anchor,
        "score": hit.score,
        "snippet": snippet,
        "highlights": spans,
        "text": hit.text,
    }


def to_json(data: object) -> str:
    """``data`` as JSON that keeps text as UTF-8 but spells out the bidirectional controls."""
    return escape_bidi(json.dumps(data, ensure_ascii=False))


def as_json(result: SearchResult) -> str:
    """One JSON object: query, total, suggestion, explain and hits."""
    return to_json(
        {
            "query": result.query,
            "total": result.total,
            "suggestion": result.suggestion,
            "explain": result.explain,
            "hits": [hit_json(h) for h in result.hits],
        }
    )


def outline(sections: list[dict], width: int = 80) -> str:
    """Documents with their headings (indented by depth), source lines, kind and therapies."""
    lines: list[str] = []
    current, shown_path = None, []
    for s in sections:
        if (s.get("path") or s["doc"]) != current:
            current, shown_path = s.get("path") or s["doc"], []
            name = f"{printable(from_here(current)) if s.get('path') else safe(current)}: "
            lines.append(name + _fit(safe(s["title"]), max(width - len(name), 12)))  # the path is never cut
        path = [safe(h) for h in s["heading_path"]] or [safe(s["heading"])]
        for depth in range(len(path) - 1):  # parents that hold no text of their own
            if shown_path[: depth + 1] != path[: depth + 1]:
                lines.append(_fit(f"{'':13}{'  ' * (depth + 1)}{path[depth]}", width))
        shown_path = path
        where = f"{s['line_start']:>6}-{s['line_end']:<6} {'  ' * len(path)}"
        tags = f"  [{', '.join(s['therapies'])}]" if s["therapies"] else ""
        line = f"{where}{safe(s['heading'])} ({s['kind']})"
        if tags and len(line) + len(tags) <= width:
            lines.append(line + tags)
        else:  # like search output: therapies that do not fit go on a line of their own
            lines.append(_fit(line, width))
            if tags:
                lines.append(_fit(" " * (len(where) + 2) + tags.strip(), width))
    return "\n".join(lines)


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"
