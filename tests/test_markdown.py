"""Markdown: CommonMark structure with exact source lines, code verbatim, no markup left, nothing lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from searcher.markdown import _parser, clean_markdown, front_matter
from searcher.read import read_text
from searcher.render import sections_text as sections_as_text
from searcher.segment import segment

FILES = sorted((Path(__file__).parent / "data" / "markdown").glob("*.md"))
FILES = [p for p in FILES if p.name != "README.md"]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def _sections(text: str, doc: str = "d.md"):
    return segment(clean_markdown(text), doc)


def test_wrapped_paragraph_under_atx_headings() -> None:
    sections = _sections("# Notes\n\n## Side effects\n\nConstipation is common\nwith methadone.\n")
    assert sections_as_text(sections) == "# Notes\n\n## Side effects\nConstipation is common with methadone.\n"
    assert (sections[0].line_start, sections[0].line_end) == (3, 6)


def test_setext_headings_and_a_paragraph_that_looks_like_a_heading() -> None:
    blocks = clean_markdown("Guide\n=====\n\nShort line\n\nDosing\n------\n\nTake it daily.\n")
    assert [(b.kind, b.text, b.level, b.line, b.last_line) for b in blocks] == [
        ("heading", "Guide", 1, 1, 2),
        ("para", "Short line", 0, 4, 4),
        ("heading", "Dosing", 2, 6, 7),
        ("para", "Take it daily.", 0, 9, 9),
    ]
    assert [s.heading for s in segment(blocks, "d.md")] == ["Guide", "Dosing"]


def test_front_matter_title_is_the_title_and_lines_hold() -> None:
    text = '---\nlayout: post\ntitle: "Methadone: a guide"\ntags: [mat]\n---\n# Dosing\n\nOne dose a day.\n'
    assert front_matter(text)[:2] == ("Methadone: a guide", 3)
    sections = _sections(text)
    assert sections[0].title == "Methadone: a guide"
    assert (sections[0].heading, sections[0].line_start) == ("Dosing", 6)
    assert sections[0].text == "tags: mat\nOne dose a day."  # tags are searchable; the layout is not
    assert "layout" not in sections_as_text(sections)


def test_code_is_verbatim_and_inline_markup_goes() -> None:
    text = (
        "# Use\n\nRun **`cargo fmt`** or see [the *guide*](https://x.org/g) and ![logo](l.png).\n\n"
        "```rust\nfn main() {\n    let x_y = 1;\n}\n```\n\n    indented_code(arg)\n\n"
        "- [x] one\n  - two <b>bold</b>\n\n> quoted *text*\n\n| name | dose |\n|---|---|\n| methadone | 60 mg |\n"
    )
    blocks = clean_markdown(text)
    got = [(b.kind, b.text, b.depth, b.line, b.last_line) for b in blocks]
    assert got == [
        ("heading", "Use", 0, 1, 1),
        ("para", "Run cargo fmt or see the guide and logo.", 0, 3, 3),
        ("code", "fn main() {\n    let x_y = 1;\n}", 0, 6, 8),
        ("code", "indented_code(arg)", 0, 11, 11),
        ("item", "one", 0, 13, 13),
        ("item", "two bold", 1, 14, 14),
        ("para", "quoted text", 0, 16, 16),
        ("para", "name | dose", 0, 18, 18),
        ("para", "methadone | 60 mg", 0, 20, 20),
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_block_points_at_its_source_lines(path: Path) -> None:
    lines = read_text(path).splitlines()
    for block in clean_markdown(read_text(path)):
        if block.kind == "title":
            continue
        source = " ".join(lines[block.line - 1 : block.last_line])
        words = re.findall(r"[^\W_]+", block.text)
        assert words[0] in source and words[-1] in source, (block.kind, block.line, block.text[:60])
        if block.kind == "code":  # verbatim, less the indentation of the list item it sits in
            for code, src in zip(block.text.splitlines(), lines[block.line - 1 : block.last_line], strict=True):
                assert src.endswith(code), (src, code)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_markup_is_left(path: Path) -> None:
    out = sections_as_text(_sections(read_text(path), path.name))
    prose = "\n".join(ln for ln in out.splitlines() if not ln.startswith(("#", " ")))
    assert not re.search(r"\]\(|\*\*|__\w|^\s*```|^#{1,6} ", prose, re.MULTILINE)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_nothing_of_markdown_is_lost(path: Path) -> None:
    """Every word a browser would show of the rendered file is in some section."""
    text = read_text(path)
    title, _, body = front_matter(text)
    shown = BeautifulSoup(_parser().render(body), "html.parser").get_text(" ")
    sections = _sections(text, path.name)
    indexed = _words(" ".join(" ".join([s.title, *s.heading_path, s.text]) for s in sections))
    missing = _words(shown + " " + title) - indexed
    assert not missing, sorted(missing)[:20]


def test_nothing_is_lost_after_a_comments_heading() -> None:
    text = "# Guide\n\nIntro.\n\n## Comments\n\nClinician comments welcome.\n\n## Related articles\n\nDosing notes.\n"
    sections = _sections(text)
    assert [s.heading for s in sections] == ["Guide", "Comments", "Related articles"]
    assert sections[-1].text == "Dosing notes."


def test_front_matter_with_crlf_line_ends() -> None:
    blocks = clean_markdown("---\r\ntitle: Dosing notes\r\nauthor: me\r\n---\r\n\r\n# Start\r\n\r\nLow and slow.\r\n")
    assert blocks[0].kind == "title" and blocks[0].text == "Dosing notes"
    assert "author" not in " ".join(b.text for b in blocks)


def test_link_reference_definitions_are_not_text() -> None:
    blocks = clean_markdown('See [the guide][g] first.\n\n[g]: https://example.org/guide "Guide"\n')
    assert [b.text for b in blocks] == ["See the guide first."]


def test_front_matter_tags_aliases_and_keywords_are_searchable_text() -> None:
    from searcher.ingest import sections_of_text

    text = (
        "---\ntitle: Contingency management\ntags: [cm, research]\naliases:\n  - prize-based incentives\n"
        "  - CM\nauthor: someone\n---\n# Contingency management\n\nVouchers reward negative urine tests.\n"
    )
    sections = sections_of_text(text, "obs.md")
    every = "\n".join(s.text for s in sections)
    assert "tags: cm, research" in every and "aliases: prize-based incentives, CM" in every
    assert "someone" not in every  # the rest of the front matter stays metadata
    first = sections[0]
    assert first.heading == "Contingency management" and first.text.startswith("tags: cm, research\n")
