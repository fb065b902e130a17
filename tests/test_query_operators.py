"""An explicit AND means every word; a therapy's full name alone still gets its some-words tier."""

from __future__ import annotations

import json

import pytest

from searcher.index import update_index


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    base = tmp_path_factory.mktemp("ops")
    docs = base / "m"
    docs.mkdir()
    (docs / "a.md").write_text("# Papers\n\nMedication-assisted therapies tackle the overdose epidemic.\n")
    (docs / "b.md").write_text("# Care\n\nTreatment works best with follow-up care.\n")
    (docs / "c.md").write_text("# Both\n\nMedication and care together.\n")
    update_index(base / "ix", [docs], workers=1)
    return base / "ix"


def hits(cli, ix, *query: str) -> list[tuple[str, str]]:
    result = cli("search", "--json", "--index", ix, *query)
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["hits"] else 1)
    return [(h["doc"], h["tier"]) for h in data["hits"]]


def test_an_explicit_and_requires_every_word(cli, ix) -> None:
    assert hits(cli, ix, "medication", "AND", "care") == [("c.md", "all words")]
    assert hits(cli, ix, "medication", "AND", "zebra") == []
    assert {d for d, _ in hits(cli, ix, "medication", "care")} == {"a.md", "b.md", "c.md"}  # implicit: tiers


def test_a_therapy_name_alone_has_a_some_words_tier(cli, ix) -> None:
    found = hits(cli, ix, "medication", "assisted", "treatment")
    assert found and {d for d, _ in found} >= {"a.md", "b.md"}
    assert all(t == "some words" for d, t in found if d == "b.md")
