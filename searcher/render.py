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


def _tags(hit: Hit) -> str:
    return f"[{', '.join(hit.therapies)}]" if hit.therapies else ""


def _wrap(text: str, width: int | None, indent: str) -> list[str]:
    """Lines of ``text`` within ``width`` (no limit: one line), never cutting a word."""
    if width is None:
        return [indent + text]
    return [
        indent + w
        for w in textwrap.wrap(text, width=max(20, width - len(indent)), break_long_words=False, break_on_hyphens=False)
    ] or [indent]


def _heading_path(hit: Hit, room: int | None) -> str:
    """``parent › heading`` within ``room``: parents give way first, then the heading's end."""
    path = [safe(h) for h in hit.heading_path] or [safe(hit.heading)]
    if room is None or len(" › ".join(path)) <= room:
        return " › ".join(path)
    if len(path) > 1:
        path = ["…", path[-1]]
        if len(" › ".join(path)) > room:
            path = path[-1:]
    if len(" › ".join(path)) > room:
        keep = max(room - len(" › ".join(path[:-1])) - (3 if len(path) > 1 else 0), 12)
        cut = path[-1][: keep - 1]
        cut = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut
        path[-1] = cut.rstrip() + "…"
    return " › ".join(path)


def hit_header(hit: Hit, color: bool = False, width: int | None = 80, indent: str = "", path: bool = True) -> str:
    """``path:line: parent › heading [therapies]``, kept within ``width`` (None: no limit).

    Without ``path`` the line starts at the line number (hits grouped under
    their document).  When it does not fit, the therapies move to lines of
    their own (never cut inside a name), then the parent headings give way,
    then the end of the heading.
    """
    shown = safe(shown_path(hit))
    where = f"{indent}{shown + ':' if path else ''}{hit.line_start}: "
    tags = _tags(hit)
    full = _heading_path(hit, None)
    own_line = width is not None and len(where) + len(full) + len(tags) + 1 > width
    room = None if width is None else width - len(where) - (0 if own_line or not tags else len(tags) + 1)
    heading = _heading_path(hit, room)
    location = f"{_paint(shown, PATH, color)}:" if path else ""
    head = f"{indent}{location}{_paint(str(hit.line_start), LINE, color)}: {heading}"
    if not tags:
        return head
    if own_line:
        return "\n".join([head, *(_paint(line, DIM, color) for line in _wrap(tags, width, indent + "    "))])
    return f"{head} {_paint(tags, DIM, color)}"


def snippet_lines(hit: Hit, color: bool, width: int | None, indent: str) -> list[str]:
    """A hit's snippet wrapped to ``width`` under ``indent``, matches painted when ``color``."""
    wrapped = _wrap(snippet_text(hit), width, indent)
    matched = {" ".join(safe(t).split()) for t, m in hit.snippet if m}
    pattern = re.compile("|".join(sorted(map(re.escape, matched), key=len, reverse=True))) if matched else None
    if color and pattern:
        wrapped = [pattern.sub(lambda m: _paint(m.group(), MATCH, True), w) for w in wrapped]
    return wrapped


def footer(result: SearchResult) -> list[str]:
    """How many sections matched (about how many, when estimated), and the words that matched nothing."""
    shown = len(result.hits)
    noun = "section" if result.total == 1 else "sections"
    about = "" if result.exact else "about "
    lines = [f"{about}{result.total:,} matching {noun}" + (f", {shown} shown" if shown < result.total else "")]
    if result.unmatched and (result.hits or len(result.query.split()) > 1):
        lines.append("no section holds: " + ", ".join(safe(w) for w in result.unmatched))
    return lines


def human(result: SearchResult, color: bool = False, width: int | None = 80, explain: bool = False) -> str:
    """Hits grouped under their document (its path and title once, its sections
    below, best first), then a footer with the number of matching sections."""
    lines: list[str] = []
    if result.suggestion:
        lines.append(f"showing results for: {safe(result.suggestion)}")
    if explain:
        lines.append(f"query: {safe(result.explain)}")
    groups: dict[str, list[Hit]] = {}
    for hit in result.hits:
        groups.setdefault(hit.path or hit.doc, []).append(hit)
    for hits in groups.values():
        first = hits[0]
        where = safe(shown_path(first))
        title = safe(first.title)
        if width is not None and title and len(where) + 2 + len(title) > width:
            title = _fit(title, max(width - len(where) - 2, 12))
        lines.append(f"{_paint(where, PATH, color)}: {title}" if title else _paint(where, PATH, color))
        for hit in hits:
            lines.append(hit_header(hit, color, width, indent="  ", path=False))
            lines += snippet_lines(hit, color, width, "      ")
        lines.append("")
    return "\n".join(lines + footer(result))


def files(result: SearchResult) -> str:
    """``-l``: each matching file once, best first."""
    return "\n".join(dict.fromkeys(safe(shown_path(h)) for h in result.hits))


def counts(result: SearchResult) -> str:
    """``-c``: ``path:N`` per matching file, N its matching sections, best file first."""
    per: dict[str, int] = {}
    for h in result.hits:
        key = safe(shown_path(h))
        per[key] = per.get(key, 0) + 1
    return "\n".join(f"{path}:{n}" for path, n in per.items())


def vimgrep(result: SearchResult) -> str:
    """One line per hit, ``path:line:col:heading: snippet``, as ``vim -q`` reads it."""
    out = []
    for h in result.hits:
        heading = " › ".join(safe(x) for x in h.heading_path) or safe(h.heading)
        out.append(f"{safe(shown_path(h))}:{h.line_start}:1:{heading}: {snippet_text(h)}")
    return "\n".join(out)


JSON_VERSION = 1


def hit_json(hit: Hit) -> dict:
    """The documented JSON shape of one hit (searcher/data/schema.json)."""
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
        "tier": hit.tier,
        "score": hit.score,
        "snippet": snippet,
        "highlights": spans,
        "text": hit.text,
    }


def to_json(data: object) -> str:
    """``data`` as JSON that keeps text as UTF-8 but spells out the bidirectional controls."""
    return escape_bidi(json.dumps(data, ensure_ascii=False))


def as_json(result: SearchResult) -> str:
    """One JSON object: version, query, total, suggestion, unmatched, explain and hits."""
    return to_json(
        {
            "version": JSON_VERSION,
            "query": result.query,
            "total": result.total,
            "total_exact": result.exact,
            "suggestion": result.suggestion,
            "unmatched": result.unmatched,
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
