"""Stage 6, query: a person's words to ranked sections.

The query language is Whoosh's (AND, OR, NOT, "phrases", prefix*, field:).
On top of it: therapy acronyms and spellings widen a query to the sections
tagged with that therapy (weighted below the typed word); a word the index
has never seen is corrected against the index's own vocabulary; sections
holding every word rank before sections holding only some.  Filters are
Whoosh filter queries, applied before ranking, not to a truncated top-N.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.query import And, AndNot, Every, MultiTerm, Not, NullQuery, Or, Prefix, Query, Term
from whoosh.scoring import BM25F

from searcher.schema import FIELD_BOOSTS, SEARCH_FIELDS, STEMMED, STOP
from searcher.snippet import snippet
from searcher.store import open_index
from searcher.tag import NAME_WORD, Taxonomy, default_taxonomy

# Whoosh picks a "preloaded array" matcher for an OR on a small index; it costs
# ~2 ms to set up per OR, and every word of a query is an OR over the fields.
Or.matcher_type = Or.DEFAULT_MATCHER
EXPANSION_BOOST = 0.3
MAX_EXPANSIONS = 64
_PREFIX = re.compile(r"(?<![\w*?])([^\W_]+)\*(?![\w*?])")
_WORD = re.compile(r"(?<![\w:*?~^])([A-Za-z][A-Za-z'’-]*[A-Za-z])(?![\w:*?~(])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
# A "?" that ends a word ends a question; a wildcard "?" stands inside a word ("colo?r").
_QUESTION_MARK = re.compile(r"(?<=\w)\?+(?=[\s\"')]|$)")
_SYNTAX = re.compile(r"[\"'()\[\]{}:^~*?+\-!\\/<>=&|]")


@dataclass
class SearchRequest:
    """What to look for, and where."""

    query: str
    section: str | None = None
    therapies: list[str] = field(default_factory=list)
    doc_glob: str | None = None
    limit: int = 10
    per_doc: int | None = None


@dataclass
class Hit:
    """One ranked section, with a snippet made of (text, is_match) parts."""

    doc: str
    title: str
    heading: str
    heading_path: list[str]
    kind: str
    therapies: list[str]
    line_start: int
    line_end: int
    score: float
    snippet: list[tuple[str, bool]]
    text: str
    id: str = ""
    path: str = ""  # the file's absolute path when it was indexed
    root: str = ""  # the indexed folder that ``doc`` is relative to
    anchor: str = ""


@dataclass
class SearchResult:
    """The hits of one search, the number of matching sections, and what ran."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    explain: str


def expand_therapies(text: str, taxonomy: Taxonomy) -> str:
    """Widen each therapy named in the query to the sections tagged with it.

    "CBT" becomes ``(CBT OR therapies:cbt^0.3)``: the typed word keeps its
    weight, the tag adds the sections that spell the therapy out.  Words in
    quotes, after a ``field:`` or before a wildcard are left as typed.
    """
    spelled, exact, longest = taxonomy.query_names
    outside = _outside_quotes(text)
    words = [
        m
        for m in NAME_WORD.finditer(text)
        if outside(m.start())
        and text[m.start() - 1 : m.start()] not in (":", "*", "?")
        and text[m.end() : m.end() + 1] not in (":", "*", "?", "~")
    ]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            run = words[i : i + n]
            if any(text[a.end() : b.start()].strip(" -") for a, b in pairwise(run)):
                continue
            key = tuple(w.group().lower() for w in run)
            tid = (
                spelled.get(key) or spelled.get((*key[:-1], key[-1][:-1]))
                if key[-1].endswith("s")
                else spelled.get(key)
            )
            if n == 1 and not tid:
                tid = exact.get(run[0].group()) or exact.get(run[0].group().removesuffix("s"))
            if tid:
                spans.append((run[0].start(), run[-1].end(), tid))
                i += n
                break
        else:
            i += 1
    for start, end, tid in reversed(spans):
        typed = text[start:end]
        typed = f"({typed})" if " " in typed else typed  # the words stay together, AND-ed
        text = f"{text[:start]}({typed} OR therapies:{tid}^{EXPANSION_BOOST}){text[end:]}"
    return text


def _outside_quotes(text: str):
    inside, quoted = False, []
    for ch in text:
        if ch == '"':
            inside = not inside
        quoted.append(inside)
    return lambda i: not quoted[i]


def _parser(schema, group) -> MultifieldParser:
    return MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=group)


def plain_words(text: str) -> str:
    """The query with every bit of syntax turned into space: the fallback."""
    words = _SYNTAX.sub(" ", text).split()
    return " ".join(w for w in words if w.upper() not in _OPERATORS)


def _safe_parse(parser: MultifieldParser, text: str) -> Query:
    try:
        q = parser.parse(text)
    except Exception:  # Whoosh's parser has crashed on odd operator runs
        q = parser.parse(plain_words(text))
    return q


