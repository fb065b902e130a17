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
import re

from lxml import etree

from searcher.chrome import (
    Vocabulary,
    drop_article_chrome,
    drop_chrome,
    drop_link_lists,
    outermost,
    teasers,
    vocabulary,
)
from searcher.htmltags import TEXT_BLOCKS
from searcher.models import Block
from searcher.tree import Stats, is_inside

_SCORED = frozenset(["p", "pre", "td", "blockquote", "dd", "li", "section"])
_BLOCKISH = TEXT_BLOCKS
_TAG_BASE = {"div": 5, "article": 8, "main": 8, "pre": 3, "td": 3, "blockquote": 3, "section": 3}
_TAG_BASE.update(dict.fromkeys(["address", "ol", "ul", "dl", "dd", "dt", "li", "form"], -3))
_TAG_BASE.update(dict.fromkeys(["h1", "h2", "h3", "h4", "h5", "h6", "th"], -5))
_MARKED = etree.XPath("descendant-or-self::*[@data-searcher-body]")
MIN_PARAGRAPH = 25
WIDEN_LINK_DENSITY = 0.25
HEADLINE_SHARE = 0.5
HEADLINE_MIN_TEXT = 400
EDGE_LINE = 40  # at most this long, a line above or below an article's prose may be a label ("Subscribe Sign In")
DATELINE = 100  # at most this long, such a line that gives a time or a date is a dateline ("Nov. 19, 2019 8:03 am ET")
_DATE = re.compile(  # 6:45, 2018-08-16, 05/10/2018, "19, 2019"
    r"\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{1,2}\b\W{1,3}(?:19|20)\d\d\b"
)
CONTACT_LINE = 250  # at most this long, a last line with an address or a handle is the author's
_CONTACT = re.compile(r"\b[\w.+-]+@[\w-]+\.\w[\w.]*|(?<![\w@])@\w{2,}")
_SENTENCE_END = tuple('.!?…"”)»。！？')


_DATED = frozenset(["article:published_time", "datepublished", "pubdate", "publishdate", "sailthru.date"])
_ARTICLE_BODY = etree.XPath("//*[@itemprop='datePublished' or @itemprop='articleBody']")
_SCHEMA_ARTICLE = re.compile(r'"@type"\s*:\s*"(?:News|Blog|Report|Scholarly)?Article"|"BlogPosting"|"datePublished"')


def says_article(root: etree._Element) -> bool:
    """A page that says it is a dated article (og:type, a publication date, schema.org), as news and blogs do.

    Documentation pages say none of this; only on an article page are
    captions, bylines and datelines told apart from the text.
    """
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATED or (key == "og:type" and (meta.get("content") or "").lower() == "article"):
            return True
    if _ARTICLE_BODY(root):
        return True
    return any(
        s.get("type") == "application/ld+json" and _SCHEMA_ARTICLE.search(s.text or "") for s in root.iter("script")
    )


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
        if any(teasers(sib) for sib in parent if sib is not top and isinstance(sib.tag, str)):
            break
        top = parent
    return top


def _headline_container(
    body: etree._Element, top: etree._Element, best: float, scores: dict, stats: Stats
) -> etree._Element:
    """The container of the page's one ``h1`` when it scores close to the winner.

    A page's headline sits on its article; a teaser list of many short
    paragraphs can outscore an article of one long one.
    """
    h1s = list(itertools.islice(body.iter("h1"), 2))
    if len(h1s) != 1 or is_inside(h1s[0], top):
        return top
    for level, ancestor in enumerate(h1s[0].iterancestors()):
        if level >= 3 or ancestor is body or is_inside(top, ancestor):
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
            if sum(is_inside(r, ancestor) for r in rivals) >= 3:
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
        if teasers(sib):
            continue
        bonus = best * 0.2 if sib.get("class") and sib.get("class") == top.get("class") else 0.0
        length, dense = stats.text.get(sib, 0), stats.density(sib)
        if scores.get(sib, 0.0) + bonus >= threshold or (
            sib.tag == "p" and ((length > 80 and dense < 0.25) or (0 < length <= 80 and dense == 0))
        ):
            keep.append(sib)
    return keep


def main_content(body: etree._Element, article: bool = False) -> list[etree._Element]:
    """The elements of ``body`` that hold its main content, in document order.

    ``article``: the page says it is a dated article (:func:`says_article`).
    """
    marked = _MARKED(body)
    if marked:
        return outermost(marked, None, lambda el: True)
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
    return drop_article_chrome(picked, stats, vocab) if article else picked


def trim_article(blocks: list[Block]) -> list[Block]:
    """An article's blocks less the chrome only its shape gives away, as jusText reads it.

    Above the first and below the last line of prose, short lines that are no
    sentence go: with no figure they are labels and buttons ("Get short URL",
    "Subscribe Sign In", "Voltar"), with a time or a date datelines ("Posted:
    Fri 6:45 PM, Feb 16, 2018"); a score or a price stays.  Last lines that
    give an e-mail address or a handle are the author's contact.  A heading
    with nothing under it is the title of a box whose content went as chrome.
    """

    def label(b: Block) -> bool:
        text = b.text
        if b.kind != "para" or text.endswith(_SENTENCE_END):
            return False
        if len(text) <= EDGE_LINE and not any(c.isdigit() for c in text):
            return True
        return len(text) <= DATELINE and bool(_DATE.search(text))

    while (
        blocks
        and blocks[-1].kind == "para"
        and len(blocks[-1].text) <= CONTACT_LINE
        and _CONTACT.search(blocks[-1].text)
    ):
        blocks = blocks[:-1]  # the author's address under the article ("Write to Jo at jo@x.com", "@jo")
    prose = [i for i, b in enumerate(blocks) if b.kind != "heading" and not label(b)]
    if prose:
        blocks = [b for i, b in enumerate(blocks) if prose[0] <= i <= prose[-1] or not label(b)]
    kept: list[Block] = []
    for b in reversed(blocks):
        if b.kind == "heading" and (not kept or (kept[-1].kind == "heading" and kept[-1].level <= b.level)):
            continue
        kept.append(b)
    return kept[::-1]
