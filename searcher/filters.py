"""Query stage: the filters (section heading, therapy, kind, document) as one Whoosh filter query.

Filters are applied before ranking, not to a truncated top-N.
"""

from __future__ import annotations

from whoosh.query import And, NullQuery, Or, Query, Term

from searcher.models import SearchRequest
from searcher.schema import STEMMED
from searcher.tag import Taxonomy
from searcher.whoosh_compat import union_matchers


def build_filter(request: SearchRequest, searcher, taxonomy: Taxonomy) -> Query | None:
    """The filter of ``request`` (None: no filter; NullQuery: nothing can match)."""
    parts: list[Query] = []
    if request.section:
        terms = [t.text for t in STEMMED(request.section, mode="query")]
        if terms:
            parts.append(And([Term("section", t) for t in terms]))
    if request.therapies:
        ids = sorted({i for name in request.therapies for i in taxonomy.family(taxonomy.resolve(name))})
        parts.append(Or([Term("therapies", i) for i in ids]))
    if request.kinds:
        parts.append(Or([Term("kind", k) for k in request.kinds]))
    if request.doc_glob:
        parts.append(_documents(request.doc_glob, searcher))
    if not parts:
        return None
    return union_matchers(parts[0] if len(parts) == 1 else And(parts))


def _documents(glob: str, searcher) -> Query:
    """The files that ``--doc`` names, as an OR of their ``file`` terms."""
    from searcher.docmatch import matching, refs_from_terms

    files, roots = ([t.decode() if isinstance(t, bytes) else t for t in searcher.lexicon(f)] for f in ("file", "root"))
    wanted = [r.path for r in matching(glob, refs_from_terms(files, roots))]
    return Or([Term("file", f) for f in wanted]) if wanted else NullQuery
