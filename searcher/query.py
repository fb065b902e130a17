"""Stage 6, query: a person's words to ranked sections.

The query language is Whoosh's (AND, OR, NOT, "phrases", prefix*, field:),
with ``-word`` to exclude and ``+word`` to require a word.  A section matches
by its own heading path and text; the document title only adds to the score
of a section that matches.  On top of it: therapy acronyms and spellings widen a query to the sections
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
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    Every,
    MultiTerm,
    Not,
    NullQuery,
    Or,
    Prefix,
    Query,
    Term,
)
from whoosh.scoring import BM25F

from searcher.count import count
from searcher.schema import FIELD_BOOSTS, IDENT, SEARCH_FIELDS, STEMMED, STOP, TITLE_BOOST, american, forms, parts
from searcher.snippet import snippet
from searcher.store import open_index
from searcher.tag import NAME_WORD, Taxonomy, default_taxonomy

# Whoosh picks a "preloaded array" matcher for an OR on a small index; it costs
# ~2 ms to set up per OR, and every word of a query is an OR over the fields.
Or.matcher_type = Or.DEFAULT_MATCHER
EXPANSION_BOOST = 0.3
MAX_EXPANSIONS = 64
ALL_WORDS, SOME_WORDS = "all words", "some words"
# Totals are exact while the posting lists to merge hold this many ids in all;
# past it they are estimated (and shown as "about").
COUNT_EXACT = 1_000
LIFT_POOL = 20  # candidates beyond twice the hits wanted that the title may lift
KINDS = ("body", "list", "faq")
_QUOTED = re.compile(r'"[^"]*"')
_JOINER = re.compile(r"(?<=\w)[._-](?=\w)")
_PREFIX = re.compile(r"(?<![\w*?])([^\W_]+)\*(?![\w*?])")
# A word that may be a typo: letters only, not part of an identifier
# ("pg_class.oid", "read-only"), a field name, a wildcard or a fuzzy term.
_WORD = re.compile(r"(?<![\w.:*?~^'’-])([A-Za-z]+)(?![\w:*?~('’-]|\.\w)")
_IDENTIFIER = re.compile(rf"(?<![\w:*?~^]){IDENT}(?![\w:*?~(])")
# "-word" excludes, "+word" requires: at the start of the query or after a space or "(".
_SIGN = re.compile(r"(?:(?<=^)|(?<=[\s(]))([+-])(?=[\w\"(])")
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
    limit: int | None = 10  # None: every matching section
    per_doc: int | None = None
    snippets: bool = True
    kinds: list[str] = field(default_factory=list)


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
    tier: str = ALL_WORDS  # "all words" of the query, or only "some words"


@dataclass
class SearchResult:
    """The hits of one search, the number of matching sections, and what ran."""

    query: str
    total: int
    suggestion: str | None
    hits: list[Hit]
    explain: str
    unmatched: list[str] = field(default_factory=list)  # typed words no section holds
    exact: bool = True  # False when ``total`` is an estimate


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


class FieldBoostedBM25F(BM25F):
    """BM25F with a weight per field (FIELD_BOOSTS), applied to each term's
    scorer.  The parser's field boosts wrap every posting list of a boosted
    field in a matcher of their own, which cost a seventh of a search."""

    def __init__(self, boosts: dict[str, float] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.boosts = dict(FIELD_BOOSTS if boosts is None else boosts)

    def scorer(self, searcher, fieldname: str, text: str, qf: int = 1):
        scorer = super().scorer(searcher, fieldname, text, qf)
        boost = self.boosts.get(fieldname, 1.0)
        if boost != 1.0 and hasattr(scorer, "idf"):
            scorer.idf *= boost  # a BM25 score is linear in idf, its block maxima too
        return scorer


def weighting() -> FieldBoostedBM25F:
    """The scoring ``run`` expects its searcher to have: ``ix.searcher(weighting=weighting())``."""
    return FieldBoostedBM25F()


_PARSERS: dict[tuple[int, type], tuple[object, MultifieldParser]] = {}


def _parser(schema, group) -> MultifieldParser:
    """One parser per schema and grouping, made once (building one takes ~0.2 ms)."""
    key = (id(schema), group)
    found = _PARSERS.get(key)
    if found is None or found[0] is not schema:
        if len(_PARSERS) > 8:
            _PARSERS.clear()
        found = _PARSERS[key] = (schema, MultifieldParser(list(SEARCH_FIELDS), schema, group=group))
    return found[1]


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


def loosen(query: Query, required: list[Query] | None = None) -> Query:
    """The "some of the words" form of an all-words query.

    NOT clauses and ``+word`` clauses stay required; the other words are OR-ed.
    """
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


def only_exclusions(query: Query) -> Query:
    """``NOT x`` alone, or ``-x -y``: every section but those."""
    if isinstance(query, Not):
        return AndNot(Every(), query.query)
    if isinstance(query, And) and query.subqueries and all(isinstance(q, Not) for q in query.subqueries):
        return AndNot(Every(), Or([q.query for q in query.subqueries]))
    return query


def signs(text: str) -> tuple[str, list[str]]:
    """The query with ``-word`` as ``NOT word`` and ``+word`` as ``word``, and the ``+`` words.

    Signs inside quotes are left alone; so is a hyphen inside a word ("git-rebase").
    """
    outside = _outside_quotes(text)
    required: list[str] = []
    out, last = [], 0
    for m in _SIGN.finditer(text):
        if not outside(m.start()):
            continue
        out.append(text[last : m.start()] + ("NOT " if m.group(1) == "-" else ""))
        last = m.end()
        if m.group(1) == "+":
            rest = text[last:]
            end = _term_end(rest)
            required.append(rest[:end])
    return "".join(out) + text[last:], required


def _term_end(text: str) -> int:
    """Length of the one query term at the start of ``text``: a word, a "phrase" or a (group)."""
    if text.startswith('"'):
        close = text.find('"', 1)
        return len(text) if close < 0 else close + 1
    if text.startswith("("):
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0:
                return i + 1
        return len(text)
    m = re.match(r"\S+", text)
    return m.end() if m else 0


def _known(reader, term: str) -> bool:
    return any(reader.doc_frequency(f, term) for f in SEARCH_FIELDS)


def identifiers(text: str, reader) -> str:
    """Identifiers the index lacks as typed, made into what it has.

    A qualified name finds the pages that print its shorter forms
    (``django.forms.RadioSelect`` -> ``forms.RadioSelect`` -> ``RadioSelect``);
    a hyphenated or underscored word finds its words (``light-weight`` ->
    ``light weight``).
    """
    outside = _outside_quotes(text)
    out, last = [], 0
    for m in _IDENTIFIER.finditer(text):
        raw = m.group()
        if not parts(raw) or not outside(m.start()) or raw.upper() in _OPERATORS:
            continue
        whole = forms(raw, False)
        if not whole or _known(reader, whole[0][0]):
            continue
        segments = [s for s in raw.split(".") if s]
        shorter = [".".join(segments[i:]) for i in range(1, len(segments))]
        found = next((s for s in shorter if (f := forms(s, False)) and _known(reader, f[0][0])), None)
        if found is None:
            words = [p for p in re.split(r"[._-]+", raw) if p]
            found = " ".join(words)
        out.append(text[last : m.start()] + found)
        last = m.end()
    return "".join(out) + text[last:]


# Spelling candidates by first letter, kept for as long as the index is the
# same generation (its segments unchanged): computed once, not per query.
_VOCABULARY: dict[tuple, dict[str, list[str]]] = {}


def _generation(reader) -> tuple:
    """What identifies the state of an index: its segments and its deletions."""
    key = []
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        key.append((segment.segment_id(), segment.deleted_count()) if segment is not None else id(leaf))
    return tuple(key)


def _vocabulary(reader, first_letter: str, taxonomy: Taxonomy | None) -> list[str]:
    """The index's words (and the taxonomy's) that start with ``first_letter``.

    Misspellings nearly always keep the first letter, so only those are candidates.
    """
    key = _generation(reader)
    letters = _VOCABULARY.get(key)
    if letters is None:
        _VOCABULARY.clear()
        letters = _VOCABULARY[key] = {}
    if first_letter not in letters:
        words = set(_letters(reader, first_letter))
        if taxonomy is not None:
            words.update(w for name in taxonomy.query_names[0] for w in name if w.startswith(first_letter))
        letters[first_letter] = sorted(words)
    return letters[first_letter]


def _letters(reader, first_letter: str) -> list[str]:
    """The index's words that start with ``first_letter``, read from its term list."""
    return [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.expand_prefix("words", first_letter)]


