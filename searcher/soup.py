"""Web pages that lxml cannot read whole (nesting deeper than libxml2 allows), through BeautifulSoup.

The same kinds of blocks as :mod:`searcher.page` gives, from one pass over
BeautifulSoup's tree with an explicit stack (no recursion limit).  There is
no scoring for main content: what never shows and the semantic chrome tags
(``nav``, ``header``, ``footer``, ``aside``, ``form``) go, every other word
stays, and only headings are headings.
"""

from __future__ import annotations

from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.exceptions import ParserRejectedMarkup

from searcher.fragments import normalize_space, parse_fragment
from searcher.htmltags import BLOCK_TAGS as _BLOCK_TAGS
from searcher.models import Block
from searcher.read import HAS_WORD
from searcher.text import clean_plain

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
)
_DROP_SET = frozenset(_DROP_TAGS)


def cut_unclosed_comment(text: str) -> str:
    """Drop an HTML comment that is never closed, with all it hides (as browsers do)."""
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return text[:start]
        start = text.find("<!--", end + 3)
    return text


def _blocks_of(soup: BeautifulSoup) -> Iterator[tuple[str, str, int, int, int]]:
    """Yield (kind, text, line, depth, level) for each block of an HTML tree.

    One pass over the tree with an explicit stack (no recursion limit for
    deeply nested pages); the dropped tags' subtrees are never entered.
    """
    # A context: (block id, kind, source line, list depth, heading level, open lists).
    ctx: tuple = (0, "line", 1, 0, 0, 0)  # text outside any block: the first line
    stack = [(iter(soup.contents), ctx)]
    parts: list[str] = []
    current = ctx
    while stack:
        children, ctx = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            continue
        if type(node) is NavigableString:  # not comments, doctypes or CDATA
            if ctx[0] != current[0]:
                if parts:
                    yield current[1], "".join(parts), current[2], current[3], current[4]
                current, parts = ctx, []
            parts.append(node)
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in _DROP_SET:
            continue
        if name == "br":
            parts.append(" ")
            continue
        key, kind, line, depth, level, lists = ctx
        if name in ("ul", "ol"):
            lists += 1
        if name in _BLOCK_TAGS:
            key, line = id(node), node.sourceline or line
            if name in _HEADINGS:
                kind, level = "heading", _HEADINGS[name]
            elif name == "title":
                kind = "title"
            elif name == "li":
                kind, depth = "item", max(lists - 1, 0)
            elif kind != "item":
                kind = "para"
        stack.append((iter(node.contents), (key, kind, line, depth, level, lists)))
    if parts:
        yield current[1], "".join(parts), current[2], current[3], current[4]


def soup_blocks(text: str) -> list[Block]:
    """The blocks of a page, every visible word kept; markup the parser rejects is read as text."""
    try:
        soup = parse_fragment(cut_unclosed_comment(text))
    except ParserRejectedMarkup:
        return clean_plain(text)
    blocks: list[Block] = []
    for kind, raw, line, depth, level in _blocks_of(soup):
        text = normalize_space(raw)
        if HAS_WORD.search(text):
            # Text nodes of a real page are text: "&lt;div&gt;" in it is a word, not a tag.
            line += raw[: len(raw) - len(raw.lstrip())].count("\n")  # text that starts under its tag
            blocks.append(Block(kind, text, line, depth, level, line + raw.strip().count("\n")))
    return blocks
