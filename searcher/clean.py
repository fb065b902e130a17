"""Stage 2, clean: a document to blocks, by the reader of its format.

:func:`clean` picks the reader: web pages (:mod:`searcher.page`, with
:mod:`searcher.soup` for the rare page lxml cannot read whole), Markdown
(:mod:`searcher.markdown`) or plain and scraped text (:mod:`searcher.text`,
with the fragment tools of :mod:`searcher.fragments`).  Every reader gives
the same :class:`Block`s to one segmenter.
"""

from __future__ import annotations

from searcher.models import Block


def clean_text(text: str) -> list[Block]:
    """Clean plain text (scraped or hard-wrapped) into blocks: see :mod:`searcher.text`."""
    from searcher.text import clean_plain

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
    from searcher.boilerplate import drop_page_edges
    from searcher.page import page_blocks

    blocks = page_blocks(text)
    if blocks is None:
        from searcher.soup import soup_blocks

        blocks = soup_blocks(text)
    return drop_page_edges(blocks)
