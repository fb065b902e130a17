"""What a page says is chrome: tags, roles and the class and id words of ``data/chrome.json``.

An element names itself chrome by its tag (``nav``, ``aside``, ``footer``,
``form``, a ``header`` without the headline), its role (``navigation``,
``banner``, ``complementary`` ...) or a strong word in its class or id
(cookie banners, menus, share widgets, comment threads ...).  Inside the
content, lists made mostly of links and teaser lists (headings that link to
other pages) are chrome too.  Nothing that holds most of the page's text,
its ``h1`` or its ``main`` is dropped for its name, and a page made only of
such blocks keeps them all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from searcher.tree import Stats, drop, is_inside

CHROME_PATH = Path(__file__).with_name("data") / "chrome.json"
_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LINK_DENSE = frozenset(["div", "section", "ul", "ol", "table", "dl", "p", "span", "header"])
MOST_OF_PAGE = 0.5
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
    article: frozenset[str]
    article_long: tuple[str, ...]
    named: etree.XPath  # the elements that can say they are chrome, in document order

    def names_chrome(self, el: etree._Element) -> bool:
        """True when the element's class or id names chrome in a strong word."""
        parts = _parts(el.get("class"), el.get("id"))
        chrome = any(p in self.strong or p.endswith(self.strong_long) for p in parts)
        return chrome and not any(p in self.content for p in parts)

    def names_thread(self, el: etree._Element) -> bool:
        """True for a comment thread, which may be longer than the article it follows."""
        return not self.thread.isdisjoint(_parts(el.get("class"), el.get("id")))

    def names_article_chrome(self, el: etree._Element) -> bool:
        """True for what an article page names as about the article: a caption, byline or dateline."""
        return any(p in self.article or p.endswith(self.article_long) for p in _parts(el.get("class"), el.get("id")))

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
        frozenset(data["article_words"]),
        tuple(w for w in data["article_words"] if len(w) >= 6),
        etree.XPath(  # inside code, class names are a highlighter's ("token comment"), not chrome
            "descendant-or-self::*[(@class or @id or @role or self::header"
            + "".join(f" or self::{tag}" for tag in data["chrome_tags"])
            + ") and not(ancestor-or-self::pre or ancestor-or-self::code)]"
        ),
    )


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


def outermost(elements, root: etree._Element, wanted) -> list[etree._Element]:
    """The ``wanted`` elements (given in document order) that lie inside no other wanted one."""
    found: list[etree._Element] = []
    skip: etree._Element | None = None
    for el in elements:
        if skip is not None:
            if is_inside(el, skip):
                continue
            skip = None  # document order: nothing later is inside it
        if el is not root and wanted(el):
            found.append(el)
            skip = el
    return found


def drop_chrome(body: etree._Element, stats: Stats, vocab: Vocabulary) -> None:
    """Drop every element that says it is chrome, unless it holds most of the page's text."""
    limit = stats.text.get(body, 0) * MOST_OF_PAGE

    def chrome(el: etree._Element) -> bool:
        small = stats.text.get(el, 0) <= limit
        return is_chrome(el, vocab) and (small or vocab.names_thread(el)) and not _holds_content(el)

    doomed = outermost(vocab.named(body), body, chrome)
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


def teasers(el: etree._Element) -> bool:
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


def drop_link_lists(content: etree._Element, stats: Stats) -> None:
    """Inside the content, drop blocks that are mostly links: teasers, tag clouds, share bars."""
    teasers = _teaser_lists(content)

    def links(el: etree._Element) -> bool:
        own = stats.text.get(el, 0) - stats.links.get(el, 0)
        dense = stats.density(el) > 0.5 and own < 200 and sum(1 for a in el.iter("a") if a.get("href")) >= 3
        return dense or (el in teasers and next(el.iter("h1"), None) is None)

    doomed = outermost(content.iter(*_LINK_DENSE), content, links)
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


