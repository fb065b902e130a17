"""Segmenting the real corpus: headings, FAQ, glued headings, source lines, stable ids."""

from __future__ import annotations

import re

import pytest

from searcher.clean import clean_text
from searcher.ingest import sections_of_text
from searcher.read import read_text
from searcher.segment import segment


@pytest.fixture(scope="module")
def corpus_sections(corpus_files):
    return {p.name: (p, sections_of_text(read_text(p), p.name)) for p in corpus_files}


def headings(sections) -> list[str]:
    return [s.heading for s in sections]


def test_glued_headings_become_their_own_sections(corpus_sections) -> None:
    _, sections = corpus_sections["004_e6f13caa068bccf9.txt"]
    names = headings(sections)
    assert "The Role of Professional Treatment" in names
    assert "Identifying the Role of Family and Friends" in names
    before = sections[names.index("The Role of Professional Treatment") - 1]
    assert before.text.rstrip().endswith("these boundaries")
    assert not any("boundariesThe" in s.text or "addiction.Identifying" in s.text for s in sections)


def test_faq_questions_are_faq_sections(corpus_sections) -> None:
    _, sections = corpus_sections["000_fd7004bbd8f47188.txt"]
    faq = [s for s in sections if s.kind == "faq"]
    assert "What is Narrative Therapy?" in headings(faq)
    assert len(faq) == 10
    what_is = next(s for s in faq if s.heading == "What is Narrative Therapy?")
    assert what_is.text.startswith("Narrative therapy is a type of psychotherapy")


def test_list_sections_are_kind_list_and_keep_depth(corpus_sections) -> None:
    _, sections = corpus_sections["000_fd7004bbd8f47188.txt"]
    challenges = next(s for s in sections if s.heading == "Challenges to Implementing Narrative Therapy")
    assert "- Financial barriers:\n  - Specialized sessions" in challenges.text


def test_line_numbers_point_at_the_source(corpus_sections) -> None:
    for name, (path, sections) in corpus_sections.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        end = 1
        for s in sections:
            assert end <= s.line_start <= s.line_end <= len(lines), (name, s.heading)  # in order, no overlap
            end = s.line_end  # a glued heading starts on the line where the text before it ends
            source_line = lines[s.line_start - 1]
            assert s.heading in source_line, (name, s.line_start, s.heading, source_line)
            last_words = re.findall(r"\w+", s.text.splitlines()[-1])[-3:]
            tail = " ".join(lines[s.line_start - 1 : s.line_end])
            assert all(w in tail for w in last_words), (name, s.heading, last_words)


def test_text_before_the_first_heading_is_a_section() -> None:
    sections = segment(clean_text("An opening paragraph without a heading.\nA Heading\nBody under it.\n"), "d.txt")
    assert sections[0].text == "An opening paragraph without a heading."
    assert sections[1].heading == "A Heading"


def test_ids_are_stable_and_unique(corpus_sections) -> None:
    for name, (path, sections) in corpus_sections.items():
        again = sections_of_text(read_text(path), name)
        assert [s.id for s in sections] == [s.id for s in again]
        assert len({s.id for s in sections}) == len(sections)


def test_heading_paths_nest_under_parent_headings(corpus_sections) -> None:
    _, sections = corpus_sections["003_821f7c9719592189.txt"]
    recap = next(s for s in sections if s.heading == "Recap of Key Strategies")
    assert recap.heading_path == ["Conclusion", "Recap of Key Strategies"]
    assert recap.title == "Heroin Dependency: Strategies for Sobriety"


def test_boilerplate_teasers_do_not_become_sections(corpus_sections) -> None:
    for _, sections in corpus_sections.values():
        for s in sections:
            assert not re.search(r"Lessons To Learn|Leave a Reply|Related Posts", s.heading + s.text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("h.md", "# Shopping\n\n## Monday\n\n## Tuesday\n\n- milk\n"),
        ("h.html", "<html><body><h1>Shopping</h1><h2>Monday</h2><h2>Tuesday</h2><p>milk and eggs</p></body></html>"),
        ("h.txt", "Shopping\n========\n\nMonday\n------\n\nTuesday\n-------\n\nmilk and eggs for the week.\n"),
    ],
)
def test_a_heading_with_nothing_under_it_is_a_section_of_its_own(name: str, text: str) -> None:
    sections = sections_of_text(text, name)
    paths = [s.heading_path for s in sections]
    assert ["Shopping", "Monday"] in paths and ["Shopping", "Tuesday"] in paths, paths
    monday = next(s for s in sections if s.heading == "Monday")
    assert monday.text == "" and "milk" in next(s for s in sections if s.heading == "Tuesday").text


def test_a_document_of_one_heading_is_one_section() -> None:
    assert [(s.heading, s.text) for s in sections_of_text("# TODO\n", "todo.md")] == [("TODO", "")]


def test_a_speakers_turn_is_no_heading() -> None:
    text = (
        "Recovery Talk\n\nHOST (Dana): Welcome back to the show.\nDR. ORTEGA: Thanks for having me.\n"
        "HOST (Dana): And what about people who do not want medication?\n"
        "DR. ORTEGA: Then contingency management and CBT groups help.\n"
    )
    sections = sections_of_text(text, "talk.txt")
    assert [s.heading for s in sections] == ["Recovery Talk"] and sections[0].kind == "body"
    assert "HOST (Dana): And what about people" in sections[0].text
    kept = sections_of_text("Plan\n\nStage 1: Evaluation\nStaff take a history first, then a drug screen.\n", "p.txt")
    assert "Stage 1: Evaluation" in [s.heading for s in kept]