def _typed_prefixes(text: str) -> dict[str, str]:
    """Stem -> prefix as typed, for each ``word*`` in the query."""
    typed = {}
    for word in _PREFIX.findall(text):
        for token in STEMMED(word):
            typed[token.text] = word.lower()
    return typed


def _tame_wildcards(query: Query, typed: dict[str, str], reader) -> Query:
    """Prefixes as typed ("pars*" is not "par*"), and at most MAX_EXPANSIONS words each.

    The parser stems a prefix like a word, which widens it; and a short
    prefix can stand for thousands of words, each a posting list to merge.
    The most frequent words keep the query fast and its hits the likely ones.
    """
    if isinstance(query, MultiTerm):
        if isinstance(query, Prefix) and query.text in typed:
            query = Prefix(query.fieldname, typed[query.text], boost=query.boost)
        words = [t.decode("utf-8") if isinstance(t, bytes) else t for _, t in query.expanded_terms(reader)]
        if len(words) <= MAX_EXPANSIONS:
            return query
        top = heapq.nlargest(MAX_EXPANSIONS, words, key=lambda w: reader.doc_frequency(query.fieldname, w))
        return Or([Term(query.fieldname, w, boost=query.boost) for w in top])
    return query.apply(lambda q: _tame_wildcards(q, typed, reader)) if not query.is_leaf() else query


def loosen(query: Query) -> Query:
    """The "most of the words" form of an all-words query; NOT clauses stay required."""
    if not isinstance(query, And):
        return query
    positive = [q for q in query.subqueries if not isinstance(q, Not)]
    negative = [q.query for q in query.subqueries if isinstance(q, Not)]
    if len(positive) < 2:
        return query
    loose: Query = Or(positive, scale=0.9)
    return AndNot(loose, Or(negative)) if negative else loose


def _vocabulary(reader, first_letter: str) -> list[str]:
    """The index's words that start with ``first_letter``: misspellings nearly
    always keep the first letter, so only those are candidates."""
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.expand_prefix("words", first_letter)]


def correct(text: str, reader, taxonomy: Taxonomy | None = None) -> str:
    """Replace words the index has never seen by the closest word it has.

    Only unknown words of five letters or more are touched, and only within
    one edit (two from nine letters on), so that a real word the corpus lacks
    is rarely "corrected" into another; the taxonomy's names are never typos.
    """
    out, last = [], 0
    for m in _WORD.finditer(text):
        word = m.group(1)
        low = word.lower()
        if word in _OPERATORS or low in STOP or len(low) < 5 or reader.doc_frequency("words", low):
            continue
        if taxonomy is not None and (low,) in taxonomy.query_names[0]:
            continue  # a therapy's own name or acronym is not a typo
        best = _closest(low, _vocabulary(reader, low[0]), reader)
        if best:
            out.append(text[last : m.start()] + best)
            last = m.end()
    return "".join(out) + text[last:]


def _closest(word: str, vocab: list[str], reader) -> str | None:
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    limit = 1 if len(word) <= 8 else 2
    # Candidates share the first letter, which also keeps a real word the
    # corpus lacks ("night") from turning into one it has ("right").
    found = extract(word, vocab, scorer=OSA.distance, score_cutoff=limit, limit=50)
    if not found:
        return None
    return min(found, key=lambda f: (f[1], -reader.doc_frequency("words", f[0]), f[0]))[0]


def _filter(request: SearchRequest, searcher, taxonomy: Taxonomy) -> Query | None:
    parts: list[Query] = []
    if request.section:
        terms = [t.text for t in STEMMED(request.section)]
        if terms:
            parts.append(And([Term("section", t) for t in terms]))
    if request.therapies:
        ids = sorted({taxonomy.resolve(name) for name in request.therapies})
        parts.append(Or([Term("therapies", i) for i in ids]))
    if request.doc_glob:
        from searcher.docmatch import matching, refs_from_terms

        terms = ([t.decode() if isinstance(t, bytes) else t for t in searcher.lexicon(f)] for f in ("file", "root"))
        files, roots = terms
        wanted = [r.path for r in matching(request.doc_glob, refs_from_terms(files, roots))]
        parts.append(Or([Term("file", f) for f in wanted]) if wanted else NullQuery)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def search(index_dir: Path, request: SearchRequest, taxonomy: Taxonomy | None = None) -> SearchResult:
    """Run one search over the index at ``index_dir``."""
    taxonomy = taxonomy or default_taxonomy()
    ix = open_index(index_dir)
    with ix.searcher(weighting=BM25F()) as searcher:
        return run(searcher, ix.schema, request, taxonomy)


