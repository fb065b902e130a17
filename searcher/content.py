"""The main content of a web page: the article or documentation body, without the chrome.

Three signals, in this order of trust:

1. the author's own markers: ``data-searcher-body`` (only that is content)
   and ``data-searcher-ignore`` (never content), as Pagefind reads its own;
2. what an element says it is: chrome tags (``nav``, ``aside``, ``footer``),
   chrome roles (``navigation``, ``banner``, ``complementary`` ...) and the
   chrome vocabulary of class and id names in ``data/chrome.json``;
3. text and link density: paragraphs of prose vote for the containers that
   hold them (the scoring of Readability), and inside the winner, blocks made
   mostly of links (teaser lists, tag clouds, share bars) go.

Nothing that holds most of the page's text is dropped for its name, and a page
with no container that stands out keeps all its visible text.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

CHROME_PATH = Path(__file__).with_name("data") / "chrome.json"
_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_SCORED = frozenset(["p", "pre", "td", "blockquote", "dd", "li", "section"])
_BLOCKISH = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
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
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
_TAG_BASE = {"div": 5, "article": 8, "main": 8, "pre": 3, "td": 3, "blockquote": 3, "section": 3}
_TAG_BASE.update(dict.fromkeys(["address", "ol", "ul", "dl", "dd", "dt", "li", "form"], -3))
_TAG_BASE.update(dict.fromkeys(["h1", "h2", "h3", "h4", "h5", "h6", "th"], -5))
_LINK_DENSE = frozenset(["div", "section", "ul", "ol", "table", "dl", "p", "span", "header"])
MOST_OF_PAGE = 0.5
_MARKED = etree.XPath("descendant-or-self::*[@data-searcher-body]")
MIN_PARAGRAPH = 25
WIDEN_LINK_DENSITY = 0.25
HEADLINE_SHARE = 0.5
HEADLINE_MIN_TEXT = 400
LINKS_ARE_CONTENT = 0.7  # share of the content in link lists past which the links are the page


@dataclass(frozen=True)
class Vocabulary:
    """The chrome words of ``data/chrome.json``, as sets."""

    strong: frozenset[str]
    strong_long: tuple[str, ...]
    weak: frozenset[str]
    content: frozenset[str]
    roles: frozenset[str]
    tags: frozenset[str]
    thread: frozenset[str]
    named: etree.XPath  # the elements that can say they are chrome, in document order

    def names_chrome(self, el: etree._Element) -> bool:
        """True when the element's class or id names chrome in a strong word."""
        parts = _parts(el.get("class"), el.get("id"))
        chrome = any(p in self.strong or p.endswith(self.strong_long) for p in parts)
        return chrome and not any(p in self.content for p in parts)

    def names_thread(self, el: etree._Element) -> bool:
        """True for a comment thread, which may be longer than the article it follows."""
        return not self.thread.isdisjoint(_parts(el.get("class"), el.get("id")))

    def weight(self, el: etree._Element) -> int:
        """Readability's class weight: +25 for a content name, -25 for chrome."""
        parts = set(_parts(el.get("class"), el.get("id")))
        if not parts:
            return 0
        score = 25 if parts & self.content else 0
        if parts & (self.strong | self.weak):
            score -= 25
        return score


@lru_cache(maxsize=8192)
def _parts(classes: str | None, ident: str | None) -> tuple[str, ...]:
    """The lower-case words of a class and id ("shareButtons" -> share, buttons); pages repeat them."""
    if not classes and not ident:
        return ()
    return tuple(p.lower() for p in _PARTS.findall(f"{classes or ''} {ident or ''}"))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The chrome vocabulary shipped in the package, loaded once."""
    data = json.loads(CHROME_PATH.read_text(encoding="utf-8"))
    strong = frozenset(data["strong_words"])
    return Vocabulary(
        strong,
        tuple(w for w in strong if len(w) >= 5),
        frozenset(data["weak_words"]),
        frozenset(data["content_words"]),
        frozenset(data["chrome_roles"]),
        frozenset(data["chrome_tags"]),
        frozenset(data["thread_words"]),
        etree.XPath(
            "descendant-or-self::*[@class or @id or @role or self::header"
            + "".join(f" or self::{tag}" for tag in data["chrome_tags"])
            + "]"
        ),
    )


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
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def is_chrome(el: etree._Element, vocab: Vocabulary) -> bool:
    """An element that says it is chrome: by tag, role or class and id names."""
    if el.tag in vocab.tags:
        return True
    role = (el.get("role") or "").lower()
    if role in vocab.roles:
        return True
    if el.tag == "header":  # a page's masthead, unless it holds the headline
        return next(el.iter("h1"), None) is None
    return vocab.names_chrome(el)


def drop_chrome(body: etree._Element, stats: Stats, vocab: Vocabulary) -> None:
    """Drop every element that says it is chrome, unless it holds most of the page's text."""
    limit = stats.text.get(body, 0) * MOST_OF_PAGE
    doomed = []
    skip: etree._Element | None = None
    for el in vocab.named(body):
        if skip is not None:
            if _is_inside(el, skip):
                continue
            skip = None  # document order: nothing later is inside it
        if el is body:
            continue
        small = stats.text.get(el, 0) <= limit
        if is_chrome(el, vocab) and (small or vocab.names_thread(el)) and not _holds_content(el):
            doomed.append(el)
            skip = el
    named = sum(stats.text.get(el, 0) for el in doomed if not vocab.names_thread(el))
    if named > stats.text.get(body, 0) * 0.9:
        return  # nothing but "chrome": the page has no main content to tell apart, so all of it stays
    for el in doomed:
        stats.forget(el)
        drop(el)


