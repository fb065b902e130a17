"""Plain text: hard-wrapped paragraphs joined, scraped text as before, boilerplate only where it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searcher.boilerplate import is_writer_note, vocabulary
from searcher.clean import clean, clean_text
from searcher.fragments import split_glued_heading
from searcher.ingest import sections_of_text
from searcher.read import read_text
from searcher.text import is_wrapped, read_lines

WRAPPED = sorted((Path(__file__).parent / "data" / "text").glob("*.txt"))
_FUNCTION_WORDS = {"the", "of", "and", "to", "a", "an", "in", "for", "by", "with", "or", "that", "as", "on", "from"}


def _words(text: str) -> set[str]:
    """Words, a glued "boundariesThe" as two."""
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", text)}


def _indexed_words(sections) -> set[str]:
    return _words(" ".join(" ".join([s.title, *s.heading_path, s.heading, s.text]) for s in sections))


def starts_mid_sentence(lines: list[str], line_start: int) -> bool:
    """A heading line glued to a neighbour line by a sentence running across the break."""
    i = line_start - 1
    head = lines[i].strip()
    prev = lines[i - 1].strip() if i else ""
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if prev and not prev.endswith((".", "!", "?", ":", ";")) and head[:1].islower():
        return True
    if nxt[:1].islower() and not head.endswith((".", "!", "?", ":", ";")):
        return True
    return bool(prev) and prev.split()[-1].lower() in _FUNCTION_WORDS


def test_wrapped_paragraph_is_joined_under_its_markdown_headings(cli, tmp_path) -> None:
    doc = tmp_path / "w.md"
    doc.write_text("# Notes\n\n## Side effects\n\nConstipation is common\nwith methadone.\n", encoding="utf-8")
    result = cli("clean", doc)
    assert result.exit_code == 0
    assert result.stdout == "# Notes\n\n## Side effects\nConstipation is common with methadone.\n"


def test_a_paragraph_keeps_its_first_and_last_source_line() -> None:
    blocks = clean_text("Dosing\n\nThe first dose is small and\nis raised over days\nuntil cravings stop.\n")
    assert [(b.kind, b.text, b.line, b.last_line) for b in blocks] == [
        ("line", "Dosing", 1, 1),
        ("para", "The first dose is small and is raised over days until cravings stop.", 3, 5),
    ]


def test_the_document_decides_wrapped_or_scraped(corpus_files) -> None:
    assert not any(is_wrapped(read_lines(read_text(p))) for p in corpus_files)
    assert all(is_wrapped(read_lines(read_text(p))) for p in WRAPPED)


@pytest.mark.parametrize("path", WRAPPED, ids=lambda p: p.name)
def test_no_section_of_real_wrapped_text_starts_mid_sentence(path: Path) -> None:
    text = read_text(path)
    lines = text.splitlines()
    sections = sections_of_text(text, path.name)
    assert sections
    bad = [s.heading for s in sections if starts_mid_sentence(lines, s.line_start)]
    assert not bad, bad[:5]


@pytest.mark.parametrize("path", WRAPPED, ids=lambda p: p.name)
def test_nothing_of_wrapped_text_is_lost(path: Path) -> None:
    text = read_text(path)
    navigation = vocabulary().navigation  # "Home" of a page's Prev / Up / Home / Next links
    kept = "\n".join(ln for ln in text.splitlines() if not navigation.match(ln.strip()))
    missing = _words(kept) - _indexed_words(sections_of_text(text, path.name))
    assert not missing, sorted(missing)[:20]


def test_underlined_headings_nest_by_their_signs() -> None:
    path = next(p for p in WRAPPED if p.name == "python-LICENSE.txt")
    sections = sections_of_text(read_text(path), path.name)
    psf = next(s for s in sections if s.heading == "PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2")
    assert psf.heading_path == ["B. TERMS AND CONDITIONS FOR ACCESSING OR OTHERWISE USING PYTHON", psf.heading]
    assert sections[0].heading == "A. HISTORY OF THE SOFTWARE"
    assert sections[0].text.startswith("Python was created in the early 1990s by Guido van Rossum at Stichting")


def test_a_hash_line_inside_code_is_no_heading() -> None:
    text = "Example\nimport shelve\nd = shelve.open(filename)  # open\n# as d was opened WITHOUT writeback\nd.close()\n"
    blocks = clean_text("Some text that wraps\nonto a second line and\n" + text)
    assert "heading" not in [b.kind for b in blocks]
    assert any("# as d was opened" in b.text for b in blocks)


# --- scraped text: boilerplate only where it is --------------------------------------------------

_REAL = "Methadone is taken once a day. The dose is set by the clinic.\n"


@pytest.mark.parametrize("marker", ["Comments", "3 Comments", "Related articles", "Leave a Reply"])
def test_a_zone_line_in_the_middle_does_not_end_the_document(marker: str) -> None:
    text = f"Dosing\n{_REAL}{marker}\nClinician comments on dosing are welcome.\nSafety\n{_REAL}"
    kept = " ".join(b.text for b in clean_text(text))
    assert "Clinician comments on dosing are welcome." in kept
    assert kept.endswith("The dose is set by the clinic.") and marker in kept


def test_a_trailing_comment_form_or_teaser_list_goes() -> None:
    text = (
        f"Dosing\n{_REAL}Related Posts\n3 Lessons To Learn From Addiction\n"
        "Lesson 1 – Power of Resilience: in the challenging journey of addiction one of the\nRead More\n"
        "Leave a Reply\nYour email address will not be published. Required fields are marked *\n"
    )
    assert [b.text for b in clean_text(text)] == ["Dosing", _REAL.strip()]


@pytest.mark.parametrize("word", ["News", "Search", "Blog"])
def test_a_navigation_word_heading_real_content_stays(word: str, corpus_files) -> None:
    sections = sections_of_text(
        f"{word}\nThe clinic opened a second site this spring.\n{read_text(corpus_files[4])}", "d.txt"
    )
    assert sections[0].heading == word and sections[0].text == "The clinic opened a second site this spring."


_BODY = (
    "Dosing\nMethadone is taken once a day. The dose is set by the clinic.\nSafety\nStore every dose out of reach.\n"
)


def _fields(sections) -> list[str]:
    return [f for s in sections for f in (s.title, s.heading, *s.heading_path, *s.text.splitlines())]


@pytest.mark.parametrize("word", ["Blog", "Home", "News", "Menu"])
def test_a_navigation_word_goes_only_where_it_heads_nothing_at_an_end(word: str) -> None:
    for text in (f"{word}\n\n{_BODY}", f"{_BODY}\n{word}\n"):
        sections = sections_of_text(text, "d.txt")
        assert word not in _fields(sections), text
        assert "Store every dose out of reach." in _fields(sections)
    middle = sections_of_text(_BODY.replace("Safety\n", f"{word}\nSafety\n"), "d.txt")
    assert [s.heading_path for s in middle] == [["Dosing"], [word, "Safety"]]  # between content, it is a heading


@pytest.mark.parametrize(
    "text",
    [
        "This database system is maintained by the PostgreSQL Global Development Group",
        "Watch the clinic videos on our YouTube Channel For Recovery Stories",
        "Follow the clinic team on LinkedIn For Professional Updates",
        "He worked for years at the local McDonald Restaurant On Main Street",
        "Patients can now book visits from an iPhone App Called Recovery Path",
    ],
)
def test_words_with_inner_capitals_are_not_split(text: str) -> None:
    assert split_glued_heading(text) is None
    assert [b.text for b in clean_text(text + "\n")] == [text]


def test_glued_headings_are_split_only_in_scraped_text() -> None:
    glued = "Without professional guidance, it is hard to keep these boundariesThe Role of Professional Treatment"
    assert [b.kind for b in clean_text(glued + "\n")] == ["line", "heading"]
    wrapped = f"Boundaries are hard to keep\nwithout guidance, as members\nlearn. {glued}\n"
    assert [b.kind for b in clean_text(wrapped)] == ["para"]
    page = clean(f"<html><body><h1>Peer support</h1><p>{glued}</p></body></html>", "p.html")
    assert [(b.kind, b.text) for b in page if b.kind != "title"] == [("heading", "Peer support"), ("para", glued)]


@pytest.mark.parametrize(
    ("line", "note"),
    [
        ("(if you can add them within the article without making the article text look spammy).", True),
        ("[Insert image here]", True),
        ("(Add internal links to the treatment pages)", True),
        ("(CBT)", False),
        ("(see the article on methadone dosing)", False),
        ("(You can ask your clinic about take-home doses.)", False),
        ("If you can, add the clinic's number to your phone.", False),
    ],
)
def test_writer_notes_are_lines_that_tell_the_writer_to_edit(line: str, note: bool) -> None:
    assert is_writer_note(line) is note


def test_the_corpus_writer_note_is_not_indexed(corpus_files) -> None:
    sections = sections_of_text(read_text(corpus_files[4]), corpus_files[4].name)
    start = next(s for s in sections if s.heading == "Starting a Peer Support Group")
    assert "spammy" not in start.text and start.text.startswith("Creating a peer support group")


def test_nothing_is_lost_after_a_mid_document_comments_line(corpus_files) -> None:
    """A real article with "Comments" and "Related articles" lines in its middle keeps every word."""
    lines = read_text(corpus_files[4]).splitlines()
    middle = len(lines) // 2
    text = "\n".join(
        [*lines[:middle], "Comments", *lines[middle : middle + 10], "Related articles", *lines[middle + 10 :]]
    )
    full = _indexed_words(sections_of_text(text, "d.txt"))
    assert {"comments", "related", "articles"} <= full
    # what is not content: the writer's note, the comment form that ends the page, fragment tag names
    kept = [ln for ln in text.splitlines() if not is_writer_note(ln.strip()) and ln.strip() != "Leave a Reply"]
    missing = _words("\n".join(kept)) - full - {"li", "ul"}
    assert not missing, sorted(missing)[:20]


def test_a_bare_field_label_goes_only_with_its_comment_form() -> None:
    form = "Leave a Reply\nName *\nEmail\nWebsite\nPost Comment\n"
    assert [b.text for b in clean_text(f"Dosing\n{_REAL}{form}")] == ["Dosing", _REAL.strip()]
    middle = f"Contact\n{_REAL}Email\nWrite to the clinic at the address on your card.\nDosing\n{_REAL}"
    assert "Email" in [b.text for b in clean_text(middle)]


def test_addresses_in_angle_brackets_are_words_not_tags() -> None:
    text = (
        "Contact\n\nWrite to Jane Roe <jane@example.org> for access.\nBugs go to <bugs@example.org>.\n"
        "See <https://example.org/docs> too.\n"
    )
    body = " ".join(s.text for s in sections_of_text(text, "mail.txt"))
    for kept in ("<jane@example.org>", "<bugs@example.org>", "<https://example.org/docs>"):
        assert kept in body, body
    assert "<b>" not in " ".join(s.text for s in sections_of_text("Tags\n\nA <b>bold</b> word.\n", "b.txt"))


@pytest.mark.parametrize("name", ["u.txt", "u.text"])
def test_python_dunders_are_not_emphasis(name: str) -> None:
    text = "Setup\n\nEdit __init__.py and run python -m pkg.__main__ when __name__ == '__main__'.\n"
    body = " ".join(s.text for s in sections_of_text(text, name))
    assert "__init__.py" in body and "pkg.__main__" in body and "__name__ == '__main__'" in body, body
    emphasis = " ".join(
        s.text for s in sections_of_text("Notes\n\nThis is **very** important and __so is this__.\n", name)
    )
    assert "very important" in emphasis and "so is this" in emphasis and "*" not in emphasis and "__" not in emphasis


def test_a_trailing_teaser_list_goes_with_question_titles_too() -> None:
    text = (
        "Opioid Detox\n\nDetox is the first step of treatment. A team manages withdrawal.\n\n"
        "Related Articles\n\nHow Long Does Withdrawal Last?\n\nWithdrawal symptoms usually peak at...\n\nRead More\n"
    )
    sections = sections_of_text(text, "r1.txt")
    every = " ".join(" ".join([*s.heading_path, s.text]) for s in sections)
    assert "first step of treatment" in every and "A team manages withdrawal." in every
    assert "Related" not in every and "How Long" not in every and "peak at" not in every
    kept = (
        "Opioid Detox\n\nDetox comes first.\n\nComments\n\nDoes it hurt?\n\nIt can, and the team eases it with care.\n"
    )
    assert "eases it with care" in " ".join(s.text for s in sections_of_text(kept, "c.txt"))


def test_a_bullet_after_text_on_its_line_starts_an_item() -> None:
    text = (
        "Dialectical Behavior Therapy\n\nDBT teaches four skills.\n"
        "Core Skills\u2022\tMindfulness: being present without judgment\n"
        "\u2022\tDistress tolerance: getting through a crisis\n"
    )
    sections = sections_of_text(text, "dbt.txt")
    skills = next(s for s in sections if s.heading == "Core Skills")
    assert skills.text.splitlines() == [
        "- Mindfulness: being present without judgment",
        "- Distress tolerance: getting through a crisis",
    ]
    assert skills.line_start == 4


def test_only_a_heading_sized_line_over_a_rule_is_a_heading_and_wrapped_bullets_stay_in_their_paragraph() -> None:
    prose = "The first paragraph is long and it goes on for a while, with many words in it, a sentence of prose."
    blocks = clean_text(f"{prose}\n-----------\n\nShopping\n========\n\nRed and blue.\n")
    assert [(b.kind, b.text) for b in blocks][:2] == [("line", prose), ("heading", "Shopping")]
    wrapped = (
        "Some wrapped text goes on here and on, and the options are red \u2022 green \u2022 blue for\n"
        "the widget, which the reader picks from a list of them all, one by one, and\n"
        "so on until the end of the paragraph here.\n"
    )
    assert [b.kind for b in clean_text(wrapped)] == ["para"]


DETOX = """Skip to content
Home » Blog » What Happens During Opioid Detox?
We use cookies on our website to give you the most relevant experience. By clicking “Accept”, you consent.
Accept
What Happens During Opioid Detox?
Table of Contents
Stage 1: Evaluation
Stage 2: Stabilization
Stage 3: Transition
Opioid detox is the first step of treatment, not the whole of it. A medical team manages withdrawal safely.
Stage 1: Evaluation
Staff take a history, run a urine drug screen and check for other conditions such as hepatitis C.
Stage 2: Stabilization
Medications such as buprenorphine, methadone or clonidine ease symptoms. Nurses check vital signs.
Stage 3: Transition
Before discharge, the team plans ongoing care: outpatient counseling, medication, or a residential program.
Posted in Treatment | Tagged detox, opioids
"""


def test_a_scraped_page_without_blank_lines_loses_its_breadcrumb_banner_and_contents_list() -> None:
    sections = sections_of_text(DETOX, "detox.txt")
    assert sections[0].title == "What Happens During Opioid Detox?"
    every = "\n".join("\n".join([*s.heading_path, s.text]) for s in sections)
    for gone in ("Home »", "cookies", "Accept", "Table of Contents", "Posted in", "Tagged detox"):
        assert gone not in every, gone
    assert [s.heading for s in sections if s.heading.startswith("Stage")] == [
        "Stage 1: Evaluation",
        "Stage 2: Stabilization",
        "Stage 3: Transition",
    ]
    for kept in ("first step of treatment", "urine drug screen", "buprenorphine", "residential program"):
        assert kept in every, kept


def test_edge_lines_and_contents_lists_stay_where_they_are_content() -> None:
    policy = "Cookies\n\nThis website uses cookies, and this page says which ones.\nWe use cookies to count visits.\n"
    assert "count visits" in " ".join(s.text for s in sections_of_text(policy, "policy.txt"))
    text = "Guide\n\nContents\nSafety first\nDosing\nThe guide starts with safety and ends with dosing.\n"
    every = " ".join(" ".join([*s.heading_path, s.text]) for s in sections_of_text(text, "guide.txt"))
    assert "Safety first" in every and "Dosing" in every  # entries that recur nowhere are no contents list


MAIL = """From: Priya Shah <priya.shah@clinic.example.org>
To: Marcus Bell <marcus.bell@clinic.example.org>
Cc: Kim Ahn <kim.ahn@clinic.example.org>
Date: Tue, 4 Mar 2026 09:12:44 -0500
Subject: Re: Naloxone order for discharge kits

Hi Marcus,

The state program confirmed the order: 200 kits arrive on Friday.

Thanks,
Priya

--
Priya Shah, RN
Franklin County Recovery Clinic | 555-0199
"""


def test_an_email_keeps_its_headers_and_signature_as_text_under_its_subject() -> None:
    sections = sections_of_text(MAIL, "mail.txt")
    assert [s.heading for s in sections] == ["Re: Naloxone order for discharge kits"]
    text = sections[0].text
    for kept in ("To: Marcus Bell", "Cc: Kim Ahn", "Date: Tue, 4 Mar 2026", "200 kits", "Franklin County Recovery"):
        assert kept in text, kept
    assert "\\n--" not in text and "- -" not in text


def test_back_to_top_lines_go_from_text() -> None:
    text = "Guide\n\nStep one is here, and it is long enough.\nBack to top \u2191\nStep two follows with more words.\n"
    assert [s.text for s in sections_of_text(text, "g.txt")] == [
        "Step one is here, and it is long enough.\nStep two follows with more words."
    ]
