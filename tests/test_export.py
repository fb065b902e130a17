"""searcher export: JSON Lines, an OpenSearch/Elasticsearch _bulk body, and its mapping."""

from __future__ import annotations

import json

import pytest

from searcher import export
from searcher.index import update_index
from tests.conftest import section_rows

TYPES = {"keyword": str, "text": str, "integer": int}


@pytest.fixture(scope="module")
def mapping_properties() -> dict:
    from click.testing import CliRunner

    from searcher.cli import main

    result = CliRunner().invoke(main, ["export", "--mapping"])
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body == export.mapping() and body["mappings"]["dynamic"] == "strict"
    return body["mappings"]["properties"]


def test_the_mapping_names_every_field_with_its_type(mapping_properties):
    props = mapping_properties
    for name in ("heading", "text", "title"):
        assert props[name] == {"type": "text", "analyzer": "english"}
    for name in ("doc", "path", "root", "kind", "therapies", "id", "anchor"):
        assert props[name] == {"type": "keyword"}
    assert props["line_start"] == props["line_end"] == {"type": "integer"}


def parse_bulk(text: str) -> list[tuple[dict, dict]]:
    """Read a _bulk body as the cluster does: NDJSON, an action line and then its source line."""
    assert text.endswith("\n"), "a _bulk body must end with a newline"
    lines = text.split("\n")[:-1]
    assert len(lines) % 2 == 0
    pairs = []
    for action_line, source_line in zip(lines[::2], lines[1::2], strict=True):
        action, source = json.loads(action_line), json.loads(source_line)
        assert isinstance(action, dict) and list(action) == ["index"]
        assert set(action["index"]) == {"_index", "_id"}
        assert isinstance(source, dict)
        pairs.append((action["index"], source))
    return pairs


def check_source(source: dict, props: dict) -> None:
    assert set(source) == set(props)  # a strict mapping refuses any other field
    for name, spec in props.items():
        value = source[name]
        values = value if isinstance(value, list) and name in ("therapies", "heading_path") else [value]
        assert all(isinstance(v, TYPES[spec["type"]]) and not isinstance(v, bool) for v in values), (name, value)


def test_bulk_parses_as_bulk_does(cli, corpus_index, mapping_properties):
    result = cli("export", "--format", "bulk", "--index-name", "notes", "--index", corpus_index)
    assert result.exit_code == 0
    pairs = parse_bulk(result.stdout)
    sections = list(section_rows(corpus_index))
    assert len(pairs) == len(sections) > 100
    ids = [a["_id"] for a, _ in pairs]
    assert len(set(ids)) == len(ids)
    for action, source in pairs:
        assert action["_index"] == "notes" and action["_id"] == source["id"]
        check_source(source, mapping_properties)
        assert source["path"] == str(corpus_index.parent / "corpus" / source["doc"])
        assert source["root"] == str(corpus_index.parent / "corpus")
    # The same records as the index holds (and as JSON Lines), in the same order.
    assert [{k: s[k] for k in sections[0]} for _, s in pairs] == sections == json_lines(cli, corpus_index)


def json_lines(cli, ix) -> list[dict]:
    result = cli("export", "--index", ix)
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_export_after_incremental_runs_keeps_ids_unique_and_sorted(cli, tmp_path, corpus_copy, mapping_properties):
    ix = tmp_path / "ix"
    update_index(ix, [corpus_copy], workers=1)
    cbt = corpus_copy / "001_2190117fb8c6e72a.txt"
    cbt.write_text(cbt.read_text(encoding="utf-8").replace("widely used", "newword"), encoding="utf-8")
    update_index(ix, [corpus_copy], workers=1)  # a second segment, and deletions in the first
    pairs = parse_bulk(cli("export", "--format", "bulk", "--index", ix).stdout)
    ids = [a["_id"] for a, _ in pairs]
    assert len(set(ids)) == len(ids) and all(a["_index"] == "searcher" for a, _ in pairs)
    keys = [(s["doc"], s["line_start"], s["id"]) for _, s in pairs]
    assert keys == sorted(keys)
    assert any("newword" in s["text"] for _, s in pairs)
    fresh = tmp_path / "fresh"
    update_index(fresh, [corpus_copy], workers=1)
    assert [s for _, s in pairs] == [
        s for _, s in parse_bulk(cli("export", "--format", "bulk", "--index", fresh).stdout)
    ]


@pytest.mark.parametrize("name", ["Upper", "a b", "a/b", "-x", "_x", "..", "", "x" * 256, "a:b", 'q"'])
def test_a_bad_index_name_is_one_line_error(cli, corpus_index, name):
    result = cli("export", "--format", "bulk", "--index-name", name, "--index", corpus_index)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "not a valid index name" in result.stderr


def test_export_keeps_each_file_together_across_roots(cli, tmp_path):
    for root in ("r1", "r2"):
        (tmp_path / root).mkdir()
        (tmp_path / root / "a.md").write_text(f"# One {root}\n\nFirst.\n\n# Two {root}\n\nSecond.\n", encoding="utf-8")
    assert cli("index", "--index", tmp_path / "ix", tmp_path / "r1", tmp_path / "r2").exit_code == 0
    paths = [json.loads(line)["path"] for line in cli("export", "--index", tmp_path / "ix").stdout.splitlines()]
    assert paths == sorted(paths) and len(set(paths)) == 2 and len(paths) == 4
