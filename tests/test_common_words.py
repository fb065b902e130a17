"""Words in most sections do not have to be in an all-words hit (Lucene's common terms), where rarer words remain."""

from __future__ import annotations

import pytest

from searcher.index import update_index
from searcher.models import ALL_WORDS, SOME_WORDS
from searcher.query import SearchRequest, search


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    base = tmp_path_factory.mktemp("common")
    docs = base / "docs"
    docs.mkdir()
    for i in range(30):  # "opioid" is in every one of these sections
        (docs / f"n{i:02d}.txt").write_text(f"Note {i}\n\nAbout opioid use, part {i}, and zebra{i}.\n")
    (docs / "causes.txt").write_text("Causes\n\nWhat causes it: genes and surroundings.\n")
    (docs / "both.txt").write_text("Causes of opioid use\n\nWhat causes opioid use.\n")
    update_index(base / "ix", [docs], workers=1)
    return base / "ix"


def tiers(index, query: str) -> dict[str, str]:
    return {h.section.doc: h.tier for h in search(index, SearchRequest(query, limit=50)).hits}


def test_a_rare_word_with_a_common_one_needs_only_the_rare_one(index) -> None:
    found = tiers(index, "causes opioid")
    assert found["both.txt"] == ALL_WORDS and found["causes.txt"] == ALL_WORDS
    ranked = [h.section.doc for h in search(index, SearchRequest("causes opioid", limit=3)).hits]
    assert ranked[0] == "both.txt"  # holding the common word too still ranks first
    assert not any(doc.startswith("n") for doc, tier in found.items() if tier == ALL_WORDS)


def test_common_words_alone_or_required_stay_required(index) -> None:
    alone = tiers(index, "opioid use")
    assert "causes.txt" not in alone and all(t == ALL_WORDS for t in alone.values())
    required = tiers(index, "causes +opioid")
    assert required["both.txt"] == ALL_WORDS and "causes.txt" not in required
    rare_only = tiers(index, "causes zebra7")
    assert rare_only["n07.txt"] == SOME_WORDS and rare_only["both.txt"] == SOME_WORDS
