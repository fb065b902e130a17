"""Query stage: words widened to what the index holds.

Therapy names and acronyms reach the sections tagged with the therapy, and
identifiers the index lacks as typed reach their shorter forms or words.
"""

from __future__ import annotations

import re
from itertools import pairwise

from searcher.parse import OPERATORS, outside_quotes
from searcher.schema import IDENT, SEARCH_FIELDS, forms, parts
from searcher.tag import NAME_WORD, Taxonomy

EXPANSION_BOOST = 0.3
IDENTIFIER = re.compile(rf"(?<![\w:*?~^]){IDENT}(?![\w:*?~(])")


def _therapy_at(words: list, i: int, text: str, taxonomy: Taxonomy) -> tuple[int, str] | None:
    """(words taken, therapy id) of the longest therapy name that starts at ``words[i]``."""
    spelled, exact, longest = taxonomy.query_names
    for n in range(min(longest, len(words) - i), 0, -1):
        run = words[i : i + n]
        if any(text[a.end() : b.start()].strip(" -") for a, b in pairwise(run)):
            continue
        key = tuple(w.group().lower() for w in run)
        tid = spelled.get(key) or (spelled.get((*key[:-1], key[-1][:-1])) if key[-1].endswith("s") else None)
        if n == 1 and not tid:
            tid = exact.get(run[0].group()) or exact.get(run[0].group().removesuffix("s"))
        if tid:
            return n, tid
    return None


def expand_therapies(text: str, taxonomy: Taxonomy) -> str:
    """Widen each therapy named in the query to the sections tagged with it.

    "CBT" becomes ``(CBT OR therapies:cbt^0.3)``: the typed word keeps its
    weight, the tag adds the sections that spell the therapy out.  Words in
    quotes, after a ``field:`` or before a wildcard are left as typed.
    """
    outside = outside_quotes(text)
    words = [
        m
        for m in NAME_WORD.finditer(text)
        if outside(m.start())
        and text[m.start() - 1 : m.start()] not in (":", "*", "?")
        and text[m.end() : m.end() + 1] not in (":", "*", "?", "~")
    ]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        found = _therapy_at(words, i, text, taxonomy)
        if found:
            n, tid = found
            spans.append((words[i].start(), words[i + n - 1].end(), tid))
            i += n
        else:
            i += 1
    for start, end, tid in reversed(spans):
        typed = text[start:end]
        typed = f"({typed})" if " " in typed else typed  # the words stay together, AND-ed
        text = f"{text[:start]}({typed} OR therapies:{tid}^{EXPANSION_BOOST}){text[end:]}"
    return text


def known(reader, term: str) -> bool:
    """True when some searched field holds ``term``."""
    return any(reader.doc_frequency(f, term) for f in SEARCH_FIELDS)


def identifiers(text: str, reader) -> str:
    """Identifiers the index lacks as typed, made into what it has.

    A qualified name finds the pages that print its shorter forms
    (``django.forms.RadioSelect`` -> ``forms.RadioSelect`` -> ``RadioSelect``);
    a hyphenated or underscored word finds its words (``light-weight`` ->
    ``light weight``).
    """
    outside = outside_quotes(text)
    out, last = [], 0
    for m in IDENTIFIER.finditer(text):
        raw = m.group()
        if not parts(raw) or not outside(m.start()) or raw.upper() in OPERATORS:
            continue
        whole = forms(raw, False)
        if not whole or known(reader, whole[0][0]):
            continue
        segments = [s for s in raw.split(".") if s]
        shorter = [".".join(segments[i:]) for i in range(1, len(segments))]
        found = next((s for s in shorter if (f := forms(s, False)) and known(reader, f[0][0])), None)
        if found is None:
            found = " ".join(p for p in re.split(r"[._-]+", raw) if p)
        out.append(text[last : m.start()] + found)
        last = m.end()
    return "".join(out) + text[last:]