def correct(text: str, reader, taxonomy: Taxonomy | None = None) -> str:
    """Replace misspelled words by the closest word the index (or the taxonomy) has.

    A word is left as typed when the index has it (in any spelling), when it
    is a correct English word, when it is part of an identifier or a
    hyphenated word, when it is a therapy's name, or under five letters.
    Candidates are one edit away (two from six letters on).
    """
    out, last = [], 0
    for m in _WORD.finditer(text):
        word = m.group(1)
        low = word.lower()
        if word in _OPERATORS or low in STOP or len(low) < 5 or reader.doc_frequency("words", low):
            continue
        if taxonomy is not None and (low,) in taxonomy.query_names[0]:
            continue  # a therapy's own name or acronym is not a typo
        if american(low) != low and _known(reader, forms(low, False)[0][0]):
            continue  # "behaviour" where the index says "behavior"
        from searcher.english import is_english

        if is_english(low):
            continue
        best = _closest(low, _vocabulary(reader, low[0], taxonomy), reader)
        if best:
            out.append(text[last : m.start()] + best)
            last = m.end()
    return "".join(out) + text[last:]


def _closest(word: str, vocab: list[str], reader) -> str | None:
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extract

    limit = 1 if len(word) <= 5 else 2
    # Candidates share the first letter, which also keeps a real word the
    # corpus lacks ("night") from turning into one it has ("right").
    found = extract(word, vocab, scorer=OSA.distance, score_cutoff=limit, limit=50)
    if not found:
        return None
    return min(found, key=lambda f: (f[1], -reader.doc_frequency("words", f[0]), f[0]))[0]


