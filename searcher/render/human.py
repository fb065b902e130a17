"""The printers for people: search hits grouped by document (ripgrep's habits),
similar sections, outlines of documents, a file's sections, the therapies table."""

from __future__ import annotations

import re

from searcher.models import Hit, SearchResult, Section, SimilarResult
from searcher.render.terminal import DIM, LINE, MATCH, PATH, fit, paint, safe, shown_path, snippet_text, wrap


def _tags(section: Section) -> str:
    return f"[{', '.join(section.therapies)}]" if section.therapies else ""


def _heading_path(section: Section, room: int | None) -> str:
    """``parent › heading`` within ``room``: parents give way first, then the heading's end."""
    path = [safe(h) for h in section.heading_path] or [safe(section.heading)]
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
    s = hit.section
    shown = safe(shown_path(s))
    where = f"{indent}{shown + ':' if path else ''}{s.line_start}: "
    tags = _tags(s)
    full = _heading_path(s, None)
    own_line = width is not None and len(where) + len(full) + len(tags) + 1 > width
    room = None if width is None else width - len(where) - (0 if own_line or not tags else len(tags) + 1)
    heading = _heading_path(s, room)
    location = f"{paint(shown, PATH, color)}:" if path else ""
    head = f"{indent}{location}{paint(str(s.line_start), LINE, color)}: {heading}"
    if not tags:
        return head
    if own_line:
        return "\n".join([head, *(paint(line, DIM, color) for line in wrap(tags, width, indent + "    "))])
    return f"{head} {paint(tags, DIM, color)}"


def snippet_lines(hit: Hit, color: bool, width: int | None, indent: str) -> list[str]:
    """A hit's snippet wrapped to ``width`` under ``indent``, matches painted when ``color``."""
    wrapped = wrap(snippet_text(hit), width, indent)
    matched = {" ".join(safe(t).split()) for t, m in hit.snippet if m}
    pattern = re.compile("|".join(sorted(map(re.escape, matched), key=len, reverse=True))) if matched else None
    if color and pattern:
        wrapped = [pattern.sub(lambda m: paint(m.group(), MATCH, True), w) for w in wrapped]
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
        groups.setdefault(hit.section.path or hit.section.doc, []).append(hit)
    for hits in groups.values():
        first = hits[0].section
        where = safe(shown_path(first))
        title = safe(first.title)
        if width is not None and title and len(where) + 2 + len(title) > width:
            title = fit(title, max(width - len(where) - 2, 12))
        lines.append(f"{paint(where, PATH, color)}: {title}" if title else paint(where, PATH, color))
        for hit in hits:
            lines.append(hit_header(hit, color, width, indent="  ", path=False))
            lines += snippet_lines(hit, color, width, "      ")
        lines.append("")
    return "\n".join(lines + footer(result))


def similar(result: SimilarResult, color: bool = False, width: int | None = 80, explain: bool = False) -> str:
    """Search's blocks, a near duplicate marked under its header, a footer that counts them."""
    lines: list[str] = []
    if result.source:
        lines += [f"like {hit_header(result.source, color, width)}", ""]
    if explain:
        lines.append(f"query: {safe(result.explain)}")
    for hit in result.hits:
        lines.append(hit_header(hit, color, width))
        if hit.near_duplicate:
            lines.append(f"    ≈ near duplicate ({round(hit.similarity * 100)}% the same three-word runs)")
        lines.extend(snippet_lines(hit, color, width, "    "))
        lines.append("")
    near = sum(h.near_duplicate for h in result.hits)
    noun = "section" if result.total == 1 else "sections"
    footer = f"{result.total} similar {noun}"
    if len(result.hits) < result.total:
        footer += f", {len(result.hits)} shown"
    if near:
        footer += f", {near} near duplicate{'' if near == 1 else 's'}"
    return "\n".join([*lines, footer])


def outline(sections: list[Section], width: int | None = 80) -> str:
    """Documents with their headings (indented by depth), source lines, kind and therapies,
    fit to ``width`` (None: never cut)."""
    lines: list[str] = []
    current, shown = None, []
    for s in sections:
        if (s.path or s.doc) != current:
            current, shown = s.path or s.doc, []
            name = f"{safe(shown_path(s))}: "
            room = None if width is None else max(width - len(name), 12)
            lines.append(name + fit(safe(s.title), room))  # the path is never cut
        path = [safe(h) for h in s.heading_path] or [safe(s.heading)]
        for depth in range(len(path) - 1):  # parents that hold no text of their own
            if shown[: depth + 1] != path[: depth + 1]:
                lines.append(fit(f"{'':13}{'  ' * (depth + 1)}{path[depth]}", width))
        shown = path
        where = f"{s.line_start:>6}-{s.line_end:<6} {'  ' * len(path)}"
        tags = f"  {_tags(s)}" if s.therapies else ""
        line = f"{where}{safe(s.heading)} ({s.kind})"
        if tags and (width is None or len(line) + len(tags) <= width):
            lines.append(line + tags)
        else:  # like search output: therapies that do not fit go on a line of their own
            lines.append(fit(line, width))
            if tags:
                lines.append(fit(" " * (len(where) + 2) + tags.strip(), width))
    return "\n".join(lines)


def sections_text(sections: list[Section]) -> str:
    """What gets indexed, as a person reads it: ``#`` headings by depth, then each section's text."""
    out, shown = [], []
    for s in sections:
        path = s.heading_path or [s.heading]
        for depth in range(len(path) - 1):  # parents that hold no text of their own
            if shown[: depth + 1] != path[: depth + 1]:
                out.append(f"{'#' * (depth + 1)} {path[depth]}\n")
        out.append(f"{'#' * len(path)} {s.heading}\n{s.text}\n")
        shown = path
    return safe("\n".join(out))


def therapies_table(rows: list[dict]) -> str:
    """The therapies with their section and document counts, one a line."""
    lines = [f"{'therapy':<26}{'sections':>9}{'docs':>6}  name (every alias: --json)"]
    lines += [f"{r['id']:<26}{r['sections']:>9}{r['documents']:>6}  {r['name']}" for r in rows]
    return "\n".join(lines)
