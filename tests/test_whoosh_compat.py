"""Each assumption searcher.whoosh_compat makes about Whoosh's private parts, pinned on the pinned version."""

from __future__ import annotations

from importlib import metadata

import pytest
from whoosh.filedb import compound
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.query import Or, Term

from searcher import whoosh_compat as wc
from searcher.index import update_index
from searcher.store import open_index


@pytest.fixture(scope="module")
def two_segments(tmp_path_factory):
    """A real index of two commits (two segments), one record deleted by the second."""
    base = tmp_path_factory.mktemp("compat")
    docs = base / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Alpha\n\nalphaword " + "common " * 300 + "\n")
    (docs / "b.txt").write_text("Beta\n\nbetaword common.\n")
    update_index(base / "index", [docs], workers=1)
    (docs / "b.txt").write_text("Beta\n\nbetaword changed, common.\n")
    (docs / "c.txt").write_text("Gamma\n\ngammaword common.\n")
    update_index(base / "index", [docs], workers=1)
    return base / "index"


def test_the_pinned_version_is_the_one_installed() -> None:
    requirement = next(r for r in metadata.requires("searcher") if r.startswith("whoosh3"))
    assert requirement.replace(" ", "") == f"whoosh3=={metadata.version('whoosh3')}"


def test_latest_generation_and_segments(tmp_path, two_segments) -> None:
    assert wc.latest_generation(FileStorage(str(tmp_path))) == -1 and not wc.has_segments(FileStorage(str(tmp_path)))
    storage = FileStorage(str(two_segments))
    assert wc.latest_generation(storage) >= 1 and wc.has_segments(storage)


def test_open_reader_reads_in_place_and_leaves_whoosh_as_it_ships(two_segments) -> None:
    ix = open_index(two_segments)
    assert compound.BufferFile is BufferFile  # restored: a baseline in this process sees plain Whoosh
    with ix.searcher() as s:
        leaves = [leaf for leaf, _ in s.reader().leaf_readers()]
        assert len(leaves) >= 1
        stores = [leaf.storage().a for leaf in leaves if hasattr(leaf.storage(), "a")]
        assert stores and all(type(st) is wc.ViewCompoundStorage for st in stores)
        part = stores[0].open_file(stores[0].list()[0])
        assert isinstance(part, wc.ViewFile) and isinstance(part.file, wc._View)  # no copy of the part
        docs = {f["doc"] for f in s.all_stored_fields()}
    assert docs == {"a.txt", "b.txt", "c.txt"}


def test_view_reads_like_a_file() -> None:
    view = wc._View(memoryview(b"one\ntwo\nthree"))
    assert view.readline() == b"one\n" and view.read(3) == b"two" and view.tell() == 7
    view.seek(-5, 2)
    assert view.read() == b"three" and view.read() == b""


def test_union_matchers_is_set_on_the_query_not_the_class(two_segments) -> None:
    query = Or([Term("body", "common"), Or([Term("body", "alphaword"), Term("body", "betaword")])])
    wc.union_matchers(query)
    assert query.matcher_type == Or.DEFAULT_MATCHER == query.subqueries[1].matcher_type
    assert Or.matcher_type == Or.AUTO_MATCHER
    ix = open_index(two_segments)
    with ix.searcher() as s:
        assert {s.stored_fields(n)["doc"] for n in s.docs_for_query(query)} == {"a.txt", "b.txt", "c.txt"}


def test_block_ids_equal_all_ids_across_blocks(tmp_path) -> None:
    from whoosh import index as windex
    from whoosh.matching.wrappers import FilterMatcher

    from searcher.schema import make_schema

    ix = windex.create_in(str(tmp_path), make_schema(), indexname=wc.INDEX_NAME)
    with ix.writer() as writer:  # 300 postings: three blocks of up to 128
        for i in range(300):
            writer.add_document(id=str(i), doc=f"{i}.txt", body="common" if i % 7 else "rare", line_start=1, line_end=1)
    with ix.writer() as writer:
        writer.delete_by_term("id", "8")
    with ix.searcher() as s:
        (leaf, _), *_ = s.reader().leaf_readers()
        matcher = leaf.postings("body", "common")
        assert isinstance(matcher, FilterMatcher)  # deletions wrap the posting list; count.py unwraps it
        inner = matcher.child
        assert hasattr(inner, "_read_ids") and hasattr(inner, "_next_block")
        expected = [i for i in range(300) if i % 7]
        assert wc.block_ids(leaf.postings("body", "common").child) == expected
        assert wc.block_ids(leaf.postings("body", "rare").child) == [i for i in range(300) if not i % 7]


def test_before_toc_runs_inside_the_commit(tmp_path) -> None:
    from whoosh import index as windex

    from searcher.schema import make_schema

    ix = windex.create_in(str(tmp_path), make_schema(), indexname=wc.INDEX_NAME)
    seen = []
    writer = ix.writer()
    writer.add_document(id="x", doc="x.txt", body="word", line_start=1, line_end=1)
    wc.before_toc(writer, lambda: seen.append(wc.latest_generation(FileStorage(str(tmp_path)))))
    writer.commit()
    assert seen == [0] and wc.latest_generation(FileStorage(str(tmp_path))) == 1
