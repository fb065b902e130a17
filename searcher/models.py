"""Plain data passed between the stages: read -> clean -> segment -> tag -> index."""

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
