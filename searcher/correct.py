"""Query stage: misspelled words corrected against the index's own vocabulary,
and the typed words that match nothing named."""

from __future__ import annotations

import re

from searcher.expand import IDENTIFIER, known
from searcher.parse import OPERATORS, outside_quotes
from searcher.schema import STOP, american, forms
from searcher.tag import Taxonomy

# A word that may be a typo: letters only, not part of an identifier
# ("pg_class.oid", "read-only"), a field name, a wildcard or a fuzzy term.
_WORD = re.compile(r"(?<![\w.:*?~^'’-])([A-Za-z]+)(?![\w:*?~('’-]|\.\w)")
# Spelling candidates by first letter, kept for as long as the index is the
# same generation (its segments unchanged): computed once, not per query.
_VOCABULARY: dict[tuple, dict[str, list[str]]] = {}


def _generation(reader) -> tuple:
    """What identifies the state of an index: its segments and its deletions."""
    key = []
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        key.append((segment.segment_id(), segment.deleted_count()) if segment is not None else id(leaf))
    return tuple(key)


def _vocabulary(reader, first_letter: str, taxonomy: Taxonomy | None) -> list[str]:
    """The index's words (and the taxonomy's) that start with ``first_letter``.

    Misspellings nearly always keep the first letter, so only those are candidates.
    """
    key = _generation(reader)
    letters = _VOCABULARY.get(key)
    if letters is None:
        _VOCABULARY.clear()
        letters = _VOCABULARY[key] = {}
    if first_letter not in letters:
        words = set(_letters(reader, first_letter))
        if taxonomy is not None:
            words.update(w for name in taxonomy.query_names[0] for w in name if w.startswith(first_letter))
        letters[first_letter] = sorted(words)
    return letters[first_letter]


def _letters(reader, first_letter: str) -> list[str]:
    """The index's words that start with ``first_letter``, read from its term list."""
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.expand_prefix("words", first_letter)]


def _is_typo(word: str, reader, taxonomy: Taxonomy | None) -> bool:
    low = word.lower()
    if word in OPERATORS or low in STOP or len(low) < 5 or reader.doc_frequency("words", low):
        return False
    if taxonomy is not None and (low,) in taxonomy.query_names[0]:
        return False  # a therapy's own name or acronym is not a typo
    if american(low) != low and known(reader, forms(low, False)[0][0]):
        return False  # "behaviour" where the index says "behavior"
    from searcher.english import is_english

    return not is_english(low)


def correct(text: str, reader, taxonomy: Taxonomy | None = None) -> str:
    """Replace misspelled words by the closest word the index (or the taxonomy) has.

    A word is left as typed when the index has it (in any spelling), when it
    is a correct English word, when it is part of an identifier or a
    hyphenated word, when it is a therapy's name, or under five letters.
    Candidates are one edit away (two from six letters on).
    """
    out, last = [], 0
    for m in _WORD.finditer(text):
        word = m.group(1)
        if not _is_typo(word, reader, taxonomy):
            continue
        low = word.lower()
        best = _closest(low, _vocabulary(reader, low[0], taxonomy), reader)
        if best:
            out.append(text[last : m.start()] + best)
            last = m.end()
    return "".join(out) + text[last:]


def _closest(word: str, vocab: list[str], reader) -> str | None:
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    limit = 1 if len(word) <= 5 else 2
    # Candidates share the first letter, which also keeps a real word the
    # corpus lacks ("night") from turning into one it has ("right").
    found = extract(word, vocab, scorer=OSA.distance, score_cutoff=limit, limit=50)
    if not found:
        return None
    return min(found, key=lambda f: (f[1], -reader.doc_frequency("words", f[0]), f[0]))[0]


def unmatched(text: str, reader, taxonomy: Taxonomy) -> list[str]:
    """The typed words (outside quotes and NOT) that match no section at all."""
    spelled = taxonomy.query_names[0]
    outside = outside_quotes(text)
    missing = []
    negate = False
    for m in IDENTIFIER.finditer(text):
        raw = m.group()
        if raw.upper() in OPERATORS:
            negate = raw.upper() == "NOT"
            continue
        was_negated, negate = negate, False
        after = text[m.end() : m.end() + 1]
        if was_negated or not outside(m.start()) or after in ("*", "?", ":", "~"):
            continue
        if (raw.lower(),) in spelled or raw in taxonomy.query_names[1]:
            continue
        found = forms(raw, False)
        if found and not known(reader, found[0][0]):
            missing.append(raw)
    return list(dict.fromkeys(missing))
