"""nDCG@10 and recall@10 of a ranking against graded judgments, per query kind.

Used by the relevance test and runnable by hand to print the figures:

    python tests/relevance/scorer.py [--baseline] [--docs]

``--docs`` scores the documentation set (tests/data/docs, judged per page in
doc_judgments.json) instead of the shipped corpus.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

JUDGMENTS = Path(__file__).with_name("judgments.json")
DOC_JUDGMENTS = Path(__file__).with_name("doc_judgments.json")
DOCS = Path(__file__).resolve().parents[1] / "data" / "docs"
K = 10


def key(doc: str, heading: str | None) -> tuple[str, str]:
    """How a judged section and a hit are matched: doc name and normalised heading
    (a permalink sign and white space aside); a judgment per page has no heading."""
    if heading is None:
        return Path(doc).name, ""
    return Path(doc).name, re.sub(r"\s+", " ", heading.replace("¶", "")).strip().rstrip(":").lower()


def load(path: Path = JUDGMENTS) -> list[dict]:
    """The judged queries."""
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def _ranked(q: dict, hits: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Hits as judgment keys; for a judgment per page, each page once, at its best hit."""
    if q.get("level") == "doc":
        return list(dict.fromkeys(key(d, None) for d, _ in hits))
    return [key(d, h) for d, h in hits]


def ndcg(ranked: list[tuple[str, str]], grades: dict[tuple[str, str], int], k: int = K) -> float:
    """Normalised discounted cumulative gain at k (gain 2^grade - 1)."""
    dcg = sum((2 ** grades.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[tuple[str, str]], grades: dict[tuple[str, str], int], k: int = K) -> float:
    """Share of the judged-relevant sections found in the top k."""
    relevant = {r for r, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(run: Callable[[dict], Iterable[tuple[str, str]]], queries: list[dict] | None = None) -> dict:
    """Per-kind and overall mean nDCG@10 and recall@10 of ``run`` (query -> ranked (doc, heading))."""
    per_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for q in queries or load():
        grades = {key(r["doc"], r.get("heading")): r["grade"] for r in q["relevant"]}
        ranked = _ranked(q, run(q))
        per_kind[q["kind"]].append((ndcg(ranked, grades), recall(ranked, grades)))
    figures = {
        kind: {"ndcg": sum(n for n, _ in v) / len(v), "recall": sum(r for _, r in v) / len(v), "queries": len(v)}
        for kind, v in sorted(per_kind.items())
    }
    everything = [x for v in per_kind.values() for x in v]
    figures["all"] = {
        "ndcg": sum(n for n, _ in everything) / len(everything),
        "recall": sum(r for _, r in everything) / len(everything),
        "queries": len(everything),
    }
    return figures


def searcher_run(index_dir: Path) -> Callable[[dict], list[tuple[str, str]]]:
    """The real engine, with the query's filters."""
    from searcher.query import SearchRequest, search

    def run(q: dict) -> list[tuple[str, str]]:
        request = SearchRequest(
            q["query"], section=q.get("section"), therapies=[q["therapy"]] if q.get("therapy") else []
        )
        request.limit = K * 5 if q.get("level") == "doc" else K  # enough sections for K pages
        return [(h.section.doc, h.section.heading) for h in search(index_dir, request).hits]

    return run


def baseline_run(sections: list, workdir: Path) -> Callable[[dict], list[tuple[str, str]]]:
    """Plain Whoosh over the same sections: default analyzer and parser, body only, filters ignored."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    ix = index.create_in(str(workdir), Schema(doc=ID(stored=True), heading=ID(stored=True), body=TEXT))
    with ix.writer() as w:
        for s in sections:
            w.add_document(doc=s.doc, heading=s.heading, body=f"{s.heading}\n{s.text}")

    def run(q: dict) -> list[tuple[str, str]]:
        with ix.searcher() as searcher:
            parsed = QueryParser("body", ix.schema).parse(q["query"])
            limit = K * 5 if q.get("level") == "doc" else K
            return [(h["doc"], h["heading"]) for h in searcher.search(parsed, limit=limit)]

    return run


def table(figures: dict) -> str:
    """Figures as a small text table."""
    rows = [f"{'kind':<16}{'queries':>8}{'nDCG@10':>10}{'recall@10':>11}"]
    for kind, f in figures.items():
        rows.append(f"{kind:<16}{f['queries']:>8}{f['ndcg']:>10.3f}{f['recall']:>11.3f}")
    return "\n".join(rows)


if __name__ == "__main__":
    import tempfile

    from searcher.index import update_index
    from searcher.store import iter_sections

    root = Path(__file__).resolve().parents[2]
    docs = "--docs" in sys.argv
    queries = load(DOC_JUDGMENTS) if docs else load()
    with tempfile.TemporaryDirectory() as tmp:
        ix = Path(tmp) / "index"
        update_index(ix, [DOCS if docs else root / "corpus"], workers=1)
        print("searcher\n" + table(evaluate(searcher_run(ix), queries)))
        if "--baseline" in sys.argv:
            base = Path(tmp) / "baseline"
            base.mkdir()
            figures = evaluate(baseline_run(list(iter_sections(ix)), base), queries)
            print("\nplain Whoosh baseline\n" + table(figures))
