"""Cleaning: no markup, no boilerplate, no real word lost."""

from __future__ import annotations

import re

import pytest

from searcher.boilerplate import is_writer_note, vocabulary
from searcher.clean import clean, clean_text
from searcher.fragments import fix_fragments, normalize_space, split_glued_heading
from searcher.ingest import sections_of_text
from searcher.read import read_text

MARKUP = re.compile(r"<|>|\b(?:li|ul|LI|Li|font|strong)\s*>|style\s*=|color\s*=|face\s*=|font-size|&nbsp;|&amp;")
BOILERPLATE = re.compile(
    r"Leave a Reply|email address will not be published|Required fields|Max\. file size|"
    r"Fill out the form|Read More|Related Posts|\d{3}-\d{3}-\d{4}",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("< li >< strong > Techniques Used in Narrative Therapy:", "Techniques Used in Narrative Therapy:"),
        ('< ul type = "circle" >', ""),
        ("< li > Reframing – looking at an issue", "Reframing – looking at an issue"),
        ("Provide resources . LI >", "Provide resources ."),
        ("Encourage open dialogue . Li > ul", "Encourage open dialogue ."),
        ("respectful atmosphere li >", "respectful atmosphere"),
        ("Withdrawal symptoms are common.>", "Withdrawal symptoms are common."),
        (">They can also offer emotional support.>", "They can also offer emotional support."),
        ('<font color = "#000000" face = "Arial" style= "font-size:14px;">> Storytelling', "Storytelling"),
        ("<strong Techniques Used: CBT and DBT", "Techniques Used: CBT and DBT"),
        ("first line< br />second line", "first line second line"),
        ("the individual\\’s needs", "the individual’s needs"),
        ("caf&eacute; &amp; more", "café & more"),
        ('< p class = "lead" >A new fragment class< /p >', "A new fragment class"),
    ],
)
def test_fragments_lose_markup_and_keep_words(fragment: str, expected: str) -> None:
    assert " ".join(fix_fragments(fragment).split()) == expected


def test_text_that_only_looks_like_markup_keeps_its_words() -> None:
    text = "A score > 5 means the dose a < b is fine"
    assert "score" in fix_fragments(text) and "dose" in fix_fragments(text)


def test_bullets_become_items_with_depth() -> None:
    text = "Intro line here.\n• Financial barriers:\n– Specialized sessions\n– Longer duration\n• Patient compliance:\n"
    blocks = clean_text(text)
    items = [(b.text, b.depth) for b in blocks if b.kind == "item"]
    assert items == [
        ("Financial barriers:", 0),
        ("Specialized sessions", 1),
        ("Longer duration", 1),
        ("Patient compliance:", 0),
    ]


def test_indented_bullets_nest() -> None:
    text = "  • Benefits of Narrative Therapy:\n    • Helps to identify goals\n    • Encourages empowerment\n"
    assert [b.depth for b in clean_text(text)] == [0, 1, 1]


def test_lines_holding_only_a_dot_or_bracket_go() -> None:
    assert [b.text for b in clean_text("Heading here\n.\n>\n  .  \nBody text.\n")] == ["Heading here", "Body text."]


def test_call_to_action_goes_and_its_sentence_stays() -> None:
    blocks = clean_text("With support, people recover. Call 833-846-5669 today.\n")
    assert [b.text for b in blocks] == ["With support, people recover."]


def test_comment_form_and_teasers_are_not_content() -> None:
    text = "Real heading\nReal text here.\nLeave a Reply\nYour email address will not be published.\nName *\n"
    assert [b.text for b in clean_text(text)] == ["Real heading", "Real text here."]


def test_glued_heading_split() -> None:
    assert split_glued_heading(
        "Without professional guidance, it is hard to keep these boundariesThe Role of Professional Treatment"
    ) == (
        "Without professional guidance, it is hard to keep these boundaries",
        "The Role of Professional Treatment",
    )
    assert split_glued_heading("Reddit’s r/OpiatesRecovery") is None
    assert split_glued_heading("Visit HeroesInRecovery.com for stories of people in recovery.") is None


def test_no_markup_or_boilerplate_left_in_any_corpus_section(corpus_files) -> None:
    for path in corpus_files:
        for s in sections_of_text(read_text(path), path.name):
            for field in (s.heading, s.text, s.title):
                assert not MARKUP.search(field), (path.name, s.heading, MARKUP.search(field))
                assert not BOILERPLATE.search(field), (path.name, s.heading, field[:80])
                assert "\\" not in field


# An attribute of a scraped tag fragment (``type = "circle"``): its name and value are not prose.
ATTRIBUTE = re.compile(r"""[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""")


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", text) if len(w) > 1]


def _without_navigation_at_the_ends(lines: list[str]) -> list[str]:
    """``lines`` without the lone navigation words ("Blog") before the first and after the last other line:
    only there may a menu word go; anywhere else it is a word to keep."""
    nav = vocabulary().navigation
    other = [i for i, line in enumerate(lines) if line.strip() and not nav.match(line.strip())]
    return lines[other[0] : other[-1] + 1] if other else []


