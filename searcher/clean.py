"""Stage 2, clean: text or HTML to blocks, with BeautifulSoup.

Real ``.html`` pages give structure through their tags.  Scraped text files
carry broken fragments of markup (``< li >``, ``li >``, stray ``>``,
``<font ... style=...>``); those are normalised into real markup and handed
to BeautifulSoup, or removed by a rule that covers their whole class, so that
no markup is left and no real word is lost.  Site boilerplate goes here too.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.exceptions import ParserRejectedMarkup

from searcher.boilerplate import is_boilerplate_line, is_zone_start, strip_calls_to_action, vocabulary
from searcher.models import Block

# XHTML pages parse fine as HTML, and a line of text may look like a URL:
# neither deserves a warning on the user's terminal.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

# Tag names that mark structure; any of them may appear as a scraper fragment.
TAG_NAMES = [
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "u",
    "ul",
]
# Names that can stand as an orphan tail ("li >", "Li > ul"): not English words.
_TAIL_NAMES = "li|ul|ol|em|strong|font|span|div|br|p|b|u|h[1-6]|td|tr|th|table|tbody|center|dd|dt|dl"
_NAMES_RE = "|".join(sorted(TAG_NAMES, key=len, reverse=True))

# A tag written with spaces inside ("< li >", "< ul type = 'circle' >", "< br />").
_PSEUDO_TAG = re.compile(
    rf"<\s*(/?)\s*({_NAMES_RE})\b((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)\s*(/?)\s*>",
    re.IGNORECASE,
)
# What is left of a tag whose ">" was lost: "<strong Techniques", "<font color='x'".
_TAG_HEAD = re.compile(
    rf"<\s*/?\s*(?:{_NAMES_RE})\b(?:\s+[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s<>\"']+))*\s*/?",
    re.IGNORECASE,
)
# Orphan tails: "li >", "LI >", "Li > ul", "</li >" without its "<".
_TAG_TAIL = re.compile(
    rf"(?<![\w<])/?(?:{_TAIL_NAMES})\s*>(?:\s*/?(?:{_TAIL_NAMES})\b(?:\s*>)?)*",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^<>]*>")
_ATX_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?$")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# What a browser never shows: comments, scripts and styles.  In scraped text
# one that is never closed ends with its line, so a stray "<!--" costs no more.
_HIDDEN = re.compile(
    r"<!--(?:.*?-->|[^\n]*)|<\s*(script|style)\b(?:.*?<\s*/\s*\1\s*>|[^\n]*)",
    re.DOTALL | re.IGNORECASE,
)
_EDGE_JUNK = re.compile(r"^[\s<>]+|[\s<>]+$")
_ESCAPED_QUOTE = re.compile(r"\\+(?=['\"\u2018\u2019\u201c\u201d])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?](?:\s|$))")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_HAS_WORD = re.compile(r"\w")
_BULLET = re.compile(r"^(?:[\u2022\u25e6\u25aa\u25cf\u25cb\u00b7\u2023\u2043\u2013\u2014*-]|o(?=\s))\s*")
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    ]
)
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
_HEADINGS = {f"h{n}": n for n in range(1, 7)}

# A heading glued to the end of a sentence: "...these boundariesThe Role of Professional Treatment".
_GLUED_TAIL = r"[A-Z][A-Za-z]+(?: [\w'’&(),/-]+){1,11}\??"
_GLUED_END = re.compile(rf"[a-z0-9)][.!?]?{_GLUED_TAIL}$")
_GLUED = re.compile(rf"(?P<head>.*?[a-z0-9)][.!?]?)(?P<tail>{_GLUED_TAIL})$")


def cut_unclosed_comment(text: str) -> str:
    """Drop an HTML comment that is never closed, with all it hides (as browsers do)."""
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return text[:start]
        start = text.find("<!--", end + 3)
    return text


def _blank_hidden(text: str) -> str:
    """Remove comments, scripts and styles but keep their newlines, so line numbers hold."""
    if "<" not in text:
        return text
    return _HIDDEN.sub(lambda m: "\n" * m.group().count("\n"), text)


def _markup_to_text(line: str) -> str:
    """A line's text as BeautifulSoup reads it; block tags keep words apart."""
    try:
        soup = BeautifulSoup(line, "html.parser")
    except ParserRejectedMarkup:  # e.g. "<![...]>" in prose about markup
        return html.unescape(_ANY_TAG.sub(" ", line))
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before(" ")
    return soup.get_text()