def drop_article_chrome(picked: list[etree._Element], stats: Stats, vocab: Vocabulary) -> list[etree._Element]:
    """On an article page, the content less the text about the article and around it.

    Figures (an image and its caption or credit, not a quote, code or a
    table); captions, credits, bylines, datelines, author boxes, print-only
    text and links to the next story, by name; in the article's header, all
    but its headings (the section label, byline, date and standfirst around
    the headline); the page's tag links (``rel="tag"``) among other links;
    short paragraphs that link to other stories (:func:`_link_runs`).
    """
    limit = sum(stats.text.get(el, 0) for el in picked) * MOST_OF_PAGE
    runs = set().union(*(_link_runs(el, stats) for el in picked))
    heads = [
        h
        for top in picked
        for h in top.iter("*")
        if (h.tag == "header" or not {"header", "head", "hero"}.isdisjoint(_parts(h.get("class"), h.get("id"))))
        and next(h.iter("h1"), None) is not None
        and stats.text[h] <= limit
    ]

    def about(el: etree._Element) -> bool:
        if el in runs or (any(is_inside(el, h) for h in heads) and next(el.iter(*_HEADINGS), None) is None):
            return True
        if el.tag == "a" and "tag" in (el.get("rel") or "").lower().split():
            return stats.density(el.getparent()) > 0.5  # the page's tags; one in a sentence is a word of it
        if el.tag not in ("figcaption", "figure") and not vocab.names_article_chrome(el):
            return False
        return next(el.iter("pre", "code", "h1", "h2", "h3", "table", "blockquote"), None) is None

    doomed = [el for top in picked for el in ([top] if about(top) else outermost(top.iter("*"), top, about))]
    if sum(stats.text.get(el, 0) for el in doomed) > limit:
        return picked  # most of it "about the article": then it is the article
    for el in doomed:
        stats.forget(el)
        drop(el)
    return [el for el in picked if el not in doomed]


_URL = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
TEASER_LINE = 200
_LABEL = re.compile(r"^\W*\w[^.!?]{2,18}$")  # "Read more:", "Related", "[See also" before a story's link
_LETTER = re.compile(r"[^\W\d_]")


def _link_runs(content: etree._Element, stats: Stats) -> set[etree._Element]:
    """Short paragraphs that link to other stories: all link, two or more in a row or in capitals, or after a label.

    One all-link line alone may be the article's own sentence, unless it
    shouts ("GET THE APP BY CLICKING HERE"); "Read more:" or "Related" before a
    headline of four words or more is a teaser; a link that spells out its
    address is a reference the article cites.
    """

    def teaser_line(el: etree._Element) -> bool:
        if not isinstance(el.tag, str) or el.tag not in ("p", "div") or not 0 < stats.text.get(el, 0) < TEASER_LINE:
            return False
        links = [a for a in el.iter("a") if a.get("href")]
        return bool(links) and stats.density(el) >= 0.9 and not any(_URL.match("".join(a.itertext())) for a in links)

    def read_more(el: etree._Element) -> bool:
        links = [a for a in el.iter("a") if a.get("href")]
        if len(links) != 1 or stats.text.get(el, 0) >= TEASER_LINE:
            return False
        text, link = "".join(el.itertext()), "".join(links[0].itertext()).strip()
        if len(link.split()) < 4 or next(el.iter(*_HEADINGS), None) is not None:
            return False  # a story's headline is some words long; a heading is a section's
        label, _, after = text.partition(link)
        return bool(_LABEL.match(label.strip())) and not _LETTER.search(after) and not _URL.match(link)

    lines = {el for el in content.iter("p", "div") if teaser_line(el)}
    caps = {el for el in lines if (t := "".join(el.itertext())).upper() == t != t.lower() and len(t.split()) >= 3}
    return (
        caps
        | {el for el in lines if el.getprevious() in lines or el.getnext() in lines}
        | {el for el in content.iter("p", "div") if read_more(el)}
    )
