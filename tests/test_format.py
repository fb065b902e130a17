"""An index written with another analysis (an older searcher) is found out: search says so,
and the next `searcher index` reads every file again with today's schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import TEXT

from searcher.format import is_current
from searcher.ingest import sections_of_text
from searcher.schema import make_schema
from searcher.whoosh_compat import INDEX_NAME
from searcher.writer import records

TEXT_A = "Forms\n\nUse django.forms.RadioSelect for radio buttons, with a café crème.\n"


def old_index(ix: Path, docs: Path) -> None:
    """An index as an older searcher wrote it: the body analysed by Whoosh's stemming analyzer."""
    schema = make_schema()
    schema.remove("body")
    schema.add("body", TEXT(analyzer=StemmingAnalyzer(), stored=True, phrase=True))
    ix.mkdir(mode=0o755)
    index = windex.create_in(str(ix), schema, indexname=INDEX_NAME)
    with index.writer() as writer:
        path = docs / "a.txt"
        for record in records(sections_of_text(TEXT_A, "a.txt"), str(path), str(docs)):
            writer.add_document(**record)


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    return folder


def test_search_on_an_index_of_another_analysis_warns_and_still_answers(cli, tmp_path, docs) -> None:
    ix = tmp_path / "ix"
    old_index(ix, docs)
    result = cli("search", "--index", ix, "radio")
    assert result.exit_code == 0 and "a.txt" in result.stdout
    assert result.stderr.count("\n") == 1
    assert "written by another searcher" in result.stderr and f"searcher index --index {ix}" in result.stderr


def test_the_next_index_run_reads_every_file_again_with_todays_schema(cli, tmp_path, docs) -> None:
    ix = tmp_path / "ix"
    old_index(ix, docs)
    assert cli("search", "--index", ix, "RadioSelect").exit_code == 1  # one token the old way
    run = cli("index", docs, "--index", ix)
    assert run.exit_code == 0 and "reading every file again" in run.stderr and "1 added" in run.stderr
    assert is_current(windex.open_dir(str(ix), indexname=INDEX_NAME).schema)
    for query in ("RadioSelect", "cafe"):  # identifier parts, accents folded
        found = cli("search", "--index", ix, query)
        assert found.exit_code == 0 and "a.txt" in found.stdout, query
    again = cli("search", "--index", ix, "radio")
    assert again.exit_code == 0 and again.stderr == ""


def test_rebuild_gives_an_old_index_todays_schema(cli, tmp_path, docs) -> None:
    ix = tmp_path / "ix"
    old_index(ix, docs)
    assert cli("index", docs, "--index", ix, "--rebuild").exit_code == 0
    assert is_current(windex.open_dir(str(ix), indexname=INDEX_NAME).schema)
    assert cli("search", "--index", ix, "RadioSelect").exit_code == 0


def test_a_current_index_is_not_read_again(cli, tmp_path, docs) -> None:
    ix = tmp_path / "ix"
    assert cli("index", docs, "--index", ix).exit_code == 0
    second = cli("index", docs, "--index", ix)
    assert second.exit_code == 0 and "1 unchanged" in second.stderr and "again" not in second.stderr


def test_a_schema_is_current_only_with_todays_analysis() -> None:
    import copy

    assert is_current(make_schema())
    older = copy.deepcopy(make_schema())
    older["body"].analyzer.items[-1].version = 0  # searcher's own filter, another version
    assert not is_current(older)
    stemmed = make_schema()
    stemmed.remove("title")
    stemmed.add("title", TEXT(analyzer=StemmingAnalyzer(), stored=True))
    assert stemmed == make_schema()  # Whoosh's own comparison leaves analyzers out
    assert not is_current(stemmed)
    fewer = make_schema()
    fewer.remove("anchor")
    assert not is_current(fewer)
