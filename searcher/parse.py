"""Query stage: a person's words to a Whoosh query.

The query language is Whoosh's (AND, OR, NOT, "phrases", prefix*, field:),
with ``-word`` to exclude and ``+word`` to require a word, and a fallback to
plain words when Whoosh's parser fails on odd syntax.  Prefixes are kept as
typed and limited to their most frequent words.
"""

from __future__ import annotations

import heapq
import re

from whoosh.qparser import MultifieldParser
from whoosh.query import And, AndNot, Every, MultiTerm, Not, Or, Prefix, Query, Term

from searcher.schema import SEARCH_FIELDS, STEMMED

MAX_EXPANSIONS = 64
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_QUOTED = re.compile(r'"[^"]*"')
_JOINER = re.compile(r"(?<=\w)[._-](?=\w)")
_PREFIX = re.compile(r"(?<![\w*?])([^\W_]+)\*(?![\w*?])")
# "-word" excludes, "+word" requires: at the start of the query or after a space or "(".
_SIGN = re.compile(r"(?:(?<=^)|(?<=[\s(]))([+-])(?=[\w\"(])")
# A "?" that ends a word ends a question; a wildcard "?" stands inside a word ("colo?r").
_QUESTION_MARK = re.compile(r"(?<=\w)\?+(?=[\s\"')]|$)")
_AND = re.compile(r"(?<![^\s(])AND(?![^\s)])")
_SYNTAX = re.compile(r"[\"'()\[\]{}:^~*?+\-!\\/<>=&|]")
_PARSERS: dict[tuple[int, type], tuple[object, MultifieldParser]] = {}


def outside_quotes(text: str):
    """A test of a position of ``text``: True when it is not inside "quotes"."""
    inside, quoted = False, []
    for ch in text:
        if ch == '"':
            inside = not inside
        quoted.append(inside)
    return lambda i: not quoted[i]


def drop_question_marks(text: str) -> str:
    """The query without the question marks that end a question ("what is methadone?")."""
    return _QUESTION_MARK.sub("", text)


def says_and(text: str) -> bool:
    """True when the query joins words with an explicit ``AND`` (outside quotes): then every word is required."""
    outside = outside_quotes(text)
    return any(outside(m.start()) for m in _AND.finditer(text))


def plain_words(text: str) -> str:
    """The query with every bit of syntax turned into space: the fallback."""
    words = _SYNTAX.sub(" ", text).split()
    return " ".join(w for w in words if w.upper() not in OPERATORS)


def phrases_as_words(text: str) -> str:
    """Inside quotes, identifiers as the phrase of their words: ``"git-rebase --onto"``
    is ``"git rebase --onto"``, which the index holds at consecutive positions."""
    return _QUOTED.sub(lambda m: _JOINER.sub(" ", m.group()), text)


def signs(text: str) -> tuple[str, list[str]]:
    """The query with ``-word`` as ``NOT word`` and ``+word`` as ``word``, and the ``+`` words.

    Signs inside quotes are left alone; so is a hyphen inside a word ("git-rebase").
    """
    outside = outside_quotes(text)
    required: list[str] = []
    out, last = [], 0
    for m in _SIGN.finditer(text):
        if not outside(m.start()):
            continue
        out.append(text[last : m.start()] + ("NOT " if m.group(1) == "-" else ""))
        last = m.end()
        if m.group(1) == "+":
            rest = text[last:]
            required.append(rest[: _term_end(rest)])
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


def _parser(schema, group) -> MultifieldParser:
    """One parser per schema and grouping, made once (building one takes ~0.2 ms)."""
    key = (id(schema), group)
    found = _PARSERS.get(key)
    if found is None or found[0] is not schema:
        if len(_PARSERS) > 8:
            _PARSERS.clear()
        found = _PARSERS[key] = (schema, MultifieldParser(list(SEARCH_FIELDS), schema, group=group))
    return found[1]


def parse(text: str, schema, group, reader) -> Query:
    """``text`` parsed over the searched fields (every section when empty), prefixes tamed."""
    if not text.strip():
        return Every()
    parser = _parser(schema, group)
    try:
        query = parser.parse(text)
    except Exception:  # Whoosh's parser has crashed on odd operator runs
        query = parser.parse(plain_words(text))
    return _tame_wildcards(query, _typed_prefixes(text), reader)


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


def only_exclusions(query: Query) -> Query:
    """``NOT x`` alone, or ``-x -y``: every section but those."""
    if isinstance(query, Not):
        return AndNot(Every(), query.query)
    if isinstance(query, And) and query.subqueries and all(isinstance(q, Not) for q in query.subqueries):
        return AndNot(Every(), Or([q.query for q in query.subqueries]))
    return query
