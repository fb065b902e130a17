"""Figures of an lxml tree that the main-content search weighs: text, link text, commas.

Kept in one pass over the tree and corrected as elements are dropped, so no
element's text is measured twice.
"""

from __future__ import annotations

import re

from lxml import etree

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Stats:
    """Text length, link-text length and comma count of every element, in one pass."""

    def __init__(self, root: etree._Element) -> None:
        self.text: dict[etree._Element, int] = {}
        self.links: dict[etree._Element, int] = {}
        self.commas: dict[etree._Element, int] = {}
        for _, el in etree.iterwalk(root, events=("end",)):
            own = _strip_len(el.text)
            commas = (el.text or "").count(",")
            links = 0
            for child in el:
                own += self.text.get(child, 0) + _strip_len(child.tail)
                links += self.links.get(child, 0)
                commas += self.commas.get(child, 0) + (child.tail or "").count(",")
            if el.tag == "a":
                links = own
            self.text[el], self.links[el], self.commas[el] = own, links, commas

    def forget(self, el: etree._Element) -> None:
        """Take a dropped element's text out of its ancestors' figures."""
        text, links, commas = self.text.get(el, 0), self.links.get(el, 0), self.commas.get(el, 0)
        for ancestor in el.iterancestors():
            self.text[ancestor] = self.text.get(ancestor, 0) - text
            self.links[ancestor] = self.links.get(ancestor, 0) - links
            self.commas[ancestor] = self.commas.get(ancestor, 0) - commas

    def density(self, el: etree._Element) -> float:
        """Share of the element's text that is link text."""
        total = self.text.get(el, 0)
        return self.links.get(el, 0) / total if total else 0.0


def _strip_len(text: str | None) -> int:
    return len(text.strip()) if text else 0


def drop(el: etree._Element) -> None:
    """Remove an element and what it holds, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        # The parser keeps characters (form feed, ESC from an entity) that lxml's
        # setters refuse; as text they are white space anyway.
        prev = el.getprevious()
        if prev is not None:
            prev.tail = _NOT_XML.sub(" ", (prev.tail or "") + tail)
        else:
            parent.text = _NOT_XML.sub(" ", (parent.text or "") + tail)
    parent.remove(el)


def is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(parent is ancestor for parent in el.iterancestors())