def _filter(request: SearchRequest, searcher, taxonomy: Taxonomy) -> Query | None:
    parts: list[Query] = []
    if request.section:
        terms = [t.text for t in STEMMED(request.section, mode="query")]
        if terms:
            parts.append(And([Term("section", t) for t in terms]))
    if request.therapies:
        ids = sorted({taxonomy.resolve(name) for name in request.therapies})
        parts.append(Or([Term("therapies", i) for i in ids]))
    if request.kinds:
        parts.append(Or([Term("kind", k) for k in request.kinds]))
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
    with ix.searcher(weighting=weighting()) as searcher:
        return run(searcher, ix.schema, request, taxonomy)


def phrases_as_words(text: str) -> str:
    """Inside quotes, identifiers as the phrase of their words: ``"git-rebase --onto"``
    is ``"git rebase --onto"``, which the index holds at consecutive positions."""
    return _QUOTED.sub(lambda m: _JOINER.sub(" ", m.group()), text)


def _prepare(text: str, schema, reader, taxonomy: Taxonomy) -> Query:
    expanded = expand_therapies(phrases_as_words(text), taxonomy)
    query = _safe_parse(_parser(schema, AndGroup), expanded) if expanded.strip() else Every()
    return _tame_wildcards(query, _typed_prefixes(expanded), reader)


def _title_words(query: Query) -> list[str]:
    """The query's words (as the body field holds them) outside NOT clauses."""
    return sorted(
        {
            leaf.text
            for leaf in query.leaves()
            if isinstance(leaf, Term) and leaf.fieldname == "body" and not _negated(query, leaf)
        }
    )


def _lift(searcher, hits: list, words: list[str], keep: int | None) -> list:
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


def _negated(query: Query, leaf: Query) -> bool:
    def walk(q: Query, inside: bool) -> bool:
        if q is leaf:
            return inside
        if q.is_leaf():
            return False
        return any(walk(c, inside or isinstance(q, Not)) for c in q.children())

    return walk(query, False)


def unmatched(text: str, reader, taxonomy: Taxonomy) -> list[str]:
    """The typed words (outside quotes and NOT) that match no section at all."""
    spelled = taxonomy.query_names[0]
    outside = _outside_quotes(text)
    missing = []
    negate = False
    for m in _IDENTIFIER.finditer(text):
        raw = m.group()
        if raw.upper() in _OPERATORS:
            negate = raw.upper() == "NOT"
            continue
        was_negated, negate = negate, False
        after = text[m.end() : m.end() + 1]
        if was_negated or not outside(m.start()) or after in ("*", "?", ":", "~"):
            continue
        if (raw.lower(),) in spelled or raw in taxonomy.query_names[1]:
            continue
        found = forms(raw, False)
        if found and not _known(reader, found[0][0]):
            missing.append(raw)
    return list(dict.fromkeys(missing))