def test_every_word_of_the_prose_is_kept(corpus_files) -> None:
    """Every word of the source, once markup and boilerplate are taken out, is in a section."""
    tag_words = {"li", "ul", "ol", "em", "strong", "font", "br"}  # tag names; attributes are taken off the source
    for path in corpus_files:
        indexed: set[str] = set()
        for s in sections_of_text(read_text(path), path.name):
            indexed.update(_words(" ".join([s.title, *s.heading_path, s.heading, s.text])))
        source = read_text(path)
        source = re.split(r"^\s*(?:Leave a Reply|Related Posts)\s*$", source, flags=re.M)[0]
        lines = _without_navigation_at_the_ends(source.splitlines())
        missing = set()
        for line in lines:
            text = normalize_space(fix_fragments(line.strip()))
            if BOILERPLATE.search(line) or is_writer_note(text):
                continue
            for w in _words(ATTRIBUTE.sub(" ", line)):
                if w not in indexed and w.lower() not in tag_words:
                    missing.add(w)
        assert not missing, (path.name, sorted(missing)[:20])


def test_html_page_drops_chrome_and_keeps_structure() -> None:
    page = """<!doctype html><html><head><title>Recovery guide</title>
<style>body { color: red }</style><script>var tracking = "secret";</script></head>
<body><nav><a href="/">Home</a> | <a href="/blog">Blog</a></nav>
<header>Site banner</header>
<h1>Recovery guide</h1>
<p>Intro paragraph about recovery.</p>
<h2>Therapies</h2>
<p>Cognitive behavioral therapy helps.<br>It teaches coping skills.</p>
<ul><li>First item<ul><li>Nested item</li></ul></li></ul>
<h3>Group work</h3>
<p>Group therapy builds support.</p>
<footer>Copyright 2026</footer><form>Leave a Reply <input name=x></form>
</body></html>"""
    blocks = clean(page, "guide.html")
    text = " ".join(b.text for b in blocks)
    for gone in ("tracking", "color", "Home", "banner", "Copyright", "Reply"):
        assert gone not in text
    assert "helps. It teaches" in text  # <br> does not glue words
    assert ("item", "Nested item", 1) in [(b.kind, b.text, b.depth) for b in blocks]
    assert [(b.text, b.level) for b in blocks if b.kind == "heading"] == [
        ("Recovery guide", 1),
        ("Therapies", 2),
        ("Group work", 3),
    ]


def test_clean_command_prints_what_gets_indexed(cli, corpus_files) -> None:
    result = cli("clean", corpus_files[4])
    assert result.exit_code == 0
    assert "# The Role of Professional Treatment" in result.stdout
    assert "li >" not in result.stdout and "Leave a Reply" not in result.stdout
    piped = cli("clean", "-", input="< li >< strong > Techniques Used:\n• Reframing\n")
    assert piped.exit_code == 0 and piped.stdout == "# Techniques Used:\n- Techniques Used:\n  - Reframing\n"


def test_comments_go_with_what_they_hide_and_lines_hold() -> None:
    blocks = clean_text(
        "Heading\n<!-- a note\nspanning lines -->Kept words.\nMore text <!-- never closed\nLast line.\n"
    )
    assert [(b.text, b.line) for b in blocks] == [
        ("Heading", 1),
        ("Kept words.", 3),
        ("More text", 4),
        ("Last line.", 5),
    ]
    wrapped = clean_text(
        "Heading\n<!-- a note\nspanning lines -->kept words\nmore text <!-- never closed\nlast line.\n"
    )
    assert [(b.text, b.line, b.last_line) for b in wrapped] == [
        ("Heading", 1, 1),
        ("kept words more text last line.", 3, 5),
    ]
    page = clean("<html><body><h1>Title</h1><p>kept <!-- hidden to the end</p></body></html>", "p.html")
    assert [b.text for b in page if b.kind != "title"] == ["Title", "kept"]


def test_markup_the_parser_rejects_is_read_as_text() -> None:
    line = "Write <![...]> markup.  It is <b>rare</b>."
    assert normalize_space(fix_fragments(line)) == "Write markup. It is rare."
    page = clean("<html><body><h1>Marked sections</h1><p>Use <![...]> in SGML.</p></body></html>", "p.html")
    assert "SGML" in " ".join(b.text for b in page)


def test_escaped_angle_brackets_in_a_page_are_words() -> None:
    page = "<html><body><p>Use &lt;div&gt; tags in List&lt;String&gt; and a &lt;b and c&gt; d.</p></body></html>"
    assert [b.text for b in clean(page, "p.html")] == ["Use <div> tags in List<String> and a <b and c> d."]


def test_markdown_headings_and_emphasis() -> None:
    text = (
        "# Guide\n\nVouchers reward **negative** tests.\n\n## How vouchers work\n\nEach test earns __one__ voucher.\n"
    )
    blocks = clean(text, "guide.md")
    assert [(b.kind == "heading", b.text, b.level) for b in blocks] == [
        (True, "Guide", 1),
        (False, "Vouchers reward negative tests.", 0),
        (True, "How vouchers work", 2),
        (False, "Each test earns one voucher.", 0),
    ]
