"""Stage 6, query: a person's words to ranked sections.

The pipeline, one module a stage: the typed words are signed and corrected
(:mod:`searcher.parse`, :mod:`searcher.correct`), widened to what the index
holds (:mod:`searcher.expand`), parsed, filtered (:mod:`searcher.filters`),
ranked in two tiers (:mod:`searcher.rank`), counted (:mod:`searcher.count`)
and made into hits (:mod:`searcher.hits`).

A section matches by its own heading path and text; the document title only
adds to the score of a section that matches.  Therapy acronyms and spellings
widen a query to the sections tagged with that therapy (weighted below the
typed word); a word the index has never seen is corrected against the
index's own vocabulary; sections holding every word rank before sections
holding only some.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from whoosh.qparser import AndGroup
from whoosh.query import NullQuery, Query

from searcher.correct import correct, unmatched
from searcher.count import total
from searcher.expand import expand_therapies, identifiers
from searcher.filters import build_filter
from searcher.format import is_current
from searcher.hits import body_terms, collect
from searcher.models import ALL_WORDS, SOME_WORDS, Hit, SearchRequest, SearchResult
from searcher.parse import drop_question_marks, only_exclusions, parse, phrases_as_words, says_and, signs
from searcher.rank import loosen, ranked, relax_common
from searcher.scoring import weighting
from searcher.store import open_index
from searcher.tag import Taxonomy, default_taxonomy

__all__ = ["ALL_WORDS", "SOME_WORDS", "Hit", "SearchRequest", "SearchResult", "run", "search", "weighting"]


def search(index_dir: Path, request: SearchRequest, taxonomy: Taxonomy | None = None) -> SearchResult:
    """Run one search over the index at ``index_dir``."""
    taxonomy = taxonomy or default_taxonomy()
    ix = open_index(index_dir)
    with ix.searcher(weighting=weighting()) as searcher:
        result = run(searcher, ix.schema, request, taxonomy)
    result.outdated = not is_current(ix.schema)
    return result


def prepare(text: str, schema, reader, taxonomy: Taxonomy) -> Query:
    """One query's words (signs already read) as the all-words Whoosh query."""
    return parse(expand_therapies(phrases_as_words(text), taxonomy), schema, AndGroup, reader)


@dataclass
class _Queries:
    """What a request runs as: the typed text, the two tiers' queries, the filter, and what to tell."""

    typed: str
    strict: Query
    loose: Query
    filt: Query | None
    suggestion: str | None
    unmatched: list[str]

    @property
    def explain(self) -> str:
        return str(self.strict) + (f"  FILTER {self.filt}" if self.filt is not None else "")


def queries_for(searcher, schema, request: SearchRequest, taxonomy: Taxonomy) -> _Queries:
    """Signs, corrections, identifiers, therapies and filters: the queries a request runs."""
    reader = searcher.reader()
    typed = " ".join(request.query.split())
    signed, required_text = signs(drop_question_marks(typed))
    corrected = correct(signed, reader, taxonomy)
    rewritten = identifiers(corrected, reader)
    strict = only_exclusions(prepare(rewritten, schema, reader, taxonomy))
    required = [
        prepare(identifiers(correct(w, reader, taxonomy), reader), schema, reader, taxonomy) for w in required_text
    ]
    every = says_and(signed)  # an explicit AND: no some-words tier, no word optional
    return _Queries(
        typed=typed,
        strict=strict if every else relax_common(strict, searcher, required),
        loose=strict if every else loosen(strict, required),
        filt=build_filter(request, searcher, taxonomy),
        suggestion=corrected if corrected != signed else None,
        unmatched=unmatched(rewritten, reader, taxonomy),
    )


def run(searcher, schema, request: SearchRequest, taxonomy: Taxonomy) -> SearchResult:
    """Search with an open Whoosh searcher (the benchmark keeps one open),
    opened with ``weighting=weighting()``."""
    p = queries_for(searcher, schema, request, taxonomy)
    if p.strict is NullQuery or p.filt is NullQuery:
        return SearchResult(p.typed, 0, p.suggestion, [], p.explain, unmatched=p.unmatched)
    limit = request.limit
    wanted = limit if not request.per_doc or limit is None else limit * 20 + 50
    pairs = ranked(searcher, p.strict, p.loose, p.filt, wanted)
    count, exact = total(searcher, p.loose, p.filt)
    stems = body_terms(p.strict, searcher.reader()) if request.snippets else None
    hits = collect(pairs, stems, limit, request.per_doc)
    return SearchResult(p.typed, count, p.suggestion, hits, p.explain, unmatched=p.unmatched, exact=exact)