def fix_fragments(line: str) -> str:
    """Remove the scraper's broken markup from one line of text, keeping every word."""
    if "<" in line or ">" in line or "&" in line:
        line = _PSEUDO_TAG.sub(lambda m: f"<{m[1]}{m[2].lower()}{m[3]}{m[4]}>", line)
        if "<" in line or "&" in line:
            line = _markup_to_text(line)
        line = _TAG_HEAD.sub(" ", line)
        line = _TAG_TAIL.sub(" ", line)
        line = _EDGE_JUNK.sub("", line)
    if "\\" in line:
        line = _ESCAPED_QUOTE.sub("", line)
    return line


def normalize_space(text: str) -> str:
    """Collapse every kind of white space to one space and tidy space before punctuation."""
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_BEFORE_PUNCT.sub("", text)


def split_glued_heading(text: str) -> tuple[str, str] | None:
    """Split "sentence endThe Heading" into (sentence, heading), or None."""
    cut = max(0, len(text) - 160)
    cut = text.rfind(" ", 0, cut) + 1 if cut else 0
    m = _GLUED.match(text, cut) if _GLUED_END.search(text, cut) else None
    if not m:
        return None
    head, tail = text[: m.start("tail")], m["tail"]
    if len(head.split()) < 5 or head.endswith(" ") or "." in tail.rstrip("?"):
        return None
    glued = head.rsplit(" ", 1)[-1]  # what the heading is stuck to: "boundaries" of "boundariesThe"
    if glued[-1] not in ".!?)" and (glued[0].isupper() or len(glued) < 3):
        return None  # a word with inner capitals: PostgreSQL, YouTube, McDonald, iPhone
    words = [w for w in tail.split() if len(w) > 3]
    capitalised = sum(w[0].isupper() for w in words)
    if not tail.endswith("?") and capitalised * 2 < len(words):
        return None
    return head, tail


class _ListDepth:
    """Depth of list items from indentation and glyph, like a Markdown list."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def reset(self) -> None:
        self.stack.clear()

    def depth(self, indent: int, glyph: str) -> int:
        stack = self.stack
        while stack and indent < stack[-1][0]:
            stack.pop()
        if not stack or indent > stack[-1][0]:
            stack.append((indent, glyph))
            return len(stack) - 1
        for i, (ind, g) in enumerate(stack):
            if g == glyph and ind == indent:
                del stack[i + 1 :]
                return i
        stack.append((indent, glyph))
        return len(stack) - 1


def _finish(blocks: list[Block], kind: str, text: str, line: int, depth: int = 0, level: int = 0, end: int = 0) -> bool:
    """Append a cleaned block of an HTML page unless it is boilerplate; False once a boilerplate zone starts."""
    text = strip_calls_to_action(normalize_space(text))
    if kind == "item":
        text = text.lstrip(".,;: ")
    if not _HAS_WORD.search(text):
        return True
    if is_zone_start(text):
        return False
    if is_boilerplate_line(text) or vocabulary().navigation.match(text):
        return True
    blocks.append(Block(kind, text, line, depth, level, end))
    return True


def clean_text(text: str) -> list[Block]:
    """Clean plain text (scraped or hard-wrapped) into blocks: see :mod:`searcher.text`."""
    from searcher.text import clean_plain  # the text reader builds on this module's fragment tools

    return clean_plain(text)


def _blocks_of(soup: BeautifulSoup) -> Iterator[tuple[str, str, int, int, int]]:
    """Yield (kind, text, line, depth, level) for each block of an HTML tree.

    One pass over the tree with an explicit stack (no recursion limit for
    deeply nested pages); the dropped tags' subtrees are never entered.
    """
    # A context: (block id, kind, source line, list depth, heading level, open lists).
    ctx: tuple = (0, "line", 0, 0, 0, 0)
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
                kind = "line"
        stack.append((iter(node.contents), (key, kind, line, depth, level, lists)))
    if parts:
        yield current[1], "".join(parts), current[2], current[3], current[4]


def clean_html(text: str) -> list[Block]:
    """Clean a real HTML page into blocks; chrome and scripts never reach the index."""
    try:
        soup = BeautifulSoup(cut_unclosed_comment(text), "html.parser")
    except ParserRejectedMarkup:  # markup the parser gives up on is read as text
        return clean_text(text)
    blocks: list[Block] = []
    for kind, raw, line, depth, level in _blocks_of(soup):
        # Text nodes of a real page are text: "&lt;div&gt;" in it is a word, not a tag.
        end = line + raw.strip().count("\n")  # a paragraph may run over several source lines
        if not _finish(blocks, kind, raw, line, depth, level, end):
            break
    return blocks


def looks_like_html(name: str, text: str) -> bool:
    """True for .html/.htm files and for text that starts as an HTML document."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def clean(text: str, name: str = "") -> list[Block]:
    """Clean ``text`` as HTML or as scraped plain text, by its name and its start."""
    return clean_html(text) if looks_like_html(name, text) else clean_text(text)
