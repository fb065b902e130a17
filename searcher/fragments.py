"""The tools for what scraped text carries: broken fragments of markup.

``< li >``, ``li >``, stray ``>``, ``<font ... style=...>`` are normalised
into real markup and handed to BeautifulSoup, or removed by a rule that
covers their whole class, so that no markup is left and no real word is lost.
"""

from __future__ import annotations

import html
import html.entities
import re
import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.exceptions import ParserRejectedMarkup

from searcher.htmltags import BLOCK_TAGS
from searcher.read import fold_space

# A line holding more tags than this is whole markup, read by rule: nested
# 50,000 deep, BeautifulSoup's tree took minutes.
MAX_FRAGMENT_TAGS = 2000
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
PSEUDO_TAG = re.compile(
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
# Addresses written in angle brackets, as e-mail and CommonMark write them:
# <scheme://...>, <mailto:...> and <user@host> (not <st1:place>, a Word tag).
_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}://[^\s<>]*|mailto:[^\s<>]+|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)>"
)
# A heading glued to the end of a sentence: "...these boundariesThe Role of Professional Treatment".
_GLUED_TAIL = r"[A-Z][A-Za-z]+(?: [\w'’&(),/-]+){1,11}\??"
_GLUED_END = re.compile(rf"[a-z0-9)][.!?]?{_GLUED_TAIL}$")
_GLUED = re.compile(rf"(?P<head>.*?[a-z0-9)][.!?]?)(?P<tail>{_GLUED_TAIL})$")
# What a browser never shows: comments, scripts and styles.  In scraped text
# one that is never closed ends with its line, so a stray "<!--" costs no more.
_HIDDEN = re.compile(
    r"<!--(?:.*?-->|[^\n]*)|<\s*(script|style)\b(?:.*?<\s*/\s*\1\s*>|[^\n]*)",
    re.DOTALL | re.IGNORECASE,
)
_LEAD_JUNK = re.compile(r"^[\s<>]+")
_TRAIL_JUNK = re.compile(r"[\s<>]+$")
_ESCAPED_QUOTE = re.compile(r"\\+(?=['\"\u2018\u2019\u201c\u201d])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[,.;:!?](?:\s|$))")


def parse_fragment(markup: str) -> BeautifulSoup:
    """BeautifulSoup's html.parser tree of ``markup``, without its warnings.

    A line of text may look like a URL or a file name, and an XHTML page
    parses fine as HTML: neither deserves a warning on the user's terminal.
    The warnings are silenced here only, not for the whole process.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(markup, "html.parser")


def blank_hidden(text: str) -> str:
    """Remove comments, scripts and styles but keep their newlines, so line numbers hold."""
    if "<" not in text:
        return text
    return _HIDDEN.sub(lambda m: "\n" * m.group().count("\n"), text)


_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


def _known_entity(m: re.Match) -> str:
    return m.group() if m[1] + ";" in html.entities.html5 else "&amp;" + m.group()[1:]


def markup_to_text(line: str) -> str:
    """A line's text as BeautifulSoup reads it; block tags keep words apart.

    An unknown entity is written out first: BeautifulSoup drops its ``;``
    (``&foo;bar`` would come out as ``&foobar``).
    """
    line = _ENTITY.sub(_known_entity, line)
    if line.count("<") > MAX_FRAGMENT_TAGS:  # markup, not fragments: BeautifulSoup's tree costs its depth a node
        return html.unescape(_ANY_TAG.sub(" ", line))
    try:
        soup = parse_fragment(line)
    except ParserRejectedMarkup:  # e.g. "<![...]>" in prose about markup
        return html.unescape(_ANY_TAG.sub(" ", line))
    for tag in soup.find_all(BLOCK_TAGS):
        tag.insert_before(" ")
        tag.insert_after(" ")
    return soup.get_text()


def fix_fragments(line: str) -> str:
    """Remove the scraper's broken markup from one line of text, keeping every word
    (and the addresses written in angle brackets, which are no markup)."""
    if "<" in line or ">" in line or "&" in line:
        pieces = _AUTOLINK.split(line)  # text, address, text, ...
        texts = [_fix_markup(t) for t in pieces[0::2]]
        texts[0] = _LEAD_JUNK.sub("", texts[0])
        texts[-1] = _TRAIL_JUNK.sub("", texts[-1])
        line = texts[0] + "".join(f"<{a}>{t}" for a, t in zip(pieces[1::2], texts[1:], strict=True))
    if "\\" in line:
        line = _ESCAPED_QUOTE.sub("", line)
    return line


def _fix_markup(text: str) -> str:
    if "<" not in text and ">" not in text and "&" not in text:
        return text
    text = PSEUDO_TAG.sub(lambda m: f"<{m[1]}{m[2].lower()}{m[3]}{m[4]}>", text)
    if "<" in text or "&" in text:
        text = markup_to_text(text)
    return _TAG_TAIL.sub(" ", _TAG_HEAD.sub(" ", text))


def normalize_space(text: str) -> str:
    """Collapse every kind of white space to one space and tidy space before punctuation."""
    return _SPACE_BEFORE_PUNCT.sub("", fold_space(text))


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
