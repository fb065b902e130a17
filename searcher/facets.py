"""Figures read beside the store: how many sections and documents carry each therapy's tag."""

from __future__ import annotations

from pathlib import Path

from searcher.store import open_index
from searcher.tag import Taxonomy, default_taxonomy


def facets(index_dir: Path, taxonomy: Taxonomy | None = None) -> list[dict]:
    """Every therapy of the taxonomy with how many sections and documents carry its tag."""
    taxonomy = taxonomy or default_taxonomy()
    ix = open_index(index_dir)
    out = []
    with ix.searcher() as searcher:
        for t in taxonomy.therapies:
            sections = searcher.doc_frequency("therapies", t.id)
            docs = (
                {searcher.stored_fields(n)["doc"] for n in searcher.postings("therapies", t.id).all_ids()}
                if sections
                else set()
            )
            out.append(
                {
                    "id": t.id,
                    "name": t.name,
                    "acronyms": list(t.acronyms),
                    "aliases": list(t.aliases),
                    "sections": sections,
                    "documents": len(docs),
                }
            )
    return out
