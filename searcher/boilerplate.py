"""Site boilerplate in scraped text: what a reader never came for.

The vocabulary lives in ``data/boilerplate.json``.  Removal is cautious:
a whole line that is boilerplate goes wherever it stands; a comment form or
teaser list goes only as the document's trailing zone, when nothing after
its first line is real content; a navigation word goes only where it heads
nothing at the start or end of the document.  Anything else is kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from searcher.models import Block
from searcher.segment import is_heading_line

VOCABULARY_PATH = Path(__file__).with_name("data") / "boilerplate.json"
_WORDS = re.compile(r"[^\W_]+")
# A paragraph that ends a sentence; a teaser excerpt is cut off before that.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_PHONE_DIGITS = re.compile(r"\d{3}")
_TRUNCATED = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\])$")


def _whole(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(alternatives) + r")$", re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """The compiled boilerplate vocabulary."""

    line: re.Pattern[str]
    navigation: re.Pattern[str]
    zone: re.Pattern[str]
    edge: re.Pattern[str]
    contents: re.Pattern[str]
    call_to_action: re.Pattern[str]
    note_verbs: frozenset[str]
    note_objects: frozenset[str]

    @classmethod
    def load(cls, path: Path = VOCABULARY_PATH) -> Vocabulary:
        """Read and compile a vocabulary file."""
        data = json.loads(path.read_text(encoding="utf-8"))
        notes = data["writer_note"]
        return cls(
            _whole(data["lines"]),
            _whole(data["navigation"]),
            _whole(data["zone"]),
            _whole(data["edge"]),
            _whole(data["contents"]),
            re.compile(data["call_to_action"], re.IGNORECASE),
            frozenset(notes["verbs"]),
            frozenset(notes["objects"]),
        )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary shipped in the package, loaded once."""
    return Vocabulary.load()


def strip_calls_to_action(text: str) -> str:
    """Drop phone calls to action, keeping the sentence they were glued to."""
    if _PHONE_DIGITS.search(text):
        text = vocabulary().call_to_action.sub("", text).strip()
    return text


def is_boilerplate_line(text: str) -> bool:
    """A whole line of comment form, share widget or call to action."""
    return bool(vocabulary().line.match(text))


def is_zone_start(text: str) -> bool:
    """A line that opens a comment form or a teaser list ("Leave a Reply", "3 Comments")."""
    return bool(vocabulary().zone.match(text.rstrip(":")))


def is_writer_note(text: str) -> bool:
    """A bracketed line that tells the writer what to do with the article.

    "(if you can add them within the article without making the text look
    spammy)": it speaks to the writer ("you", or an order such as "Insert
    image here") about editing the text (a verb and an object of editing).
    """
    text = text.strip().rstrip(".")
    if len(text) < 3 or (text[0], text[-1]) not in (("(", ")"), ("[", "]")):
        return False
    words = [w.lower() for w in _WORDS.findall(text)]
    v = vocabulary()
    addressed = "you" in words or (bool(words) and words[0] in v.note_verbs)
    return addressed and not v.note_verbs.isdisjoint(words) and not v.note_objects.isdisjoint(words)


def _zone_like(block: Block) -> bool:
    """What a trailing comment form or teaser list holds: form lines, titles, cut-off excerpts."""
    text = block.text
    if block.kind == "code":
        return False
    if is_boilerplate_line(text) or is_zone_start(text) or vocabulary().navigation.match(text):
        return True
    # A teaser's title (a question too) or its cut-off excerpt; a finished sentence is content.
    return bool(_TRUNCATED.search(text)) or is_heading_line(block) or not _SENTENCE_END.search(text)


def trailing_zone_start(blocks: list[Block]) -> int:
    """Index where the trailing boilerplate zone starts (``len(blocks)`` when there is none).

    The zone opens at a zone line ("Related Posts") only when every block
    after it is zone-like: a "Comments" heading followed by real paragraphs
    is content and stays.
    """
    start = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        if is_zone_start(blocks[i].text):
            start = i
        elif not _zone_like(blocks[i]):
            break
    return start


def _heads_nothing(blocks: list[Block], i: int) -> bool:
    """True when the next block is another heading candidate, or there is none."""
    return i + 1 >= len(blocks) or is_heading_line(blocks[i + 1])


def _without_edges(blocks: list[Block]) -> list[Block]:
    """Without the edge lines (breadcrumb, cookie banner, post tags) in the runs of
    boilerplate that open or close the document; inside it they are content."""
    v = vocabulary()

    def edge(b: Block) -> bool:
        return b.kind != "code" and bool(v.edge.match(b.text))

    def passable(b: Block) -> bool:
        if b.kind == "title" or is_heading_line(b) or edge(b):  # the headline and its title are passed over
            return True
        return is_boilerplate_line(b.text) or bool(v.navigation.match(b.text))

    start, end = 0, len(blocks)
    while start < end and passable(blocks[start]):
        start += 1
    while end > start and passable(blocks[end - 1]):
        end -= 1
    kept = [b for i, b in enumerate(blocks) if start <= i < end or not edge(b)]
    return kept if any(not is_heading_line(b) for b in kept) else blocks  # never the whole text


_NUMBERED = re.compile(r"^\d+(?:\.\d+)*[.)]?\s+")


def _entry(text: str) -> str:
    return _NUMBERED.sub("", text).casefold()


def _without_contents_lists(blocks: list[Block]) -> list[Block]:
    """Without a "Table of Contents" line and its entries, where every entry stands again
    later in the document (a heading the list points to): what it lists is all kept there."""
    contents = vocabulary().contents
    last: dict[str, int] | None = None  # each text's last place, found once, only if a list is there
    out, i = [], 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind != "code" and contents.match(b.text.rstrip(":")):
            if last is None:
                last = {_entry(x.text): n for n, x in enumerate(blocks)}
            end = i + 1
            while end < len(blocks) and blocks[end].kind in ("line", "item", "heading"):
                if last.get(_entry(blocks[end].text), -1) <= end:  # it stands nowhere after
                    break
                end += 1
            if end - i > 1:
                i = end
                continue
        out.append(b)
        i += 1
    return out


def drop_page_edges(blocks: list[Block]) -> list[Block]:
    """A web page's blocks without the edge lines and contents lists its main content kept
    (a blog's "Posted on … by", "Tagged: …", a contents box whose entries are its headings)."""
    return _without_contents_lists(_without_edges(blocks))


def drop_boilerplate(blocks: list[Block]) -> list[Block]:
    """``blocks`` without the trailing zone, boilerplate lines, stray navigation and writer's notes."""
    blocks = _without_contents_lists(_without_edges(blocks[: trailing_zone_start(blocks)]))
    body = [i for i, b in enumerate(blocks) if not is_heading_line(b)]
    first, last = (body[0], body[-1]) if body else (len(blocks), -1)
    nav = vocabulary().navigation
    kept = []
    for i, block in enumerate(blocks):
        if block.kind == "code":
            kept.append(block)
            continue
        if is_boilerplate_line(block.text) or is_writer_note(block.text):
            continue
        if nav.match(block.text) and (i < first or i > last) and _heads_nothing(blocks, i):
            continue
        kept.append(block)
    return kept
