"""How many sections a query matches, without scoring or visiting them one by one.

Whoosh counts by running the query's matcher, a Python call or more for each
matching id, for each posting list: 20-40 ms for a common word on the large
benchmark tier.  Here a query is counted as set algebra over its posting
lists (OR: union, AND: intersection, NOT: difference), each list read a
block (up to 128 ids) at a time.  Queries whose matches depend on positions
(phrases) or on other matchers are counted by their matcher, as before.
"""

from __future__ import annotations

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, MultiTerm, Not, NullQuery, Or, Query, Term

from searcher.whoosh_compat import block_ids

# Totals are exact while the posting lists to merge hold this many ids in all;
# past it they are estimated (and shown as "about").
COUNT_EXACT = 1_000


def count(searcher, query: Query, filt: Query | None = None) -> int:
    """The number of live (not deleted) documents matching ``query`` and ``filt``."""
    docs = doc_set(searcher, query)
    if filt is not None:
        docs &= doc_set(searcher, filt)
    return len(docs)


def doc_set(searcher, query: Query) -> set[int]:
    """The live documents ``query`` matches, as a set of document numbers."""
    reader = searcher.reader()
    if query is NullQuery:
        return set()
    if isinstance(query, Term):
        return posting_ids(reader, query.fieldname, query.text)
    if isinstance(query, Every) and not query.fieldname:
        return _live(reader)
    if isinstance(query, MultiTerm):
        out: set[int] = set()
        for fieldname, text in query.expanded_terms(reader):
            out |= posting_ids(reader, fieldname, text)
        return out
    if isinstance(query, Or):
        out = set()
        for sub in query.subqueries:
            out |= doc_set(searcher, sub)
        return out
    if isinstance(query, And):
        subs = sorted(query.subqueries, key=lambda q: isinstance(q, Not))
        out = _live(reader) if not subs or isinstance(subs[0], Not) else doc_set(searcher, subs.pop(0))
        for sub in subs:
            if not out:
                break
            if isinstance(sub, Not):
                out -= doc_set(searcher, sub.query)
            else:
                out &= doc_set(searcher, sub)
        return out
    if isinstance(query, AndNot):
        return doc_set(searcher, query.a) - doc_set(searcher, query.b)
    if isinstance(query, AndMaybe):
        return doc_set(searcher, query.a)
    if isinstance(query, Not):
        return _live(reader) - doc_set(searcher, query.query)
    return set(searcher.docs_for_query(query))


def _live(reader) -> set[int]:
    out: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        out.update(range(offset, offset + leaf.doc_count_all()))
        out -= {offset + d for d in leaf.deleted_docs_set or ()}
    return out


def posting_ids(reader, fieldname: str, text: str | bytes) -> set[int]:
    """The live documents holding one term, over every segment."""
    out: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        matcher = leaf.postings(fieldname, text)
        if isinstance(matcher, FilterMatcher):  # the segment's deleted documents, left out below
            matcher = matcher.child
        ids = block_ids(matcher)
        deleted = leaf.deleted_docs_set
        if offset:
            ids = [offset + i for i in ids]
        found = set(ids)
        if deleted:
            found -= {offset + d for d in deleted}
        out |= found
    return out


def total(searcher, query: Query, filt: Query | None) -> tuple[int, bool]:
    """How many sections match, and whether that is exact.

    Counted exactly, as set algebra over posting lists (:func:`count`),
    unless the query is an OR of terms whose lists hold more than COUNT_EXACT
    ids between them: reading those costs more than the search itself, so the
    total is estimated from the lists' lengths alone (:func:`estimate`).
    """
    terms = _or_terms(query)  # a prefix is counted exactly: its words are far from independent
    if terms is None or filt is not None:
        return count(searcher, query, filt), True
    lengths = [searcher.doc_frequency(t.fieldname, t.text) for t in terms]
    if sum(lengths) <= COUNT_EXACT:
        return count(searcher, query, filt), True
    return estimate(searcher, query), False


def estimate(searcher, query: Query) -> int:
    """The size of an OR of words, each word an OR over the fields.

    A word's sections are about its longest list over the fields (a word in
    a heading is nearly always in the text below it too); different words
    (a prefix's words too) are taken as independent: N * (1 - prod(1 - n_i / N)).
    """
    size = max(1, searcher.doc_count())
    reader = searcher.reader()
    words: dict[str, int] = {}  # a word's longest list over the fields
    for t in _or_terms(query, reader) or []:
        words[t.text] = max(words.get(t.text, 0), searcher.doc_frequency(t.fieldname, t.text))
    missing = 1.0
    for longest in words.values():
        missing *= 1 - min(longest, size) / size
    return round(size * (1 - missing))


def _or_terms(query: Query, reader=None) -> list[Term] | None:
    """The terms of a query made of ORs of terms only (with ``reader``, prefixes
    and wildcards count as the OR of the words they stand for), else None."""
    if isinstance(query, Term):
        return [query]
    if isinstance(query, MultiTerm) and reader is not None:
        return [Term(f, t.decode("utf-8") if isinstance(t, bytes) else t) for f, t in query.expanded_terms(reader)]
    if isinstance(query, Or):
        terms: list[Term] = []
        for sub in query.subqueries:
            found = _or_terms(sub, reader)
            if found is None:
                return None
            terms += found
        return terms
    return None
