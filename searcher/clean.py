"""Stage 2, clean: a document to blocks, by the reader of its format.

:func:`clean` picks the reader: web pages (:mod:`searcher.page`), Markdown
(:mod:`searcher.markdown`) or plain text (:mod:`searcher.text`).  This module
also holds the tools for what scraped text carries: broken fragments of markup
(``< li >``, ``li >``, stray ``>``, ``<font ... style=...>``) are normalised
into real markup and handed to BeautifulSoup, or removed by a rule that covers
their whole class, so that no markup is left and no real word is lost.
"""

from __future__ import annotations

import html
import html.entities
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.exceptions import ParserRejectedMarkup

from searcher.htmltags import BLOCK_TAGS
from searcher.models import Block

# XHTML pages parse fine as HTML, and a line of text may look like a URL:
# neither deserves a warning on the user's terminal.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)

# Tag names that mark structure; any of them may appear as a scraper fragment.
TAG_NAMES = sorted(
    BLOCK_TAGS
    | {
        "a",
        "abbr",
        "b",
        "code",
        "em",
        "font",
        "head",
        "i",
        "img",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "u",
    }
)
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


# A heading glued to the end of a sentence: "...these boundariesThe Role of Professional Treatment".
# A line holding more tags than this is whole markup, read by rule: nested
# 50,000 deep, BeautifulSoup's tree took minutes.
MAX_FRAGMENT_TAGS = 2000
_GLUED_TAIL = r"[A-Z][A-Za-z]+(?: [\w'’&(),/-]+){1,11}\??"
_GLUED_END = re.compile(rf"[a-z0-9)][.!?]?{_GLUED_TAIL}$")
_GLUED = re.compile(rf"(?P<head>.*?[a-z0-9)][.!?]?)(?P<tail>{_GLUED_TAIL})$")


def _blank_hidden(text: str) -> str:
    """Remove comments, scripts and styles but keep their newlines, so line numbers hold."""
    if "<" not in text:
        return text
    return _HIDDEN.sub(lambda m: "\n" * m.group().count("\n"), text)


_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def _known_entity(m: re.Match) -> str:
    return m.group() if m[1] + ";" in html.entities.html5 else "&amp;" + m.group()[1:]


def _markup_to_text(line: str) -> str:
    """A line's text as BeautifulSoup reads it; block tags keep words apart.

    An unknown entity is written out first: BeautifulSoup drops its ``;``
    (``&foo;bar`` would come out as ``&foobar``).
    """
    line = _ENTITY.sub(_known_entity, line)
    if line.count("<") > MAX_FRAGMENT_TAGS:  # markup, not fragments: BeautifulSoup's tree costs its depth a node
        return html.unescape(_ANY_TAG.sub(" ", line))
    try:
        soup = BeautifulSoup(line, "html.parser")
    except ParserRejectedMarkup:  # e.g. "<![...]>" in prose about markup
        return html.unescape(_ANY_TAG.sub(" ", line))
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before(" ")
        tag.insert_after(" ")
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


def clean_text(text: str) -> list[Block]:
    """Clean plain text (scraped or hard-wrapped) into blocks: see :mod:`searcher.text`."""
    from searcher.text import clean_plain  # the text reader builds on this module's fragment tools

    return clean_plain(text)


def looks_like_html(name: str, text: str) -> bool:
    """True for .html/.htm files and for text that starts as an HTML document."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def clean(text: str, name: str = "") -> list[Block]:
    """Clean ``text`` as a web page, Markdown or plain text, by its name and its start.

    Pages go through lxml (:mod:`searcher.page`); one that lxml cannot read
    whole goes through BeautifulSoup, its text never taken for headings.
    """
    if name.lower().endswith((".md", ".markdown")):
        from searcher.markdown import clean_markdown  # markdown-it only when a .md file is read

        return clean_markdown(text)
    if not looks_like_html(name, text):
        return clean_text(text)
    from searcher.page import page_blocks

    blocks = page_blocks(text)
    if blocks is None:
        from searcher.soup import soup_blocks

        blocks = soup_blocks(text)
    return blocks
