"""Plain text to blocks: scraped one-paragraph-per-line text, or hard-wrapped text.

Scraped articles (the shipped corpus) hold one paragraph a line, with broken
fragments of markup and headings glued to the sentence before them.
Hard-wrapped text (READMEs, licences, text dumps of documentation) breaks
sentences over several lines; there a paragraph is a run of lines that
continue one another, and only a line standing alone can be a heading.
Which of the two a document is, is decided once for the whole document by
how many of its lines carry on a sentence from the line before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from searcher.boilerplate import drop_boilerplate, strip_calls_to_action
from searcher.fragments import PSEUDO_TAG, blank_hidden, fix_fragments, normalize_space, split_glued_heading
from searcher.mail import read_mail
from searcher.models import Block
from searcher.read import HAS_WORD
from searcher.segment import is_heading_line

_ATX_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?$")
# **strong** anywhere; __strong__ only around words with a space between them, so
# Python's __init__ and __main__ stay as written.
_EMPHASIS = re.compile(r"\*\*(?=\S)(?P<stars>.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(?P<lines>[^_]*?\s[^_]*?)(?<=\S)__(?!\w)")
_BULLET = re.compile(r"^(?:[\u2022\u25e6\u25aa\u25cf\u25cb\u00b7\u2023\u2043\u2013\u2014*-]|o(?=\s))\s*")

# Share of a document's text lines that carry on a sentence from the line
# above: 0.000-0.017 in the scraped corpus files, 0.053-0.71 in 30 wrapped texts
# (documentation text dumps, licences, READMEs).
WRAPPED_SHARE = 0.05
_LONG = 0.7  # of the wrap width: a line this long was broken by the wrapping
_SENTENCE_END = re.compile(r"[.!?:][\"'”’)\]]*$")
_OPEN_END = re.compile(
    r"(?:[,;(\[/&+–—-]|\b(?:a|an|and|are|as|at|be|by|for|from|in|is|its|of|on|or|that|the|their|this|to|which|with))$"
)
_LEADING_PUNCT = re.compile(r"^[(\[\"'“‘]+")
_UNDERLINE = re.compile(r"^([=\-~^*#+`'\"])\1{2,}$")
_LI_FRAGMENT = re.compile(r"<\s*li\b", re.IGNORECASE)

# Lines as an editor counts them: form feeds, U+2028 and NEL do not end one.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A bullet after text on its line: the line break before it was lost ("Core Skills•\tMindfulness ...").
_MID_BULLET = re.compile(r"(?<=\S)[ \t]*(?=[\u2022\u25e6\u25aa\u25cf][ \t]+\S)")


@dataclass(slots=True)
class Line:
    """One non-blank source line, cleaned of markup."""

    number: int
    indent: int
    text: str
    kind: str  # line, item, heading, or rule (a row of one repeated sign)
    glyph: str = ""
    level: int = 0
    source: str = ""  # the text before a "#" heading mark was taken off


def strip_tags(line: str) -> str:
    """Wrapped text's markup: whole tags of HTML names only; "<src>" or "<No menu>" are words."""
    return PSEUDO_TAG.sub(" ", line) if "<" in line else line


def _read_line(number: int, raw: str, fix: Callable[[str], str]) -> Line | None:
    """A source line as a Line, its markup taken off by ``fix``; None when it is blank."""
    expanded = raw.replace("\t", "    ")
    indent = len(expanded) - len(expanded.lstrip(" \u00a0"))
    stripped = raw.strip(" \t\u00a0\ufeff")
    if not stripped:
        return None
    if _UNDERLINE.match(stripped):
        return Line(number, indent, stripped, "rule")
    kind, glyph, level = "line", "", 0
    if _LI_FRAGMENT.match(stripped):
        kind, glyph = "item", "li"
    text = fix(stripped).strip()
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub(lambda m: m["stars"] or m["lines"], text)
    source = text
    atx = _ATX_HEADING.match(text)
    if atx:  # a Markdown heading: "## Evidence"
        kind, level, text = "heading", len(atx[1]), atx[2]
    bullet = _BULLET.match(text)
    if bullet and len(text) > bullet.end():
        kind, glyph = "item", bullet.group().strip()
        text = text[bullet.end() :]
    return Line(number, indent, text, kind, glyph, level, source)


def read_lines(text: str, scraped: bool = True) -> list[Line | None]:
    """Every source line, cleaned; None stands for a blank line.

    ``scraped``: repair the scraper's broken fragments of markup; otherwise
    only whole tags go.
    """
    fix = fix_fragments if scraped else strip_tags
    return [
        _read_line(n, piece, fix)
        for n, raw in enumerate(_LINE_BREAK.split(blank_hidden(text)), 1)
        for piece in (_MID_BULLET.split(raw) if scraped else [raw])
        if piece.strip() or piece is raw
    ]


def _starts_lower(text: str) -> bool:
    return _LEADING_PUNCT.sub("", text)[:1].islower()


def carries_on(prev: str, line: str) -> bool:
    """True when ``line`` goes on with a sentence that ``prev`` left unfinished."""
    return _starts_lower(line) and not _SENTENCE_END.search(prev)


def wrapped_share(lines: list[Line | None]) -> float:
    """Share of text lines that carry on a sentence from the line just above."""
    texts = [ln for ln in lines if ln is not None and ln.kind == "line"]
    if not texts:
        return 0.0
    pairs = itertools.pairwise(lines)
    carried = sum(
        1
        for prev, ln in pairs
        if prev is not None and ln is not None and prev.kind == ln.kind == "line" and carries_on(prev.text, ln.text)
    )
    return carried / len(texts)


