"""Stage 2 for web pages: an HTML page to blocks, through lxml.

lxml parses a page some twenty times faster than BeautifulSoup builds its
tree, and gives each element its source line.  The page's own structure is
kept: headings are ``h1``-``h6`` (and ``role="heading"``) only, with the id a
browser can jump to; paragraphs, table cells, definition terms and code are
text of their section, code verbatim.  What the reader never sees (scripts,
styles, hidden elements, permalink glyphs) and the site's chrome
(:mod:`searcher.content`) never become blocks.  A page lxml cannot read
whole (nesting deeper than libxml2 allows) goes to BeautifulSoup instead.
"""

from __future__ import annotations

import bisect
import itertools
import re

from lxml import etree

from searcher.content import main_content, says_article, trim_article
from searcher.headings import SUBHEADINGS, heading_level, styled_heading
from searcher.htmltags import TEXT_BLOCKS
from searcher.models import Block
from searcher.read import HAS_WORD, fold_space
from searcher.tree import drop

# Plain etree elements: lxml.html's element classes cost a lookup per node and add nothing here.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, collect_ids=False)
# What prune looks at, found by XPath in C rather than node by node in Python.
_PRUNE = etree.XPath(
    "//*[@hidden or @aria-hidden or @style or @data-searcher-ignore or contains(@class, 'headerlink')]"
    " | //a[starts-with(@href, '#')]"
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEVER_SHOWN = [
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "head",
    "link",
    "meta",
    "map",
    "audio",
    "video",
    "datalist",
    "dialog",
]
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BLOCKS = TEXT_BLOCKS  # a line break stays inside its paragraph
_LISTS = frozenset(["ul", "ol", "menu"])
_PERMALINK = re.compile(r"^[\s¶§#🔗⚓]*$")
_GLYPH_EDGES = re.compile(r"^[\s¶§🔗⚓]+|[\s¶§🔗⚓]+$|\s+#$")
# A word as the source spells it: letters outside ASCII may be written as entities there.
_SOURCE_WORD = re.compile(r"[A-Za-z0-9]{3,}")
MAX_LXML_LINE = 65535


def parse(text: str) -> etree._Element | None:
    """The page's tree, or None when lxml could not read all of it."""
    text = _XML_DECL.sub("", text, count=1)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None or any(e.type_name == "ERR_RESOURCE_LIMIT" for e in _PARSER.error_log):
        return None
    return root


def page_title(root: etree._Element) -> str:
    """``og:title``, else ``<title>``; the main ``h1`` is the caller's last resort."""
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() in ("og:title", "twitter:title"):
            title = fold_space(meta.get("content") or "")
            if title:
                return title
    for title in root.iterfind("head/title"):  # not an icon's <svg><title>
        text = fold_space("".join(title.itertext()))
        if text:
            return text
    return ""


def _hidden(el: etree._Element) -> bool:
    get = el.get
    if get("data-searcher-ignore") is not None or get("hidden") is not None:
        return True
    if (get("aria-hidden") or "").lower() == "true":
        return True
    style = get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def prune(root: etree._Element) -> None:
    """Drop what a reader never sees: scripts, styles, hidden elements, permalink glyphs."""
    doomed = list(root.iter(*_NEVER_SHOWN, etree.Comment, etree.ProcessingInstruction, etree.Entity))
    doomed += [el for el in _PRUNE(root) if _hidden(el) or _permalink(el)]
    for el in doomed:
        drop(el)


def _permalink(el: etree._Element) -> bool:
    """A heading's link to itself: Sphinx's ``headerlink`` or an anchor made of a glyph."""
    if "headerlink" in (el.get("class") or ""):
        return True
    return el.tag == "a" and (el.get("href") or "").startswith("#") and bool(_PERMALINK.match("".join(el.itertext())))


class _Walker:
    """Blocks of a subtree: one pass of start/end events, contexts on a stack."""

    def __init__(self, styled: bool = False) -> None:
        self.styled = styled  # bold paragraphs may be headings: the content has no headings of its own
        self.blocks: list[Block] = []
        self.keys = itertools.count(1)
        self.anchor = ""
        self.line = 1
        self.parts: list[str] = []
        self.current: tuple | None = None

    def walk(self, root: etree._Element) -> None:
        # A context: (key, kind, line, depth, level, anchor, open lists).
        stack = [(next(self.keys), "para", root.sourceline or self.line, 0, 0, self.anchor, 0)]
        for event, el in etree.iterwalk(root, events=("start", "end")):
            if event == "start":
                self.line = max(self.line, el.sourceline or 0)
                ident = el.get("id") or (el.get("name") if el.tag == "a" else None)
                if ident:
                    self.anchor = ident
                ctx = self._context(el, stack[-1])
                stack.append(ctx)
                if el.tag == "br" or _set_apart(el):
                    self._add("\n" if ctx[1] == "code" else " ", ctx)
                if el.text:
                    self._add(el.text, ctx)
            else:
                stack.pop()
                if el.tail and el is not root:
                    self._add(el.tail, stack[-1])
        self._flush()

    def _context(self, el: etree._Element, ctx: tuple) -> tuple:
        tag = el.tag
        key, kind, line, depth, level, anchor, lists = ctx
        if tag in _LISTS:
            lists += 1
        if tag not in _BLOCKS and el.get("role") != "heading":
            return (key, kind, line, depth, level, anchor, lists)
        key, line, anchor = next(self.keys), el.sourceline or self.line, self.anchor
        if heading := heading_level(el):
            kind, level = "heading", heading
            anchor = _own_anchor(el) or anchor
        elif tag == "pre":
            kind = "code"
        elif tag == "li":
            kind, depth = "item", max(lists - 1, 0)
        elif kind not in ("item", "code"):
            kind = "line" if self.styled and styled_heading(el) else "para"
        return (key, kind, line, depth, level, anchor, lists)

    def _add(self, text: str, ctx: tuple) -> None:
        if self.current is None or ctx[0] != self.current[0]:
            self._flush()
            line = ctx[2] if self.current is None or ctx[0] > self.current[0] else self.line
            self.current = (*ctx[:2], line, *ctx[3:])
        self.parts.append(text)

    def _flush(self) -> None:
        if self.current is None or not self.parts:
            return
        _, kind, line, depth, level, anchor, _ = self.current
        raw = "".join(self.parts)
        self.parts = []
        if kind == "code":
            text = "\n".join(r.rstrip() for r in raw.strip("\n").splitlines())
        else:
            text = fold_space(raw)
            if kind == "heading":
                text = _GLYPH_EDGES.sub("", text)
        if not HAS_WORD.search(text):
            return
        line += raw[: len(raw) - len(raw.lstrip())].count("\n")  # text that starts under its tag
        self.blocks.append(Block(kind, text, line, depth, level, line + raw.strip().count("\n"), anchor))


def _set_apart(el: etree._Element) -> bool:
    """A part of a definition term right after another: style sets them apart
    (numpydoc's "normalize : bool"), text would run them together."""
    before, parent = el.getprevious(), el.getparent()
    if before is None or parent is None or parent.tag != "dt" or (before.tail or "").strip():
        return False
    left, right = "".join(before.itertext()), el.text or ""
    return bool(left and right) and left[-1].isalnum() and right[0].isalnum()


def _own_anchor(el: etree._Element) -> str:
    """The id of a heading, or of the anchor inside it."""
    for sub in el.iter():
        ident = sub.get("id") or (sub.get("name") if sub.tag == "a" else None)
        if ident:
            return ident
    return ""


def _relocate(blocks: list[Block], source: str) -> None:
    """Source lines past lxml's 65,535: found by each block's first word, in order."""
    starts = [0] + [m.end() for m in re.finditer("\n", source)]
    cursor = starts[MAX_LXML_LINE - 1] if len(starts) >= MAX_LXML_LINE else 0
    for block in blocks:
        if block.line < MAX_LXML_LINE:
            continue
        word = _SOURCE_WORD.search(block.text)
        found = source.find(word.group(), cursor) if word else -1
        if found >= 0:
            cursor = found
        span = block.last_line - block.line
        block.line = bisect.bisect_right(starts, cursor)
        block.end = block.line + span


def page_blocks(text: str) -> list[Block] | None:
    """The blocks of a page's title and main content; None when lxml cannot read it."""
    root = parse(text)
    if root is None:
        return None
    title = page_title(root)
    article = says_article(root)
    prune(root)
    body = root.find("body")
    if body is None:
        body = root
    content = main_content(body, article)
    walker = _Walker(styled=not any(next(c.iter(*SUBHEADINGS), None) is not None for c in content))
    if not any(next(c.iter("h1"), None) is not None for c in content):
        h1 = next(body.iter("h1"), None)
        if h1 is not None:
            walker.walk(h1)  # the headline sits above the article it heads
    for el in content:
        walker.walk(el)
    blocks = trim_article(walker.blocks) if article else walker.blocks
    if not title:
        title = next((b.text for b in walker.blocks if b.kind == "heading" and b.level == 1), "")
    if any(b.line >= MAX_LXML_LINE for b in blocks):
        _relocate(blocks, text)
    last = text.count("\n") + 1  # a newline from an entity (&#10;) is no source line
    for b in blocks:
        b.line, b.end = min(b.line, last), min(b.end, last)
    return ([Block("title", title, 1)] if title else []) + blocks
