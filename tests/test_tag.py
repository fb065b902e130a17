"""Tagging from the taxonomy data file."""

from __future__ import annotations

import pytest

from searcher.errors import UnknownTherapy
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
