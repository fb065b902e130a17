"""searcher similar: sections like a given one, on the shipped corpus."""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from searcher.index import update_index
from tests.conftest import CORPUS, ROOT, section_rows

SCHEMA = json.loads((ROOT / "searcher" / "data" / "similar.schema.json").read_text(encoding="utf-8"))
CBT_DOC = "001_2190117fb8c6e72a.txt"
CBT_ID = f"{CBT_DOC}#cognitive-behavioral-therapy-cbt-for-heroin-addiction"


def similar_json(cli, ix, *args) -> dict:
    result = cli("similar", "--json", "--index", ix, *args)
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    jsonschema.validate(out, SCHEMA)
    return out


def cbt_sections_of_other_documents(ix) -> set[str]:
    return {s["id"] for s in section_rows(ix) if "cbt" in s["therapies"] and s["doc"] != CBT_DOC}


def test_the_cbt_section_finds_the_cbt_sections_of_the_other_articles_first(cli, corpus_index):
    wanted = cbt_sections_of_other_documents(corpus_index)
    assert len(wanted) >= 3
    out = similar_json(cli, corpus_index, CBT_ID, "-n", "10")
    ids = [h["id"] for h in out["hits"]]
    assert set(ids[: len(wanted)]) == wanted
    assert all(h["doc"] != CBT_DOC for h in out["hits"])  # its own document is left out
    assert out["source"]["id"].endswith("/" + CBT_ID)  # ids hold the file's absolute path
    scores = [h["score"] for h in out["hits"]]
    assert scores == sorted(scores, reverse=True)


def test_path_line_names_the_section_like_search_prints_it(cli, corpus_index, monkeypatch):
    monkeypatch.chdir(corpus_index.parent)  # the indexed copy is ./corpus from here
    by_id = similar_json(cli, corpus_index, CBT_ID)
    for target in (f"corpus/{CBT_DOC}:19", f"corpus/{CBT_DOC}:21", f"{CBT_DOC}:23"):
        out = similar_json(cli, corpus_index, target)
        assert out["source"]["id"] == by_id["source"]["id"], target
        assert [h["id"] for h in out["hits"]] == [h["id"] for h in by_id["hits"]]
    human = cli("similar", "--index", corpus_index, f"corpus/{CBT_DOC}:19", "-n", "2")
    assert human.exit_code == 0
    lines = human.stdout.splitlines()
    assert lines[0].startswith(f"like corpus/{CBT_DOC}:19: Cognitive Behavioral Therapy")
    assert lines[-1].endswith("2 shown")
    assert sum(line.startswith("corpus/") for line in lines[1:]) == 2


def test_same_doc_adds_the_own_document_after_the_others(cli, corpus_index):
    others_out = similar_json(cli, corpus_index, CBT_ID, "-n", "200")
    both_out = similar_json(cli, corpus_index, CBT_ID, "-n", "200", "--same-doc")
    others, both = others_out["hits"], both_out["hits"]
    # With room for every one, the hits are all the sections counted.
    assert len(others) == others_out["total"] and len(both) == both_out["total"] > len(others)
    docs = [h["doc"] for h in both]
    first_own = docs.index(CBT_DOC)
    assert all(d != CBT_DOC for d in docs[:first_own]) and all(d == CBT_DOC for d in docs[first_own:])
    assert [h["id"] for h in both[:first_own]] == [h["id"] for h in others]
    assert both_out["source"]["id"] not in {h["id"] for h in both}  # never the section itself


@pytest.fixture(scope="module")
def with_a_copy(tmp_path_factory):
    """The corpus plus a page that copies the CBT section with a few words changed."""
    base = tmp_path_factory.mktemp("similar-copy")
    shutil.copytree(CORPUS, base / "corpus")
    cbt = next(s for s in iter_sections_of(base) if s["id"].endswith("/" + CBT_ID))
    text = cbt["text"].replace("widely used", "popular").replace("The goal", "The aim")
    (base / "corpus" / "copied.txt").write_text(f"Copied Page\n\n{cbt['heading']}\n\n{text}\n", encoding="utf-8")
    update_index(base / "index", [base / "corpus"], workers=1)
    return base / "index"