def _holds_content(el: etree._Element) -> bool:
    """True for a wrapper of what the page says is its content or headline."""
    for sub in el.iter():
        if sub is not el and (
            sub.tag in ("h1", "main") or sub.get("role") == "main" or sub.get("itemprop") == "articleBody"
        ):
            return True
    return False


def _is_inside(el: etree._Element, ancestor: etree._Element) -> bool:
    return any(parent is ancestor for parent in el.iterancestors())


def _scores(body: etree._Element, stats: Stats, vocab: Vocabulary) -> dict[etree._Element, float]:
    """Readability's votes: each paragraph of prose scores its parent, less its ancestors."""
    scores: dict[etree._Element, float] = {}

    def vote(points: float, ancestors) -> None:
        for level, ancestor in enumerate(ancestors):
            if level >= 5:
                break
            if ancestor not in scores:
                scores[ancestor] = _TAG_BASE.get(ancestor.tag, 0) + vocab.weight(ancestor)
            scores[ancestor] += points / (1 if level == 0 else 2 if level == 1 else level * 3)
            if ancestor is body:
                break

    for el in body.iter(*_SCORED, "div", "article", "main", "span", "font", "center"):
        if any(isinstance(c.tag, str) and c.tag in _BLOCKISH for c in el):
            # A container's loose text (between its blocks) is a paragraph of its own.
            loose = [el.text or "", *(c.tail or "" for c in el)]
            length = sum(len(t.strip()) for t in loose)
            if length >= MIN_PARAGRAPH:
                points = 1 + sum(t.count(",") for t in loose) + min(length // 100, 3)
                vote(points, itertools.chain([el], el.iterancestors()))
            if el.tag not in _SCORED:
                continue
        length = stats.text.get(el, 0)
        if length < MIN_PARAGRAPH or stats.density(el) > 0.5 or el.tag in ("span", "font"):
            continue
        vote(1 + stats.commas.get(el, 0) + min(length // 100, 3), el.iterancestors())
    return {el: s * (1 - stats.density(el)) for el, s in scores.items()}


def _widen(top: etree._Element, body: etree._Element, stats: Stats) -> etree._Element:
    """Climb to the container of all the prose: the other sections of a long document.

    Readability's winner is the densest container, often one section of a
    manual; its parent holds the other sections too when what it adds is
    prose (few links), not a teaser list.
    """
    while (parent := top.getparent()) is not None and parent is not body:
        added = stats.text.get(parent, 0) - stats.text.get(top, 0)
        added_links = stats.links.get(parent, 0) - stats.links.get(top, 0)
        if added > 0 and added_links / added > WIDEN_LINK_DENSITY:
            break
        if any(_teasers(sib) for sib in parent if sib is not top and isinstance(sib.tag, str)):
            break
        top = parent
    return top


def _teasers(el: etree._Element) -> bool:
    """True when ``el`` holds other articles or headings that link away: teasers."""
    if next(el.iter("article"), None) is not None:
        return True
    return any(_teaser_heading(h) for h in el.iter("h1", "h2", "h3", "h4", "h5", "h6"))


def _teaser_heading(heading: etree._Element) -> bool:
    """A heading that is a link to another page (or inside one): a teaser, not a section.

    A heading that only holds a cross-reference ("path() argument: route")
    is a section of its own: the link must be all of the heading's text.
    """
    if any(not (a.get("href") or "#").startswith("#") for a in heading.iterancestors("a")):
        return True
    text = len("".join(heading.itertext()).strip())
    linked = sum(
        len("".join(a.itertext()).strip()) for a in heading.iter("a") if not (a.get("href") or "#").startswith("#")
    )
    return text > 0 and linked >= text * 0.9


def _headline_container(
    body: etree._Element, top: etree._Element, best: float, scores: dict, stats: Stats
) -> etree._Element:
    """The container of the page's one ``h1`` when it scores close to the winner.

    A page's headline sits on its article; a teaser list of many short
    paragraphs can outscore an article of one long one.
    """
    h1s = list(itertools.islice(body.iter("h1"), 2))
    if len(h1s) != 1 or _is_inside(h1s[0], top):
        return top
    for level, ancestor in enumerate(h1s[0].iterancestors()):
        if level >= 3 or ancestor is body or _is_inside(top, ancestor):
            break
        enough = stats.text.get(ancestor, 0) >= max(HEADLINE_MIN_TEXT, stats.text.get(top, 0) * 0.25)
        if scores.get(ancestor, 0.0) >= best * HEADLINE_SHARE and enough:
            return ancestor
    return top


def _pick(body: etree._Element, scores: dict[etree._Element, float], stats: Stats) -> etree._Element | None:
    """The best container, moved up when its rivals share a good ancestor."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    top, best = ranked[0]
    if top is body:
        return None
    top = _headline_container(body, top, best, scores, stats)
    rivals = [el for el, s in ranked[1:5] if s >= best * 0.75]
    if len(rivals) >= 3:
        for ancestor in top.iterancestors():
            if sum(_is_inside(r, ancestor) for r in rivals) >= 3:
                top = ancestor
                break
    last = scores.get(top, 0.0)
    for parent in top.iterancestors():
        if parent is body:
            break
        score = scores.get(parent)
        if score is None:
            continue
        if score < best / 3:
            break
        if score > last:
            top = parent
            break
        last = score
    while (parent := top.getparent()) is not None and parent is not body and len(parent) == 1:
        top = parent
    return top


def _siblings(top: etree._Element, best: float, scores: dict, stats: Stats) -> list[etree._Element]:
    """The winner and its siblings that look like more of the same content."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, best * 0.2)
    keep = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if sib is top:
            keep.append(sib)
            continue
        if _teasers(sib):
            continue
        bonus = best * 0.2 if sib.get("class") and sib.get("class") == top.get("class") else 0.0
        length, dense = stats.text.get(sib, 0), stats.density(sib)
        if scores.get(sib, 0.0) + bonus >= threshold or (
            sib.tag == "p" and ((length > 80 and dense < 0.25) or (0 < length <= 80 and dense == 0))
        ):
            keep.append(sib)
    return keep


def drop_link_lists(content: etree._Element, stats: Stats) -> None:
    """Inside the content, drop blocks that are mostly links: teasers, tag clouds, share bars."""
    teasers = _teaser_lists(content)
    doomed = []
    skip: etree._Element | None = None
    for el in content.iter(*_LINK_DENSE):
        if skip is not None:
            if _is_inside(el, skip):
                continue
            skip = None  # document order: nothing later is inside it
        if el is content:
            continue
        own = stats.text.get(el, 0) - stats.links.get(el, 0)
        links = stats.density(el) > 0.5 and own < 200 and sum(1 for a in el.iter("a") if a.get("href")) >= 3
        if links or (el in teasers and next(el.iter("h1"), None) is None):
            doomed.append(el)
            skip = el
    if sum(stats.text.get(el, 0) for el in doomed) > stats.text.get(content, 0) * LINKS_ARE_CONTENT:
        return  # a page of links (an index, a table of contents): the links are its content
    for el in doomed:
        stats.forget(el)
        drop(el)


def _teaser_lists(content: etree._Element) -> set[etree._Element]:
    """Containers where most headings, three or more, link to other pages: "latest stories"."""
    linked: dict[etree._Element, int] = {}
    headings: dict[etree._Element, int] = {}
    for heading in content.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        away = _teaser_heading(heading)
        for ancestor in heading.iterancestors():
            if ancestor is content:
                break
            headings[ancestor] = headings.get(ancestor, 0) + 1
            linked[ancestor] = linked.get(ancestor, 0) + away
    return {el for el, n in linked.items() if n >= 3 and n * 2 >= headings[el]}


def main_content(body: etree._Element) -> list[etree._Element]:
    """The elements of ``body`` that hold its main content, in document order."""
    marked = _MARKED(body)
    if marked:
        return [el for el in marked if not any(_is_inside(el, m) for m in marked if m is not el)]
    vocab = vocabulary()
    stats = Stats(body)
    drop_chrome(body, stats, vocab)
    scores = _scores(body, stats, vocab)
    top = _pick(body, scores, stats)
    if top is None or stats.text.get(top, 0) < stats.text.get(body, 0) * 0.05:
        return [body]
    top = _widen(top, body, stats)
    picked = _siblings(top, scores.get(top, 0.0), scores, stats)
    for el in picked:
        drop_link_lists(el, stats)
    return picked