def _wrap_width(lines: list[Line | None]) -> int:
    """The width the text was wrapped at: the 90th percentile of its line lengths."""
    lengths = sorted(len(ln.text) for ln in lines if ln is not None and ln.kind == "line")
    return max(30, lengths[int(len(lengths) * 0.9)]) if lengths else 80


def _block(kind: str, text: str, line: int, depth: int = 0, level: int = 0, end: int = 0) -> Block | None:
    """A cleaned block, or None when no word is left."""
    text = strip_calls_to_action(normalize_space(text))
    if kind == "item":
        text = text.lstrip(".,;: ")
    if not HAS_WORD.search(text):
        return None
    return Block(kind, text, line, depth, level, end)


def _depths(lines: list[Line | None], wrapped: bool) -> dict[int, int]:
    """List depth of each item line, by its indentation and glyph.

    A text line ends the lists, except in wrapped text where a line indented
    under an item goes on with that item.
    """
    lists, depths, item_indent = _ListDepth(), {}, -1
    for ln in lines:
        if ln is None or ln.kind == "rule":
            continue
        if ln.kind == "item":
            depths[ln.number], item_indent = lists.depth(ln.indent, ln.glyph), ln.indent
        elif HAS_WORD.search(ln.text) and not (wrapped and ln.indent > item_indent >= 0):
            lists.reset()
            item_indent = -1
    return depths


def _underlines(rule: Line, above: Block | None) -> bool:
    """A row of "=" or "-" right under a short line that ends no sentence: a setext heading."""
    if above is None or above.line != rule.number - 1 or rule.text[0] not in "=-":
        return False
    return above.kind == "line" and is_heading_line(above)


def scraped_blocks(lines: list[Line | None]) -> list[Block]:
    """One block a line; a heading glued to the end of a sentence is split off."""
    blocks: list[Block] = []
    depths = _depths(lines, wrapped=False)
    levels: dict[str, int] = {}  # an underline's sign -> its heading level, by first use
    for ln in lines:
        if ln is not None and ln.kind == "rule" and _underlines(ln, blocks[-1] if blocks else None):
            blocks[-1].kind, blocks[-1].level = "heading", levels.setdefault(ln.text[0], len(levels) + 1)
        if ln is None or ln.kind == "rule":
            continue
        block = _block(ln.kind, ln.text, ln.number, depths.get(ln.number, 0), ln.level)
        if block is None:
            continue
        glued = split_glued_heading(block.text) if block.kind in ("line", "item") else None
        if glued:
            blocks.append(Block(block.kind, glued[0], block.line, block.depth))
            blocks.append(Block("heading", glued[1], block.line))
        else:
            blocks.append(block)
    return blocks


def _joins(run: list[Line], ln: Line, width: int) -> bool:
    """True when ``ln`` goes on with the paragraph or list item held in ``run``."""
    head, prev = run[0], run[-1]
    if ln.kind != "line" or head.kind in ("heading", "rule"):
        return False
    if head.kind == "item" and ln.indent > head.indent:
        return True
    if carries_on(prev.text, ln.text) or _OPEN_END.search(prev.text):
        return True
    return len(prev.text) >= _LONG * width and not _SENTENCE_END.search(prev.text)


def wrapped_blocks(lines: list[Line | None]) -> list[Block]:
    """A block a paragraph: lines that continue one another are joined.

    A line underlined with a row of one sign ("=====", "-----") is a heading,
    its level by the order the signs first appear, as in reStructuredText.
    """
    width, depths = _wrap_width(lines), _depths(lines, wrapped=True)
    blocks: list[Block] = []
    run: list[Line] = []
    levels: dict[str, int] = {}

    def flush() -> None:
        if not run:
            return
        head = run[0]
        kind = head.kind if head.kind != "line" or len(run) == 1 else "para"
        end = run[-1].number if len(run) > 1 else 0
        block = _block(kind, " ".join(ln.text for ln in run), head.number, depths.get(head.number, 0), head.level, end)
        if block is not None:
            blocks.append(block)
        run.clear()

    for i, ln in enumerate(lines):
        if ln is not None and ln.kind == "heading" and i and lines[i - 1] is not None:
            # "# ..." inside a run of lines is a comment in code or a shell prompt, not a heading
            ln.kind, ln.level, ln.text = "line", 0, ln.source
        if ln is not None and ln.kind == "rule":
            if len(run) == 1 and run[0].kind == "line" and run[0].number == ln.number - 1:
                run[0].kind, run[0].level = "heading", levels.setdefault(ln.text[0], len(levels) + 1)
            flush()
        elif ln is None or not (run and _joins(run, ln, width)):
            flush()
            if ln is not None:
                run.append(ln)
        else:
            run.append(ln)
    flush()
    return blocks


def is_wrapped(lines: list[Line | None]) -> bool:
    """True when the document is hard-wrapped rather than one paragraph a line."""
    return wrapped_share(lines) >= WRAPPED_SHARE


def clean_plain(text: str) -> list[Block]:
    """Plain or scraped text to blocks, boilerplate dropped."""
    lines = read_lines(text, scraped=False)
    wrapped = is_wrapped(lines)
    lines = lines if wrapped else read_lines(text)
    subject = read_mail(lines)
    blocks = wrapped_blocks(lines) if wrapped else scraped_blocks(lines)
    return ([Block("title", subject, 1)] if subject else []) + drop_boilerplate(blocks)


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
