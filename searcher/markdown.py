"""Markdown to blocks, with markdown-it-py (CommonMark, plus GitHub tables).

The parser gives each block its source lines, so every block keeps the lines
it came from.  ATX and setext headings are headings with their level; a
paragraph is never a heading; fenced and indented code are kept verbatim so
identifiers in them are searchable; list items keep their depth; tables and
block quotes are kept as text.  Emphasis, link and image syntax go, their text
stays.  A YAML front matter's ``title:`` is the title; the rest of the front
matter is metadata and not indexed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from searcher.fragments import blank_hidden, markup_to_text, normalize_space
from searcher.models import Block

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
# Front matter a reader searches by: a note's tags, its other names, its keywords.
_TERMS = re.compile(r"^(tags|aliases|keywords):[ \t]*(.*?)[ \t]*$((?:\r?\n[ \t]*-[ \t]+.*$)*)", re.MULTILINE)
_TASK_BOX = re.compile(r"^\[[ xX]\]\s+")
_INLINE_TEXT = frozenset(["text", "text_special", "code_inline"])
_MARKS = re.compile(r"^(?:\s*(?:[-*+>]|\d+[.)])(?=\s|$))+")
_WORD = re.compile(r"\w")
_NEWLINES = re.compile(r"\r\n?|\n")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S")  # a link reference definition: no token, no text
_TEXT_TOKENS = frozenset(["inline", "fence", "code_block", "html_block"])


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def front_matter(text: str) -> tuple[str, int, str]:
    """(title, its line, text with the front matter blanked out so line numbers hold)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return "", 0, text
    found = _TITLE.search(m[1])
    title = found[1].strip().strip("'\"").strip() if found else ""
    line = m[1].count("\n", 0, found.start()) + 2 if found else 0
    return title, line, "\n" * m[0].count("\n") + text[m.end() :]


def front_matter_terms(text: str) -> list[Block]:
    """The tags, aliases and keywords of a front matter, one text block each (``tags: cm, research``)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return []
    blocks = []
    for found in _TERMS.finditer(m[1]):
        inline = [v.strip(" '\"") for v in found[2].strip("[]").split(",")]
        listed = [v.strip().lstrip("-").strip(" '\"") for v in found[3].splitlines() if v.strip()]
        values = [v for v in inline + listed if v]
        if values:
            line = m[1].count("\n", 0, found.start()) + 2
            blocks.append(Block("para", f"{found[1]}: {', '.join(values)}", line))
    return blocks


def inline_text(token: Token) -> str:
    """The words of an inline token: text, code and image alt text, no markup."""
    parts = []
    for child in token.children or ():
        if child.type in _INLINE_TEXT:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak", "html_inline"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child))
    return "".join(parts)


class _Walker:
    """One pass over the token stream, keeping the list and quote nesting."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.lists = 0
        self.quotes = 0
        self.items: list[bool] = []  # per open list item: its first paragraph is still to come
        self.opened: Token | None = None  # the heading or paragraph whose inline comes next
        self.row: list[str] = []
        self.handlers: dict[str, Callable[[Token], None]] = {
            "bullet_list_open": self._list,
            "ordered_list_open": self._list,
            "bullet_list_close": self._list,
            "ordered_list_close": self._list,
            "list_item_open": lambda t: self.items.append(True),
            "list_item_close": lambda t: self.items.pop(),
            "blockquote_open": self._quote,
            "blockquote_close": self._quote,
            "heading_open": self._open,
            "paragraph_open": self._open,
            "inline": self._inline,
            "fence": self._code,
            "code_block": self._code,
            "html_block": self._html,
            "tr_open": lambda t: self.row.clear(),
            "tr_close": lambda t: self._add("para", " | ".join(self.row), self._row_map),
        }
        self._row_map: list[int] = [0, 0]

    def _list(self, token: Token) -> None:
        self.lists += 1 if token.type.endswith("_open") else -1

    def _quote(self, token: Token) -> None:
        self.quotes += 1 if token.type.endswith("_open") else -1

    def _open(self, token: Token) -> None:
        self.opened = token

    def _add(self, kind: str, text: str, span: list[int] | None, depth: int = 0, level: int = 0) -> None:
        text = normalize_space(text)
        if text and span:
            self.blocks.append(Block(kind, text, span[0] + 1, depth, level, span[1]))

    def _inline(self, token: Token) -> None:
        opened, self.opened = self.opened, None
        if opened is None:  # a table cell
            self.row.append(inline_text(token))
            self._row_map = token.map or self._row_map
        elif opened.type == "heading_open" and not self.quotes:
            self._add("heading", inline_text(token), opened.map, level=int(opened.tag[1]))
        elif self.items and self.items[-1]:
            self.items[-1] = False
            text = _TASK_BOX.sub("", inline_text(token))  # a task list's "[ ]" or "[x]"
            self._add("item", text, opened.map, depth=max(self.lists - 1, 0))
        else:
            self._add("para", inline_text(token), opened.map)

    def _code(self, token: Token) -> None:
        code = token.content.rstrip("\n")
        if not code.strip() or not token.map:
            return
        first = token.map[0] + (2 if token.type == "fence" else 1)  # a fence's text starts under it
        self.blocks.append(Block("code", code, first, end=first + code.count("\n")))

    def _html(self, token: Token) -> None:
        self._add("para", markup_to_text(blank_hidden(token.content)), token.map)

    def walk(self, tokens: list[Token]) -> list[Block]:
        for token in tokens:
            handler = self.handlers.get(token.type)
            if handler:
                handler(token)
        return self.blocks


def clean_markdown(text: str) -> list[Block]:
    """Blocks of a Markdown document, each with its source lines."""
    title, line, body = front_matter(text)
    blocks = [Block("title", normalize_space(title), line)] if title.strip() else []
    tokens = _parser().parse(body)
    body_blocks = _with_lost_lines(_Walker().walk(tokens), tokens, body)
    at = 1 if body_blocks and body_blocks[0].kind == "heading" else 0  # text of the first section
    return blocks + body_blocks[:at] + front_matter_terms(text) + body_blocks[at:]


def _with_lost_lines(blocks: list[Block], tokens: list[Token], body: str) -> list[Block]:
    """The blocks, plus a paragraph for each source line no token covers.

    markdown-it gives up on what is nested past its limit (20 levels of lists
    or quotes) and skips the rest of the document; those lines are kept as
    text, their list and quote marks removed, in order.
    """
    lines = _NEWLINES.split(body)  # the lines as markdown-it counts them
    covered = bytearray(len(lines))
    for token in tokens:
        if token.map and token.type in _TEXT_TOKENS:  # a list or quote opens over lines it may then drop
            start, end = token.map
            covered[start:end] = b"\x01" * len(covered[start:end])
    last = max((t.map[1] for t in tokens if t.map and t.type in _TEXT_TOKENS), default=0)
    lost = []
    for number in range(last, len(lines)):
        text = normalize_space(_MARKS.sub("", lines[number]))
        if not covered[number] and _WORD.search(text) and not _REFERENCE.match(lines[number]):
            lost.append(Block("para", text, number + 1))
    if not lost:
        return blocks
    return sorted(blocks + lost, key=lambda b: b.line)
