"""The Whoosh schema and analyzers, shared by indexing and querying.

Kept free of BeautifulSoup so that the search path stays cheap to import.
"""

from __future__ import annotations

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

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

STEMMED = StemmingAnalyzer(expression=TOKEN, stoplist=STOP, minsize=1, cachesize=50000)
# Unstemmed words, the vocabulary that spelling suggestions come from.
PLAIN = RegexTokenizer(TOKEN) | LowercaseFilter() | StopFilter(stoplist=STOP, minsize=2)

FIELD_BOOSTS = {"heading": 2.5, "title": 1.5, "body": 1.0}
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