def iter_sections_of(base):
    update_index(base / "first", [base / "corpus"], workers=1)
    return section_rows(base / "first")


def test_near_duplicates_are_marked(cli, with_a_copy):
    out = similar_json(cli, with_a_copy, CBT_ID)
    top = out["hits"][0]
    assert top["doc"] == "copied.txt" and top["near_duplicate"] is True and top["similarity"] >= 0.8
    assert not any(h["near_duplicate"] for h in out["hits"][1:])
    human = cli("similar", "--index", with_a_copy, CBT_ID, "-n", "3")
    lines = human.stdout.splitlines()
    marker = [i for i, line in enumerate(lines) if "near duplicate (" in line]
    assert len(marker) == 1
    header = next(line for line in reversed(lines[: marker[0]]) if not line.startswith(" "))
    assert header.startswith(str(with_a_copy.parent / "corpus" / "copied.txt") + ":")  # absolute from here
    assert lines[-1].endswith(", 1 near duplicate")


def test_a_rephrased_answer_is_similar_but_not_a_near_duplicate(cli, corpus_index):
    out = similar_json(
        cli, corpus_index, "002_6f4ab886f67e0ac6.txt#what-is-aftercare-in-heroin-addiction", "--same-doc", "-n", "200"
    )
    twin = next(h for h in out["hits"] if h["heading"].startswith("What is the Role of Aftercare"))
    assert 0.5 < twin["similarity"] < 0.8 and twin["near_duplicate"] is False


@pytest.mark.parametrize(
    "target",
    ["nosuch.txt:3", f"{CBT_DOC}#no-such-heading", f"{CBT_DOC}:x", ":4"],
)
def test_unknown_targets_are_one_line_errors(cli, corpus_index, target):
    result = cli("similar", "--index", corpus_index, target)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("searcher: ")


def test_no_index_is_an_error(cli, tmp_path):
    result = cli("similar", "--index", tmp_path / "none", CBT_ID)
    assert result.exit_code == 2 and "no index at" in result.stderr


def test_similar_has_the_output_modes_of_search(cli, corpus_index, monkeypatch):
    monkeypatch.chdir(corpus_index.parent / "corpus")
    hits = similar_json(cli, corpus_index, CBT_ID, "-n", "5")["hits"]
    files = cli("similar", "--index", corpus_index, CBT_ID, "-n", "5", "-l").stdout.splitlines()
    assert files == list(dict.fromkeys(h["doc"] for h in hits))
    vim = cli("similar", "--index", corpus_index, CBT_ID, "-n", "5", "--vimgrep").stdout.splitlines()
    assert [line.split(":")[:3] for line in vim] == [[h["doc"], str(h["line_start"]), "1"] for h in hits]
    both = cli("similar", "--index", corpus_index, CBT_ID, "--json", "-c")
    assert both.exit_code == 2 and both.stderr.startswith("searcher: choose one of")


def test_a_file_that_left_the_index_is_a_one_line_error(cli, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Alpha\n\nMethadone dosing starts low.\n", encoding="utf-8")
    (docs / "b.md").write_text("# Beta\n\nBuprenorphine dosing starts after withdrawal.\n", encoding="utf-8")
    update_index(tmp_path / "ix", [docs], workers=1)
    (docs / "a.md").unlink()
    update_index(tmp_path / "ix", [docs], workers=1)
    result = cli("similar", "--index", tmp_path / "ix", f"{docs / 'a.md'}:1")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("line", ["0", "99999"])
def test_a_line_outside_the_file_is_one_error_line(cli, corpus_index, line: str) -> None:
    result = cli("similar", "--index", corpus_index, f"000_fd7004bbd8f47188.txt:{line}")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert f"no section at line {line}" in result.stderr
