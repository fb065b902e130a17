"""Tagging from the taxonomy data file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searcher.errors import UnknownTherapy
from searcher.ingest import sections_of_text
from searcher.read import read_text
from searcher.tag import default_taxonomy


@pytest.fixture(scope="module")
def taxonomy():
    return default_taxonomy()


def test_acronyms_match_case_sensitively_as_words(taxonomy) -> None:
    assert "motivational-interviewing" in taxonomy.tag("MI is a counseling style.")
    assert "motivational-interviewing" not in taxonomy.tag("In the mid stage, mi amigo helps.")
    assert "cbt" in taxonomy.tag("Therapists use CBT daily.")
    assert "cbt" not in taxonomy.tag("Therapists use cbt-ish tricks.")


def test_spellings_match_in_any_case_with_space_or_hyphen(taxonomy) -> None:
    for text in ("cognitive-behavioral therapy", "Cognitive Behavioral Therapy", "cognitive behavioural therapy"):
        assert "cbt" in taxonomy.tag(text), text
    assert "mat" in taxonomy.tag("Medication-assisted treatment combines medicine and counseling.")


def test_every_therapy_has_a_name_and_unique_id(taxonomy) -> None:
    ids = [t.id for t in taxonomy.therapies]
    assert len(ids) == len(set(ids)) >= 20
    assert all(t.name for t in taxonomy.therapies)


@pytest.mark.parametrize(
    ("name", "tid"),
    [("cbt", "cbt"), ("CBT", "cbt"), ("motivational interviewing", "motivational-interviewing"), ("MAT", "mat")],
)
def test_resolve_names_aliases_and_acronyms(taxonomy, name: str, tid: str) -> None:
    assert taxonomy.resolve(name) == tid


def test_unknown_therapy_lists_the_known_ones(taxonomy) -> None:
    with pytest.raises(UnknownTherapy, match=r"known: .*cbt"):
        taxonomy.resolve("astrology")


def test_one_word_names_match_in_the_plural(taxonomy) -> None:
    assert "methadone" in taxonomy.tag("Clinics dispense methadones daily.")


def test_unknown_therapy_suggests_the_closest_name(taxonomy) -> None:
    with pytest.raises(UnknownTherapy, match="did you mean motivational-interviewing"):
        taxonomy.resolve("motivational interviw")


DATA = Path(__file__).parent / "data" / "tag"
SHORT = {"narcotics-anonymous", "motivational-interviewing", "met", "contingency-management", "act"}


@pytest.mark.parametrize(
    "name", ["pandas.DataFrame.isna.txt", "postgresql-functions-formatting.txt", "postgresql-rules-update.txt"]
)
def test_short_acronyms_of_other_fields_do_not_tag(name: str, taxonomy) -> None:
    path = DATA / name
    text = read_text(path)
    assert re.search(r"\b(?:NA|MI|MET)\b", text)  # the acronym is there...
    sections = sections_of_text(text, name)
    assert not [s.heading for s in sections if s.therapies], "...and names no therapy"
    everywhere = [taxonomy.tag(s.heading + "\n" + s.text) for s in sections]
    assert SHORT & {t for tags in everywhere for t in tags}  # tagged section by section, it would


def test_the_corpus_acronyms_still_tag(corpus_files) -> None:
    tagged = {t for p in corpus_files for s in sections_of_text(read_text(p), p.name) for t in s.therapies}
    assert {"cbt", "mat", "dbt", "motivational-interviewing", "narcotics-anonymous", "contingency-management"} <= tagged


def test_a_short_acronym_tags_beside_a_word_of_treatment(taxonomy) -> None:
    assert taxonomy.tag_document(["She goes to NA meetings twice a week."]) == [["narcotics-anonymous"]]
    assert taxonomy.tag_document(["Missing NA values are dropped."]) == [[]]
    assert taxonomy.tag_document(["Missing NA values are dropped.", "Narcotics Anonymous helps."]) == [
        ["narcotics-anonymous"],
        ["narcotics-anonymous"],
    ]
    assert taxonomy.tag_document(["MI helps when a client is unsure.", "The clinic offers methadone."]) == [
        ["motivational-interviewing"],
        ["methadone"],
    ]


def test_long_acronyms_and_spellings_tag_anywhere(taxonomy) -> None:
    assert taxonomy.tag_document(["Take-home doses under MOUD.", "Cognitive behavioral therapy works."]) == [
        ["mat"],
        ["cbt"],
    ]


def test_a_therapy_that_stands_over_others_filters_to_them_too(cli, corpus_index) -> None:
    import json

    mat = json.loads(cli("search", "--json", "-n", "500", "--index", corpus_index, "--therapy", "MAT").stdout)
    tags = [set(h["therapies"]) for h in mat["hits"]]
    assert any("mat" in t for t in tags) and any("methadone" in t and "mat" not in t for t in tags)
    assert all(t & {"mat", "methadone", "buprenorphine", "naltrexone"} for t in tags)
    alone = json.loads(cli("search", "--json", "-n", "500", "--index", corpus_index, "--therapy", "methadone").stdout)
    assert all("methadone" in h["therapies"] for h in alone["hits"])  # a part does not reach the whole


def test_naloxone_is_its_own_therapy_and_no_typo_of_naltrexone() -> None:
    taxonomy = default_taxonomy()
    assert taxonomy.resolve("naloxone") == taxonomy.resolve("Narcan") == "naloxone"
    assert taxonomy.tag("Keep a Narcan kit at home; naloxone reverses an overdose.") == ["naloxone"]