def run(searcher, schema, request: SearchRequest, taxonomy: Taxonomy) -> SearchResult:
    """Search with an open Whoosh searcher (the benchmark keeps one open)."""
    typed = " ".join(request.query.split())
    asked = _QUESTION_MARK.sub("", typed)
    corrected = correct(asked, searcher.reader(), taxonomy)
    suggestion = corrected if corrected != asked else None
    expanded = expand_therapies(corrected, taxonomy)
    # Filters alone (no words) keep every section they allow.
    strict = _safe_parse(_parser(schema, AndGroup), expanded) if expanded.strip() else Every()
    strict = _tame_wildcards(strict, _typed_prefixes(expanded), searcher.reader())
    loose = loosen(strict)
    filt = _filter(request, searcher, taxonomy)
    explain = str(loose if strict == loose else strict) + (f"  FILTER {filt}" if filt is not None else "")
    if strict is NullQuery or filt is NullQuery:
        return SearchResult(typed, 0, suggestion, [], explain)

    wanted = request.limit if not request.per_doc else request.limit * 20 + 50
    first = searcher.search(strict, filter=filt, limit=wanted)
    ranked = _top(first)
    total = _count(searcher, loose, filt)
    if strict != loose and len(ranked) < wanted:  # then the rest of the most-words tier
        second = searcher.search(loose, filter=filt, limit=wanted + len(ranked))
        seen = {hit.docnum for hit in ranked}
        ranked += [hit for hit in _top(second) if hit.docnum not in seen][: wanted - len(ranked)]
    words = _body_terms(strict, searcher.reader())
    hits: list[Hit] = []
    per_doc: dict[str, int] = {}
    for hit in ranked:
        doc = hit["doc"]
        if request.per_doc and per_doc.get(doc, 0) >= request.per_doc:
            continue
        per_doc[doc] = per_doc.get(doc, 0) + 1
        hits.append(_hit(hit, words))
        if len(hits) >= request.limit:
            break
    return SearchResult(typed, total, suggestion, hits, explain)


def _top(results) -> list:
    """The scored hits of a Whoosh result; ``list(results)`` would count every match first."""
    return [results[i] for i in range(results.scored_length())]


def _count(searcher, query: Query, filt: Query | None) -> int:
    """How many sections match, without scoring them.

    An OR of plain terms (what most queries are) is counted as the union of
    its posting lists (which leave deleted records out); anything else by
    running its matcher.
    """
    terms = _or_terms(query)
    if terms is None:
        docs = set(searcher.docs_for_query(query))
    else:
        docs = set()
        for t in terms:
            if searcher.doc_frequency(t.fieldname, t.text):
                docs.update(searcher.postings(t.fieldname, t.text).all_ids())
    if filt is not None:
        docs &= set(searcher.docs_for_query(filt))
    return len(docs)


def _or_terms(query: Query) -> list[Term] | None:
    """The terms of a query made of ORs of terms only, else None."""
    if isinstance(query, Term):
        return [query]
    if isinstance(query, Or):
        terms: list[Term] = []
        for sub in query.subqueries:
            found = _or_terms(sub)
            if found is None:
                return None
            terms += found
        return terms
    return None


def _body_terms(query: Query, reader) -> set[str]:
    """The indexed forms (stems) the query looks for in the body, prefixes expanded."""
    terms = set()
    for leaf in query.leaves():
        if getattr(leaf, "fieldname", None) != "body":
            continue
        pairs = leaf.expanded_terms(reader) if isinstance(leaf, MultiTerm) else leaf.iter_all_terms()
        terms.update(t.decode("utf-8") if isinstance(t, bytes) else t for _, t in pairs)
    return terms


def _hit(hit, stems: set[str]) -> Hit:
    text = hit.get("body", "")
    return Hit(
        doc=hit["doc"],
        title=hit.get("title", ""),
        heading=hit.get("heading", ""),
        heading_path=list(hit.get("heading_path") or []),
        kind=hit.get("kind", "body"),
        therapies=[t for t in (hit.get("therapies") or "").split(",") if t],
        line_start=hit["line_start"],
        line_end=hit["line_end"],
        score=round(float(hit.score or 0.0), 4),
        snippet=snippet(text, stems),
        text=text,
        id=hit.get("id", ""),
        path=hit.get("file", ""),
        root=hit.get("root", ""),
        anchor=hit.get("anchor", ""),
    )


def facets(index_dir: Path, taxonomy: Taxonomy | None = None) -> list[dict]:
    """Every therapy of the taxonomy with how many sections and documents carry its tag."""
    taxonomy = taxonomy or default_taxonomy()
    ix = open_index(index_dir)
    out = []
    with ix.searcher() as searcher:
        for t in taxonomy.therapies:
            docs = (
                {searcher.stored_fields(n)["doc"] for n in searcher.postings("therapies", t.id).all_ids()}
                if searcher.doc_frequency("therapies", t.id)
                else set()
            )
            out.append(
                {
                    "id": t.id,
                    "name": t.name,
                    "acronyms": list(t.acronyms),
                    "aliases": list(t.aliases),
                    "sections": searcher.doc_frequency("therapies", t.id),
                    "documents": len(docs),
                }
            )
    return out
