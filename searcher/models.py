"""Plain data passed between the stages: read -> clean -> segment -> tag -> index -> search -> print.

One model of a section from the reader to the printer: readers give
``Block``s, the segmenter makes ``Section``s, the index stores them and gives
them back (``searcher.stored``), and a search returns each as a ``Hit``: the
section with its score, tier and snippet.  Printers import only this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Block:
    """One logical line of cleaned text with the source line it came from.

    ``kind`` is ``heading`` (a real heading of the format, with ``level``),
    ``line`` (a plain text line, maybe a heading candidate), ``para`` (a
    paragraph, table cell or other text the format says is no heading),
    ``code`` (preformatted text, kept verbatim), ``item`` (a list item, with
    ``depth``) or ``title`` (the document's own title).  ``anchor`` is the id
    a browser can jump to (the block's own, or the nearest one before it).
    """

    kind: str
    text: str
    line: int
    depth: int = 0
    level: int = 0
    end: int = 0  # last source line, when the block spans several (HTML)
    anchor: str = ""

    @property
    def last_line(self) -> int:
        """The block's last source line."""
        return max(self.end, self.line)


@dataclass(slots=True)
class Section:
    """One searchable unit: a heading and the text under it."""

    id: str
    doc: str
    title: str
    heading: str
    heading_path: list[str]
    kind: str
    text: str
    line_start: int
    line_end: int
    therapies: list[str] = field(default_factory=list)
    anchor: str = ""  # the heading's id in the page, for a link to the section
    path: str = ""  # the file's absolute path, once indexed
    root: str = ""  # the indexed folder that ``doc`` is relative to, once indexed


ALL_WORDS, SOME_WORDS = "all words", "some words"


@dataclass(slots=True)
class Hit:
    """One ranked section, with a snippet made of (text, is_match) parts."""

    section: Section
    score: float = 0.0
    tier: str = ALL_WORDS  # "all words" of the query, or only "some words"
    snippet: list[tuple[str, bool]] = field(default_factory=list)


@dataclass(slots=True)
class SimilarHit(Hit):
    """A hit of ``searcher similar``, with how much of its text it shares with the section."""

    similarity: float = 0.0
    near_duplicate: bool = False


@dataclass
class SearchRequest:
    """What to look for, and where."""

    query: str
    section: str | None = None
    therapies: list[str] = field(default_factory=list)
    doc_glob: str | None = None
    limit: int | None = 10  # None: every matching section
    per_doc: int | None = None
    snippets: bool = True
    kinds: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    """The hits of one search, the number of matching sections, and what ran."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    explain: str
    unmatched: list[str] = field(default_factory=list)  # typed words no section holds
    exact: bool = True  # False when ``total`` is an estimate
    outdated: bool = False  # the index was written with another analysis: `searcher index` redoes it


@dataclass
class SimilarResult(SearchResult):
    """The hits, and the section they are like."""

    source: Hit | None = None


@dataclass
class IndexReport:
    """What one indexing run did: counts, seconds, and what to tell the user."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    sections: int = 0
    seconds: float = 0.0
    links: list[str] = field(default_factory=list)  # links to a file indexed under its own name
    forgotten: list[str] = field(default_factory=list)  # roots dropped by --only
    warnings: list[str] = field(default_factory=list)
