"""What a page marks as a heading, decided in one place.

Real headings: ``h1``-``h6`` and ``role="heading"`` (with ``aria-level``),
but not the title of a note or warning box, which stays in its section.
FAQ entries: a ``<details>`` summary, or a definition term that asks a
question, is a heading under the one before it.  A block that style makes a
heading (``class="h2"``, or a paragraph that is all bold) is read as a line
of text, which the segmenter takes for a heading only where it would in
plain text, and only on a page whose content has no sub-headings of its own
(a manual's bold "Context" or "Table 53.13" labels stay text).
"""

from __future__ import annotations

import re

from lxml import etree

from searcher.htmltags import TEXT_BLOCKS

HEADINGS = {f"h{n}": n for n in range(1, 7)}
SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
FAQ_LEVEL = 6  # under whatever heading comes before
_HEADING_CLASS = frozenset(["heading", "subheading", "subtitle", "section-title"])
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
# Class names of the boxes documentation tools put notes in (Sphinx, DocBook, AsciiDoc).
ADMONITIONS = frozenset(
    ["admonition", "note", "warning", "tip", "caution", "important", "attention", "danger", "hint", "seealso"]
)
_NAME_PARTS = re.compile(r"[a-z]+")


def heading_level(el: etree._Element) -> int:
    """The level of the heading ``el`` is (0: none)."""
    if (el.tag in HEADINGS or el.get("role") == "heading") and not _admonition_title(el):
        return HEADINGS.get(el.tag) or _aria_level(el)
    if el.tag in ("p", "div") and el.get("class"):  # <div class="h2">: a heading by its class
        named = [HEADINGS[c] for c in el.get("class").lower().split() if c in HEADINGS]
        if named and _short(el):
            return named[0]
    return FAQ_LEVEL if el.tag in ("summary", "dt") and _question(el) else 0


def _short(el: etree._Element) -> bool:
    """Short text and no block inside (read last: it walks the element's text)."""
    if any(child.tag in TEXT_BLOCKS for child in el):
        return False
    text = "".join(el.itertext()).strip()
    return bool(text) and len(text) <= 80


def styled_heading(el: etree._Element) -> bool:
    """A short block that style makes a heading: ``<p><strong>Urge surfing</strong></p>``, or a
    ``class="subheading"``.  It is read as a line of text, a heading only where one would be in
    plain text (short, no closing period, text under it)."""
    if el.tag not in ("p", "div"):
        return False
    named = not _HEADING_CLASS.isdisjoint((el.get("class") or "").lower().split())
    bold = len(el) == 1 and el[0].tag in ("strong", "b") and not (el[0].tail or "").strip()
    return (named or (bold and not (el.text or "").strip())) and _short(el)


def _question(el: etree._Element) -> bool:
    """A ``<summary>`` (its answer folded under it), or a ``<dt>`` that asks a question."""
    if el.tag == "summary":
        return el.getparent() is not None and el.getparent().tag == "details"
    if el.tag != "dt":
        return False
    text = "".join(el.itertext()).strip()
    return text.endswith("?") and len(_LETTER_WORD.findall(text)) >= 2  # "%G?" is a format code


def _admonition_title(el: etree._Element) -> bool:
    """The title of a note or warning box ("Warning"): text of its section, not a heading."""
    parent = el.getparent()
    names = set(_NAME_PARTS.findall((parent.get("class") or "").lower())) if parent is not None else set()
    return not names.isdisjoint(ADMONITIONS)


def _aria_level(el: etree._Element) -> int:
    try:
        return min(max(int(el.get("aria-level") or 2), 1), 6)
    except ValueError:
        return 2
