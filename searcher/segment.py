"""Stage 3, segment: blocks to sections, split at headings.

HTML headings carry their level.  In scraped text a heading is a short line,
without a closing period, that introduces the text under it; a question line
is an FAQ heading.  A heading followed at once by another heading is taken as
the parent of the headings that follow it, until the next such parent; heading
lines nest under the last real (Markdown, underlined or HTML) heading.
"""

from __future__ import annotations

import re

from searcher.models import Block, Section

MAX_HEADING_WORDS = 14
MAX_HEADING_CHARS = 120
_SLUG = re.compile(r"[^a-z0-9]+")
# A speaker's turn in a transcript or chat: "HOST (Dana): And the dose?", "DR. ORTEGA: Yes."
_SPEAKER = re.compile(r"^[A-Z][A-Z.'’ -]{1,30}(?:\s*\([^()]{1,30}\))?:\s+\S")


def is_heading_line(block: Block) -> bool:
    """A short line that does not end a sentence or a list label."""
    text = block.text
    if block.kind == "heading":
        return True
    if block.kind != "line" or len(text) > MAX_HEADING_CHARS:
        return False
    if len(text.split()) > MAX_HEADING_WORDS or text[-1] in '.,;:!"”' or _SPEAKER.match(text):
        return False
    return text[0].isupper() or text[0].isdigit()


MAX_LIST_INDENT = 16  # deeper items are indented no further: text grows with depth squared otherwise


def _block_text(block: Block) -> str:
    """A block as a line (or lines, for code) of the section's text."""
    if block.kind == "item":
        return "  " * min(block.depth, MAX_LIST_INDENT) + "- " + block.text
    return block.text


def slugify(text: str) -> str:
    """A URL-safe slug of a heading, for readable stable ids."""
    return _SLUG.sub("-", text.lower()).strip("-")[:80] or "section"


def _levels(blocks: list[Block], heads: list[bool]) -> list[int]:
    """Heading levels: real headings keep theirs; a heading line nests one
    (parent) or two levels under the last real heading, or is 1 or 2."""
    levels = [0] * len(blocks)
    parent_open, base = False, 0
    for i, block in enumerate(blocks):
        if not heads[i]:
            continue
        if block.level:
            levels[i] = base = block.level
            parent_open = False
            continue
        next_is_heading = i + 1 < len(blocks) and heads[i + 1] and not blocks[i + 1].level
        if next_is_heading:
            parent_open = True
            levels[i] = base + 1
        else:
            levels[i] = base + (2 if parent_open else 1)
    return levels


def _title(body: list[Block], heads: list[bool]) -> str:
    """An HTML h1, else the longest of the heading lines a text document opens with."""
    h1 = next((b for b in body if b.kind == "heading" and b.level == 1), None)
    if h1:
        return h1.text
    lead = []
    for block, head in zip(body, heads, strict=False):
        if not head:
            break
        lead.append(block.text)
    if lead:
        return max(lead, key=len)
    text = body[0].text  # cut at a word's end, never inside a word
    if len(text) <= MAX_HEADING_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_HEADING_CHARS + 1)
    return (text[:cut] if cut > 0 else text[:MAX_HEADING_CHARS]) + "…"


class _Builder:
    """The sections of one document, built heading by heading."""

    def __init__(self, doc: str, title: str, first: Block) -> None:
        self.doc, self.title = doc, title
        self.sections: list[Section] = []
        self.seen: dict[str, int] = {}
        self.stack: list[tuple[int, str]] = []  # (level, heading) of the open headings
        self.heading, self.head_kind, self.start, self.anchor = "", "", first.line, first.anchor
        self.content: list[Block] = []

    def open(self, block: Block, level: int, end: int) -> None:
        """Close the open section at line ``end`` and start one under ``block``."""
        self.close(end, bare=bool(self.stack) and level <= self.stack[-1][0])
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, block.text))
        self.heading, self.head_kind, self.start = block.text, block.kind, block.line
        self.anchor = block.anchor or self.anchor
        self.content = []

    def close(self, end: int, bare: bool = False) -> None:
        """Close the open section.

        ``bare``: the heading has nothing under it and is in no heading path.
        A real heading is then a section of its own; a heading line was only
        a short line, and goes on the text before it.  The lines a document
        opens with give its title.
        """
        if not self.content:
            if not (bare and self.heading) or (self.head_kind != "heading" and not self.sections):
                return
            if self.head_kind != "heading":
                self.sections[-1].text += "\n" + self.heading
                self.sections[-1].line_end = max(self.sections[-1].line_end, self.start)
                return
        self.sections.append(self._section(end))

    def _section(self, end: int) -> Section:
        heading, content = self.heading, self.content
        path = [h for _, h in self.stack] or ([heading] if heading else [])
        name = heading or self.title
        slug = slugify("/".join(path) or name)
        self.seen[slug] = self.seen.get(slug, 0) + 1
        if self.seen[slug] > 1:
            slug = f"{slug}-{self.seen[slug]}"
        items = sum(b.kind == "item" for b in content)
        kind = "faq" if heading.endswith("?") else "list" if items * 2 > len(content) else "body"
        return Section(
            id=f"{self.doc}#{slug}",
            doc=self.doc,
            title=self.title,
            heading=name,
            heading_path=path or [name],
            kind=kind,
            text="\n".join(_block_text(b) for b in content),
            line_start=self.start,
            line_end=max(end, self.start),
            anchor=self.anchor,
        )


def segment(blocks: list[Block], doc: str, title: str | None = None) -> list[Section]:
    """Split a document's blocks into sections with heading paths and source lines.

    The title is ``title``, else the document's own (a ``title`` block: front
    matter, ``<title>``), else its first heading or opening lines.
    """
    title_blocks = [b for b in blocks if b.kind == "title"]
    body = [b for b in blocks if b.kind != "title"]
    if title is None:
        title = title_blocks[0].text if title_blocks else ""
    if not body:
        return []
    heads = [is_heading_line(b) and (b.kind == "heading" or i + 1 < len(body)) for i, b in enumerate(body)]
    if not title:
        title = _title(body, heads) or doc
    levels = _levels(body, heads)
    built = _Builder(doc, title, body[0])
    for i, block in enumerate(body):
        if heads[i]:
            built.open(block, levels[i], body[i - 1].last_line if i else block.line)
        else:
            built.content.append(block)
    built.close(body[-1].last_line, bare=True)
    return built.sections
