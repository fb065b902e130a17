"""Ranking quality on judged queries: fails when a change makes it worse.

The floors sit just under what the engine reaches now; raise them when the
ranking improves.  `python tests/relevance/scorer.py --baseline` prints the
figures beside a plain Whoosh baseline.
"""

from __future__ import annotations

import pytest

from tests.relevance.scorer import evaluate, load, searcher_run, table

FLOORS = {  # kind: (nDCG@10, recall@10)
    "acronym": (0.93, 0.78),
    "keyword": (0.90, 0.71),
    "keywords": (0.83, 0.64),
    "misspelling": (0.87, 0.67),
    "phrase": (0.85, 0.87),
    "question": (0.66, 0.50),
    "section_filter": (0.82, 0.79),
    "therapy_filter": (0.89, 0.75),
    "all": (0.84, 0.71),
}


@pytest.fixture(scope="module")
def figures(corpus_index) -> dict:
    return evaluate(searcher_run(corpus_index))


def test_judgments_cover_every_kind_with_enough_queries() -> None:
    queries = load()
    assert len(queries) >= 30
    kinds = {q["kind"] for q in queries}
    assert kinds == set(FLOORS) - {"all"}
    assert all(sum(q["kind"] == k for q in queries) >= 4 for k in kinds)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_ranking_stays_above_its_floor(figures: dict, kind: str) -> None:
    ndcg_floor, recall_floor = FLOORS[kind]
    got = figures[kind]
    assert got["ndcg"] >= ndcg_floor and got["recall"] >= recall_floor, "\n" + table(figures)
