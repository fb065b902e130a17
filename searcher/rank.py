"""Query stage: the ranking in two tiers, and the document title's share of the score.

Sections holding every word of the query rank first ("all words"); when
they are fewer than asked for, sections holding only some follow ("some
words").  The title lifts a matching section but never matches alone.
"""

from __future__ import annotations

from whoosh.query import And, AndMaybe, AndNot, Not, Or, Query, Term

from searcher.models import ALL_WORDS, SOME_WORDS
from searcher.schema import TITLE_BOOST
from searcher.whoosh_compat import union_matchers

LIFT_POOL = 20  # candidates beyond twice the hits wanted that the title may lift


def loosen(query: Query, required: list[Query] | None = None) -> Query:
    """The "some of the words" form of an all-words query.

    NOT clauses and ``+word`` clauses stay required; the other words are OR-ed.
    A therapy's name typed alone (its words OR its tag) loosens its words.
    """
    if isinstance(query, Or) and any(isinstance(q, And) for q in query.subqueries):
        loose = [loosen(q, required) for q in query.subqueries]
        return query if loose == list(query.subqueries) else Or(loose, boost=query.boost)
    if not isinstance(query, And):
        return query
    required = required or []
    positive = [q for q in query.subqueries if not isinstance(q, Not)]
    negative = [q.query for q in query.subqueries if isinstance(q, Not)]
    must = [q for q in positive if q in required]
    may = [q for q in positive if q not in required]
    if len(may) < 2:
        return query
    loose: Query = Or(may, scale=0.9)
    if must:
        loose = AndMaybe(And(must), loose)
    return AndNot(loose, Or(negative)) if negative else loose


# A word in more than this share of the sections (and no fewer than COMMON_MIN of
# them) does not have to be in a section of the all-words tier: the common-terms
# idea of Lucene and Elasticsearch.  It still scores where it is.
COMMON_SHARE = 0.5
COMMON_MIN = 20


def _frequency(clause: Query, searcher) -> int:
    """Sections holding a one-word clause (its longest list over the fields); 0 for anything else."""
    terms = [clause] if isinstance(clause, Term) else clause.subqueries if isinstance(clause, Or) else []
    if not terms or not all(isinstance(t, Term) for t in terms):
        return 0
    return max(searcher.doc_frequency(t.fieldname, t.text) for t in terms)


def relax_common(query: Query, searcher, required: list[Query] | None = None) -> Query:
    """The all-words query with its common words optional, when rarer words remain required."""
    if not isinstance(query, And):
        return query
    cutoff = max(COMMON_MIN, COMMON_SHARE * searcher.doc_count())
    required = required or []
    positive = [q for q in query.subqueries if not isinstance(q, Not)]
    negative = [q.query for q in query.subqueries if isinstance(q, Not)]
    common = [q for q in positive if q not in required and _frequency(q, searcher) > cutoff]
    rare = [q for q in positive if q not in common]
    if not common or not rare:
        return query
    relaxed: Query = AndMaybe(rare[0] if len(rare) == 1 else And(rare), Or(common))
    return AndNot(relaxed, Or(negative)) if negative else relaxed


def _negated(query: Query, leaf: Query) -> bool:
    def walk(q: Query, inside: bool) -> bool:
        if q is leaf:
            return inside
        if q.is_leaf():
            return False
        return any(walk(c, inside or isinstance(q, Not)) for c in q.children())

    return walk(query, False)


def title_words(query: Query) -> list[str]:
    """The query's words (as the body field holds them) outside NOT clauses."""
    return sorted(
        {
            leaf.text
            for leaf in query.leaves()
            if isinstance(leaf, Term) and leaf.fieldname == "body" and not _negated(query, leaf)
        }
    )


def lift(searcher, hits: list, words: list[str], keep: int | None) -> list:
    """Hits re-ranked with the document title's share of the score.

    Each query word in the title adds its inverse document frequency in
    titles (times TITLE_BOOST) to the hit's score.  Done over the first
    candidates rather than inside the matcher: an extra matcher per query
    (Whoosh's AndMaybe) cost a third of the search time.
    """
    if not words or not hits:
        return hits[:keep] if keep is not None else hits
    order = sorted(range(len(hits)), key=lambda i: hits[i].docnum)
    bonus = [0.0] * len(hits)
    for w in words:
        if not searcher.doc_frequency("title", w):
            continue
        weight = TITLE_BOOST * searcher.idf("title", w)
        matcher = searcher.postings("title", w)
        for i in order:
            d = hits[i].docnum
            if not matcher.is_active():
                break
            matcher.skip_to(d)
            if matcher.is_active() and matcher.id() == d:
                bonus[i] += weight
    for hit, extra in zip(hits, bonus, strict=True):
        hit.score = (hit.score or 0.0) + extra
    ranked = sorted(hits, key=lambda h: -h.score)
    return ranked[:keep] if keep is not None else ranked


def top(results) -> list:
    """The scored hits of a Whoosh result; ``list(results)`` would count every match first."""
    return [results[i] for i in range(results.scored_length())]


def ranked(searcher, strict: Query, loose: Query, filt: Query | None, wanted: int | None) -> list[tuple]:
    """(Whoosh hit, tier) pairs, best first: the all-words tier, then the some-words tier.

    ``wanted`` is how many are needed (None: every match).  A few more
    candidates than wanted are scored so that the title can lift one in.
    """
    title = title_words(strict)
    pool = None if wanted is None else (wanted + LIFT_POOL if title else wanted)
    first = searcher.search(union_matchers(strict), filter=filt, limit=pool)
    out = [(hit, ALL_WORDS) for hit in lift(searcher, top(first), title, wanted)]
    if strict != loose and (wanted is None or len(out) < wanted):
        more = None if pool is None else pool + len(out)
        second = searcher.search(union_matchers(loose), filter=filt, limit=more)
        seen = {hit.docnum for hit, _ in out}
        rest = lift(searcher, [hit for hit in top(second) if hit.docnum not in seen], title, None)
        out += [(hit, SOME_WORDS) for hit in (rest if wanted is None else rest[: wanted - len(out)])]
    return out
