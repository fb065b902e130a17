"""JSON for programs: the documented shapes of ``searcher/data/schema.json`` (search)
and ``searcher/data/similar.schema.json`` (similar), the export's sections, and any report."""

from __future__ import annotations

import json

from searcher.models import Hit, SearchResult, Section, SimilarResult
from searcher.read import escape_bidi

JSON_VERSION = 1


def to_json(data: object, indent: int | None = None) -> str:
    """``data`` as JSON that keeps text as UTF-8 but spells out the bidirectional controls."""
    return escape_bidi(json.dumps(data, ensure_ascii=False, indent=indent))


def section_json(s: Section) -> dict:
    """The documented shape of one section (export's line, a hit's fields)."""
    return {
        "id": s.id,
        "doc": s.doc,
        "path": s.path,
        "root": s.root,
        "title": s.title,
        "heading": s.heading,
        "heading_path": s.heading_path,
        "kind": s.kind,
        "therapies": s.therapies,
        "line_start": s.line_start,
        "line_end": s.line_end,
        "anchor": s.anchor,
        "text": s.text,
    }


def hit_json(hit: Hit) -> dict:
    """One hit: its section, then tier, score, snippet and the snippet's highlighted spans."""
    snippet = "".join(t for t, _ in hit.snippet)
    spans, pos = [], 0
    for text, matched in hit.snippet:
        if matched:
            spans.append([pos, pos + len(text)])
        pos += len(text)
    shape = section_json(hit.section)
    text = shape.pop("text")
    return shape | {"tier": hit.tier, "score": hit.score, "snippet": snippet, "highlights": spans, "text": text}


def _head(result: SearchResult) -> dict:
    """What every result object starts with."""
    return {"version": JSON_VERSION, "query": result.query, "total": result.total}


def as_json(result: SearchResult) -> str:
    """One JSON object: version, query, total, suggestion, unmatched, explain and hits."""
    return to_json(
        _head(result)
        | {
            "total_exact": result.exact,
            "suggestion": result.suggestion,
            "unmatched": result.unmatched,
            "explain": result.explain,
            "hits": [hit_json(h) for h in result.hits],
        }
    )


def similar_json(result: SimilarResult) -> str:
    """The ``search --json`` object, each hit with ``similarity`` and ``near_duplicate``, and the ``source``."""
    hits = [hit_json(h) | {"similarity": h.similarity, "near_duplicate": h.near_duplicate} for h in result.hits]
    source = hit_json(result.source) if result.source else None
    return to_json(
        _head(result) | {"suggestion": result.suggestion, "explain": result.explain, "source": source, "hits": hits}
    )