def run(searcher, schema, request: SearchRequest, taxonomy: Taxonomy) -> SearchResult:
    """Search with an open Whoosh searcher (the benchmark keeps one open),
    opened with ``weighting=weighting()``."""
    reader = searcher.reader()
    typed = " ".join(request.query.split())
    asked = _QUESTION_MARK.sub("", typed)
    signed, required_text = signs(asked)
    corrected = correct(signed, reader, taxonomy)
    suggestion = corrected if corrected != signed else None
    rewritten = identifiers(corrected, reader)
    strict = only_exclusions(_prepare(rewritten, schema, reader, taxonomy))
    required = [
        _prepare(identifiers(correct(w, reader, taxonomy), reader), schema, reader, taxonomy) for w in required_text
    ]
    loose = loosen(strict, required)
    filt = _filter(request, searcher, taxonomy)
    missing = unmatched(rewritten, reader, taxonomy)
    explain = str(loose if strict == loose else strict) + (f"  FILTER {filt}" if filt is not None else "")
    if strict is NullQuery or filt is NullQuery:
        return SearchResult(typed, 0, suggestion, [], explain, unmatched=missing)

    title = _title_words(strict)
    wanted = request.limit if not request.per_doc or request.limit is None else request.limit * 20 + 50
    pool = None if wanted is None else (wanted + LIFT_POOL if title else wanted)
    first = searcher.search(strict, filter=filt, limit=pool)
    ranked = [(hit, ALL_WORDS) for hit in _lift(searcher, _top(first), title, wanted)]
    total, exact = _count(searcher, loose, filt)
    if strict != loose and (wanted is None or len(ranked) < wanted):  # then the rest of the some-words tier
        more = None if pool is None else pool + len(ranked)
        second = searcher.search(loose, filter=filt, limit=more)
        seen = {hit.docnum for hit, _ in ranked}
        rest = _lift(searcher, [hit for hit in _top(second) if hit.docnum not in seen], title, None)
        ranked += [(hit, SOME_WORDS) for hit in (rest if wanted is None else rest[: wanted - len(ranked)])]
    words = _body_terms(strict, reader)
    hits: list[Hit] = []
    per_doc: dict[str, int] = {}
    for hit, tier in ranked:
        doc = hit["doc"]
        if request.per_doc and per_doc.get(doc, 0) >= request.per_doc:
            continue
        per_doc[doc] = per_doc.get(doc, 0) + 1
        hits.append(_hit(hit, words if request.snippets else None, tier))
        if request.limit is not None and len(hits) >= request.limit:
            break
    return SearchResult(typed, total, suggestion, hits, explain, unmatched=missing, exact=exact)


def _top(results) -> list:
    """The scored hits of a Whoosh result; ``list(results)`` would count every match first."""
    return [results[i] for i in range(results.scored_length())]


def _count(searcher, query: Query, filt: Query | None) -> tuple[int, bool]:
    """How many sections match, and whether that is exact.

    Counted exactly, as set algebra over posting lists (searcher.count),
    unless the query is an OR of terms whose lists hold more than COUNT_EXACT
    ids between them: reading those costs more than the search itself, so the
    total is estimated from the lists' lengths alone (``_estimate``).
    """
    terms = _or_terms(query)  # a prefix is counted exactly: its words are far from independent
    if terms is None or filt is not None:
        return count(searcher, query, filt), True
    lengths = [searcher.doc_frequency(t.fieldname, t.text) for t in terms]
    if sum(lengths) <= COUNT_EXACT:
        return count(searcher, query, filt), True
    return _estimate(searcher, query), False


def _estimate(searcher, query: Query) -> int:
    """The size of an OR of words, each word an OR over the fields.

    A word's sections are about its longest list over the fields (a word in
    a heading is nearly always in the text below it too); different words
    (a prefix's words too) are taken as independent: N * (1 - prod(1 - n_i / N)).
    """
    total = max(1, searcher.doc_count())
    reader = searcher.reader()
    words: dict[str, int] = {}  # a word's longest list over the fields
    for t in _or_terms(query, reader) or []:
        words[t.text] = max(words.get(t.text, 0), searcher.doc_frequency(t.fieldname, t.text))
    missing = 1.0
    for longest in words.values():
        missing *= 1 - min(longest, total) / total
    return round(total * (1 - missing))


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


def _body_terms(query: Query, reader) -> set[str]:
    """The indexed forms (stems) the query looks for in the body, prefixes expanded."""
    terms = set()
    for leaf in query.leaves():
        if getattr(leaf, "fieldname", None) != "body":
            continue
        pairs = leaf.expanded_terms(reader) if isinstance(leaf, MultiTerm) else leaf.iter_all_terms()
        terms.update(t.decode("utf-8") if isinstance(t, bytes) else t for _, t in pairs)
    return terms


def _hit(hit, stems: set[str] | None, tier: str = ALL_WORDS) -> Hit:
    """A Whoosh hit as plain data; no snippet when ``stems`` is None."""
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
        snippet=snippet(text, stems) if stems is not None else [],
        text=text,
        id=hit.get("id", ""),
        path=hit.get("file", ""),
        root=hit.get("root", ""),
        anchor=hit.get("anchor", ""),
        tier=tier,
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
