"""Query stage: Whoosh hits as :class:`Hit`s (the stored section, its score, tier and snippet)."""

from __future__ import annotations

from whoosh.query import MultiTerm, Query

from searcher.models import ALL_WORDS, Hit
from searcher.snippet import snippet
from searcher.stored import from_stored


def body_terms(query: Query, reader) -> set[str]:
    """The indexed forms (stems) the query looks for in the body, prefixes expanded."""
    terms = set()
    for leaf in query.leaves():
        if getattr(leaf, "fieldname", None) != "body":
            continue
        pairs = leaf.expanded_terms(reader) if isinstance(leaf, MultiTerm) else leaf.iter_all_terms()
        terms.update(t.decode("utf-8") if isinstance(t, bytes) else t for _, t in pairs)
    return terms


def to_hit(fields, score: float | None, stems: set[str] | None, tier: str = ALL_WORDS) -> Hit:
    """A stored record (a Whoosh hit's fields) as a hit; no snippet when ``stems`` is None."""
    section = from_stored(fields)
    return Hit(
        section=section,
        score=round(float(score or 0.0), 4),
        tier=tier,
        snippet=snippet(section.text, stems) if stems is not None else [],
    )


def collect(ranked: list[tuple], stems: set[str] | None, limit: int | None, per_doc: int | None) -> list[Hit]:
    """The first ``limit`` hits of (Whoosh hit, tier) pairs, at most ``per_doc`` from one document."""
    hits: list[Hit] = []
    seen: dict[str, int] = {}
    for hit, tier in ranked:
        doc = hit["doc"]
        if per_doc and seen.get(doc, 0) >= per_doc:
            continue
        seen[doc] = seen.get(doc, 0) + 1
        hits.append(to_hit(hit.fields(), hit.score, stems, tier))
        if limit is not None and len(hits) >= limit:
            break
    return hits
