"""The Whoosh schema and analyzers, shared by indexing and querying.

Kept free of BeautifulSoup so that the search path stays cheap to import.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.lang.porter import stem

# Whoosh's stop list plus the function words of a question, so that "what can
# I do when ..." is ranked by its content words.
STOP = frozenset(STOP_WORDS) | frozenset(
    [
        "about",
        "after",
        "all",
        "also",
        "am",
        "any",
        "because",
        "been",
        "before",
        "being",
        "both",
        "but",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "during",
        "each",
        "few",
        "further",
        "had",
        "has",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "into",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "now",
        "off",
        "once",
        "only",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "those",
        "through",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "were",
        "what",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "would",
    ]
)
TOKEN = r"\w+(?:[.'’]\w+)*"
# What the analyzers read as one word: TOKEN, and words joined by hyphens
# ("git-rebase"), so that an identifier is found as typed and by its parts.
IDENT = r"\w+(?:(?:[.'’]|-(?=\w))\w+)*"
_SEPARATORS = re.compile(r"[._-]")
MAX_CHAIN = 6  # dotted names longer than this give their parts, not every sub-chain


def _fold(text: str) -> str:
    """Lower case without accents: "Café" is "cafe"."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def american(word: str) -> str:
    """The American spelling of a British one ("behaviour" -> "behavior"), else the word."""
    from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS

    return BRITISH_ENGLISH_SPELLINGS.get(word, word)


@lru_cache(maxsize=100_000)
def normal(word: str) -> str:
    """One plain word as the index stores it: folded, American-spelled, stemmed."""
    word = _fold(word)
    return stem(american(word)) if word.isalpha() else stem(word)


def _leaves(raw: str) -> list[str]:
    return [p for p in re.split(r"[._-]+", raw) if p]


def parts(raw: str) -> list[tuple[str, int]]:
    """The words an identifier is also found by, as typed, each with the
    number of its first word within the identifier (its position offset).

    ``pg_class.oid`` gives ``pg_class``, ``pg``, ``class``, ``oid``;
    ``os.path.join`` gives ``os.path``, ``path.join``, ``os``, ``path``,
    ``join``; ``git-rebase`` gives ``git`` and ``rebase``.
    """
    if not _SEPARATORS.search(raw):
        return []
    segments = [s for s in raw.split(".") if s]
    starts, count = [], 0
    for segment in segments:
        starts.append(count)
        count += len(_leaves(segment))
    out: list[tuple[str, int]] = []
    n = len(segments)
    if n > 1:
        sizes = range(n - 1, 0, -1) if n <= MAX_CHAIN else (2, 1)
        out += [(".".join(segments[i : i + size]), starts[i]) for size in sizes for i in range(n - size + 1)]
    out += [(leaf, i) for i, leaf in enumerate(_leaves(raw))]
    seen, unique = {raw}, []
    for word, offset in out:
        if word not in seen:
            seen.add(word)
            unique.append((word, offset))
    return unique


@lru_cache(maxsize=100_000)
def forms(raw: str, with_parts: bool = True) -> tuple[tuple[str, int], ...]:
    """The terms one typed word is indexed under, with their position offsets:
    itself, then its parts; stop words left out."""
    found = [] if _fold(raw) in STOP else [(normal(raw), 0)]
    if with_parts:
        found += [(normal(p), offset) for p, offset in parts(raw) if _fold(p) not in STOP]
    seen, unique = set(), []
    for term, offset in found:
        if term not in seen:
            seen.add(term)
            unique.append((term, offset))
    return tuple(unique)


@lru_cache(maxsize=100_000)
def terms(raw: str) -> frozenset[str]:
    """The index terms of one typed word and its parts."""
    return frozenset(t for t, _ in forms(raw))


def width(raw: str) -> int:
    """How many positions a word takes in the index: one per word of an identifier."""
    return max(1, len(_leaves(raw)))


# Raised whenever what IdentifierFilter makes of a word changes: an index written
# with another version is read again whole by the next `searcher index`.
ANALYSIS_VERSION = 1


class IdentifierFilter(Filter):
    """Lower-cases, folds accents, maps British to American spelling, stems,
    drops stop words, and (when indexing) adds the parts of identifiers.

    An identifier and its first word share a position, its other words take
    the positions after it: the phrase "trauma informed care" finds
    "trauma-informed care", and ``"os.path.join"`` (searched as the phrase
    of its words) finds it too.
    """

    def __init__(self) -> None:
        self.version = ANALYSIS_VERSION  # pickled with the index's schema

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdentifierFilter) and vars(self) == vars(other)

    def __call__(self, tokens):
        pos = 0
        for t in tokens:
            raw = t.text
            indexing = t.mode != "query"
            found = forms(raw, indexing)
            if not found:
                if not t.removestops:
                    t.text, t.stopped = _fold(raw), True
                    if t.positions:
                        t.pos = pos
                    yield t
                continue
            for text, offset in found:
                t.text = text
                t.stopped = False
                if t.positions:
                    t.pos = pos + offset
                yield t
            pos += width(raw) if indexing else 1


STEMMED = RegexTokenizer(IDENT) | IdentifierFilter()
# Plain words, the vocabulary that spelling suggestions come from: identifiers
# give their words ("value_counts": "value", "counts").
PLAIN = RegexTokenizer(r"[^\W\d_]+(?:['’][^\W\d_]+)*") | LowercaseFilter() | StopFilter(stoplist=STOP, minsize=2)

# A section matches by its heading path (its own heading and its parents')
# and its text; the document's title only adds to the score of a section
# that matches.  The path holds the heading, so searching the heading field
# as well would only add a third posting list to every word.
FIELD_BOOSTS = {"section": 2.0, "body": 1.0}
TITLE_BOOST = 1.0
SEARCH_FIELDS = tuple(FIELD_BOOSTS)


def make_schema() -> Schema:
    """One record per section: stored fields for everything a hit shows."""
    return Schema(
        id=ID(stored=True, unique=True),
        file=ID(stored=True),
        root=ID(stored=True),  # the folder a document's name is relative to
        doc=ID(stored=True),
        title=TEXT(analyzer=STEMMED, stored=True),
        heading=TEXT(analyzer=STEMMED, stored=True),
        section=TEXT(analyzer=STEMMED),
        heading_path=STORED(),
        kind=ID(stored=True),
        therapies=KEYWORD(stored=True, commas=True, scorable=True),
        line_start=STORED(),
        line_end=STORED(),
        anchor=STORED(),
        body=TEXT(analyzer=STEMMED, stored=True),
        words=TEXT(analyzer=PLAIN, phrase=False),
    )
