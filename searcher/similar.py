"""Sections like a given one: key terms of its text, searched for in the others.

The key terms are Whoosh's (``key_terms_from_text`` with the Bo1 model over
the stored body, the same terms ``more_like`` would pick): words frequent in
the section and rare in the collection, each weighted by how telling it is.
Sections of other documents come first; the section's own document only with
``same_doc``, after them.  A hit whose text is nearly the same as the
section's (the scraped articles copy each other's paragraphs) is marked as a
near duplicate: the Jaccard similarity of their sets of three-word shingles
is at least :data:`NEAR_DUPLICATE`.
"""

from __future__ import annotations

import re
from pathlib import Path

from whoosh.query import And, Or, Query, Term

from searcher.errors import SearcherError
from searcher.hits import to_hit
from searcher.models import SimilarHit, SimilarResult
from searcher.schema import TOKEN
from searcher.store import open_index
from searcher.whoosh_compat import union_matchers

# Key terms a section is reduced to.  On the shipped corpus 10 to 20 terms
# rank the CBT sections of the other articles first; 5 (Whoosh's default)
# lets in sections that share only "heroin" and "addiction".
KEY_TERMS = 20
# Three-word shingles, Jaccard >= 0.8: on the 200 MB documentation tier, of the
# top five similar sections of 300 sampled ones, 8.5% reach 0.8 (most of
# them 1.0: pages that repeat a block word for word) and the rest spread
# thinly below; on the shipped corpus no two sections reach 0.7.
SHINGLE = 3
NEAR_DUPLICATE = 0.8
_WORDS = re.compile(TOKEN)


def shingles(text: str, k: int = SHINGLE) -> set[tuple[str, ...]]:
    """The set of ``k``-word runs of ``text`` (lower-cased words); a shorter text is one run."""
    words = _WORDS.findall(text.lower())
    if len(words) <= k:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set, b: set) -> float:
    """Shared shingles over all shingles (0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similar(index_dir: Path, target: str, limit: int = 10, same_doc: bool = False) -> SimilarResult:
    """The ``limit`` sections most like the one at ``target`` (``PATH:LINE`` or a section id)."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        docnum = find_section(searcher, target)
        fields = searcher.stored_fields(docnum)
        text = f"{fields.get('heading', '')}\n{fields.get('body', '')}"
        terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS, normalize=True)
        stems = {t for t, _ in terms}
        source = to_hit(fields, 0.0, stems)
        explain = "more like " + (" ".join(f"{t}^{w:.2f}" for t, w in terms) or "nothing: the section has no key terms")
        if not terms:
            return SimilarResult(target, 0, None, [], explain, source=source)
        query: Query = union_matchers(Or([Term("body", t, boost=w) for t, w in terms]))
        own = Term("file", fields["file"])
        others = searcher.search(query, limit=limit, mask=own, terms=False)
        ranked = [others[i] for i in range(others.scored_length())]
        if same_doc:
            mine = searcher.search(And([query, own]), limit=limit, mask={docnum}, terms=False)
            ranked += [mine[i] for i in range(mine.scored_length())][: max(0, limit - len(ranked))]
        total = _count(searcher, terms, fields["file"], docnum, same_doc)
        own_shingles = shingles(fields.get("body", ""))
        hits = []
        for hit in ranked[:limit]:
            base = to_hit(hit.fields(), hit.score, stems)
            score = round(jaccard(own_shingles, shingles(base.section.text)), 3)
            hits.append(SimilarHit(base.section, base.score, base.tier, base.snippet, score, score >= NEAR_DUPLICATE))
    return SimilarResult(target, total, None, hits, explain, source=source)


def _count(searcher, terms: list[tuple[str, float]], own_file: str, docnum: int, same_doc: bool) -> int:
    """Sections holding a key term, as the union of the terms' posting lists (which leave
    deleted records out); counting a masked Whoosh result instead takes seconds on a large index."""
    found: set[int] = set()
    for term, _ in terms:
        found.update(searcher.postings("body", term).all_ids())
    own = set(searcher.postings("file", own_file).all_ids()) if searcher.doc_frequency("file", own_file) else set()
    return len(found - own) + (len((found & own) - {docnum}) if same_doc else 0)


def find_section(searcher, target: str) -> int:
    """The document number of the section named by ``target``: an id, ``PATH#slug`` or ``PATH:LINE``.

    PATH is the file as search prints it (a path from here, or its path
    inside its indexed folder); LINE any line of the section (a line between
    sections means the section before it).
    """
    found = searcher.document_number(id=target)
    if found is not None:
        return found
    path, sep, slug = target.partition("#")
    if sep and path:  # an id with its file named any way search prints it: doc#slug
        for file in _files_named(searcher, path):
            found = searcher.document_number(id=f"{file}#{slug}")
            if found is not None:
                return found
    path, sep, line = target.rpartition(":")
    if not sep or not line.strip().isdigit() or not path:
        raise SearcherError(f"no section with id {target!r}; name one as PATH:LINE (as search prints) or by its id")
    number = int(line)
    files = _files_named(searcher, path)
    if not files:
        raise SearcherError(f"no indexed file matches {path!r}")
    if len(files) > 1:
        raise SearcherError(f"{path!r} names {len(files)} indexed files; give its full path")
    stored = ((searcher.stored_fields(n), n) for n in searcher.docs_for_query(Term("file", files[0])))
    sections = sorted((f["line_start"], f["line_end"], n) for f, n in stored)
    if not sections:
        raise SearcherError(f"no indexed file matches {path!r}")
    last = max(end for _, end, _ in sections)
    if not 1 <= number <= last:
        raise SearcherError(f"no section at line {number} of {path!r}: its sections span lines 1-{last}")
    inside = [n for start, end, n in sections if start <= number <= end]
    if inside:
        return inside[0]
    before = [n for start, _, n in sections if start <= number]
    return before[-1] if before else sections[0][2]


def _files_named(searcher, path: str) -> list[str]:
    """The ``file`` terms of the indexed files that ``path`` names."""
    absolute = str(Path(path).absolute())
    if next(iter(searcher.docs_for_query(Term("file", absolute))), None) is not None:  # live records only
        return [absolute]
    wanted = path.removeprefix("./")
    docs = [d.decode() if isinstance(d, bytes) else d for d in searcher.lexicon("doc")]
    matched = [d for d in docs if d == wanted or wanted.endswith("/" + d)]
    files: set[str] = set()
    for d in matched:
        for n in searcher.docs_for_query(Term("doc", d)):
            files.add(searcher.stored_fields(n)["file"])
    return sorted(files)


__all__ = ["NEAR_DUPLICATE", "SimilarHit", "SimilarResult", "find_section", "jaccard", "shingles", "similar"]
