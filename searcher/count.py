"""How many sections a query matches, without scoring or visiting them one by one.

Whoosh counts by running the query's matcher, a Python call or more for each
matching id, for each posting list: 20-40 ms for a common word on the large
benchmark tier.  Here a query is counted as set algebra over its posting
lists (OR: union, AND: intersection, NOT: difference), each list read a
block (up to 128 ids) at a time.  Queries whose matches depend on positions
(phrases) or on other matchers are counted by their matcher, as before.
"""

from __future__ import annotations

from itertools import accumulate

from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, MultiTerm, Not, NullQuery, Or, Query, Term


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
        ids = _block_ids(matcher)
        deleted = leaf.deleted_docs_set
        if offset:
            ids = [offset + i for i in ids]
        found = set(ids)
        if deleted:
            found -= {offset + d for d in deleted}
        out |= found
    return out


def _block_ids(matcher) -> list[int]:
    """Every id of a posting list, a block at a time where the matcher keeps blocks."""
    if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block")):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is not None:
            block = matcher._ids
        else:  # Whoosh decodes the deltas in a Python generator; accumulate does it in C
            if matcher._data is None:
                matcher._read_data()
            block = matcher._data[0] if matcher._byteids else list(accumulate(matcher._data[0]))
        ids.extend(block[matcher._i :] if matcher._i else block)
        matcher._next_block()
    return ids
