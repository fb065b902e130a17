"""Snippets: the part of a section where the query's words gather, words marked.

A small highlighter with the same tokens and forms the index uses, so
"relapses" marks "relapse", "behaviour" marks "behavior" and a query for
``value_counts`` marks ``Series.value_counts``; it looks at
most at a window of the section and imports nothing beyond the stemmer.
"""

from __future__ import annotations

import re

from searcher.schema import IDENT, terms

_TOKEN = re.compile(IDENT)
WINDOW_CHARS = 1500
SNIPPET_CHARS = 240
LEAD_CHARS = 60


def window(text: str, stems: set[str]) -> tuple[int, str]:
    """(offset, part) of a long text around where a query word first shows.

    A stem is mostly a prefix of the words it stands for, so a plain find
    locates the first match well enough without analysing the whole section.
    """
    if len(text) <= WINDOW_CHARS:
        return 0, text
    lower = text.lower()
    found = [i for i in (lower.find(s.rsplit(".", 1)[-1]) for s in stems) if i >= 0]
    start = max(0, min(found) - 200) if found else 0
    return start, text[start : start + WINDOW_CHARS]


def snippet(text: str, stems: set[str]) -> list[tuple[str, bool]]:
    """The best ~240 characters of ``text`` as (text, is_match) parts."""
    offset, part = window(text, stems)
    spans = [m.span() for m in _TOKEN.finditer(part) if not stems.isdisjoint(terms(m.group()))]
    if not spans:
        return [(_clip(text, 0, SNIPPET_CHARS), False)]
    start = _word_start(part, max(0, spans[_densest(spans)][0] - LEAD_CHARS))
    end = _word_end(part, min(len(part), start + SNIPPET_CHARS))
    parts: list[tuple[str, bool]] = []
    pos = start
    for s, e in spans:
        if s < start or e > end:
            continue
        if s > pos:
            parts.append((part[pos:s], False))
        parts.append((part[s:e], True))
        pos = e
    if end > pos:
        parts.append((part[pos:end], False))
    if offset + start > 0:
        parts.insert(0, ("…", False))
    if offset + end < len(text):
        parts.append(("…", False))
    return parts


def _densest(spans: list[tuple[int, int]]) -> int:
    """Index of the first match that starts the run of most matches within one snippet (one pass)."""
    reach = SNIPPET_CHARS - LEAD_CHARS
    best, best_count, j = 0, 0, 0
    for i, (start, _) in enumerate(spans):
        j = max(j, i)
        while j < len(spans) and spans[j][0] < start + reach:
            j += 1
        if j - i > best_count:
            best, best_count = i, j - i
    return best


def _clip(text: str, start: int, size: int) -> str:
    end = _word_end(text, min(len(text), start + size))
    return text[start:end] + ("…" if end < len(text) else "")


def _word_start(text: str, i: int) -> int:
    """Move ``i`` forward to the start of a word, unless it is at the start already."""
    if i == 0 or text[i - 1].isspace():
        return i
    j = text.find(" ", i)
    return j + 1 if j != -1 and j - i < 20 else i


def _word_end(text: str, i: int) -> int:
    """Move ``i`` back to the end of a word."""
    if i >= len(text) or text[i].isspace():
        return i
    j = text.rfind(" ", 0, i)
    return j if j > 0 and i - j < 20 else i
