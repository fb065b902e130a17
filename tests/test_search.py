"""Searching from the shell through the real CLI over a real index of the shipped corpus."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searcher.query import SearchRequest, search
from tests.conftest import section_rows

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "searcher" / "data" / "schema.json").read_text())


def hits(cli, index, *args: str) -> dict:
    """The JSON of a search, checked against the documented schema."""
    import jsonschema

    result = cli("search", "--json", "--index", index, "-n", "200", *args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["hits"] else 1)  # 0 when something matched, 1 when nothing did
    jsonschema.validate(data, SCHEMA)
    return data


def headings(data: dict) -> list[str]:
    return [h["heading"] for h in data["hits"]]


def test_json_output_has_the_documented_fields(cli, corpus_index) -> None:
    data = hits(cli, corpus_index, "methadone")
    assert set(data) >= {"query", "total", "suggestion", "hits", "explain"}
    assert data["query"] == "methadone" and data["suggestion"] is None and data["total"] >= len(data["hits"]) > 0
    hit = data["hits"][0]
    keys = {"doc", "title", "heading", "heading_path", "kind", "therapies", "line_start", "line_end", "score"}
    assert keys | {"snippet", "text"} <= set(hit)
    assert "methadone" in hit["text"].lower()
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end].lower() == "methadone"


def test_hit_lines_point_at_the_source_file(cli, corpus_index) -> None:
    corpus = corpus_index.parent / "corpus"
    found = hits(cli, corpus_index, "narrative")["hits"]
    assert len(found) >= 10
    for hit in found:
        lines = (corpus / hit["doc"]).read_text(encoding="utf-8").splitlines()
        assert hit["heading"] in lines[hit["line_start"] - 1], (hit["heading"], hit["line_start"])
        assert hit["line_start"] <= hit["line_end"] <= len(lines)


def test_human_output_names_file_line_and_section(cli, corpus_index, monkeypatch) -> None:
    monkeypatch.chdir(corpus_index.parent / "corpus")  # paths print as they open from here
    result = cli("search", "--index", corpus_index, "contingency", "management", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    first, second, third = result.stdout.splitlines()[:3]
    # grouped under the document: its path and title once, its sections below
    assert first.startswith("001_2190117fb8c6e72a.txt: What therapies and counseling") and len(first) <= 80
    assert second == "  37: Contingency Management (CM) for heroin addiction"
    assert third == "      [cbt, contingency-management, dbt]"  # therapies that do not fit go on their own line
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert result.stdout.rstrip().splitlines()[-1] == "19 matching sections, 10 shown"  # 4 hold both words


def test_exit_status_follows_ripgrep(cli, corpus_index) -> None:
    assert cli("search", "--index", corpus_index, "methadone").exit_code == 0
    nothing = cli("search", "--index", corpus_index, "zeppelin")
    assert nothing.exit_code == 1 and "0 matching sections" in nothing.stdout
    bad = cli("search", "--index", corpus_index, "x", "--therapy", "astrology")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "known:" in bad.stderr
    assert cli("search", "--index", corpus_index, "x", "--limit", "0").exit_code == 2


@pytest.mark.parametrize(
    ("query", "expected", "every_hit"),
    [
        ('"peer support group"', "Starting a Peer Support Group", r"peer support group"),
        ("contingency AND rewards", "Contingency Management (CM) for heroin addiction", None),  # rewards: a CM alias
        ("heading:aftercare OR heading:relapse", "Aftercare Resources", r"^[^\n]*(?:aftercare|relaps)"),
        ("dialect*", "Dialectical Behavioral Therapy (DBT) for heroin addiction", r"dialect"),
        (
            "heading:aftercare NOT trauma",
            "The importance of aftercare in heroin addiction treatment",
            r"^[^\n]*aftercare",
        ),
    ],
)
def test_whoosh_query_language(cli, corpus_index, query: str, expected: str, every_hit: str | None) -> None:
    data = hits(cli, corpus_index, query)
    assert expected in headings(data)
    for h in data["hits"] if every_hit else ():  # the heading on the first line, then the text
        assert re.search(every_hit, h["heading"].lower() + "\n" + h["text"].lower()), (query, h["heading"])
    if "NOT trauma" in query:
        assert all("trauma" not in h["text"].lower() for h in data["hits"])


def test_phrase_means_the_words_in_order(cli, corpus_index) -> None:
    found = hits(cli, corpus_index, '"coping skills"')["hits"]
    assert len(found) >= 5
    for hit in found:
        assert "coping skills" in (hit["heading"] + " " + hit["text"]).lower()


@pytest.mark.parametrize(("typed", "stored"), [("therapists", "therapist"), ("relapses", "relapse")])
def test_stemming(cli, corpus_index, typed: str, stored: str) -> None:
    data = hits(cli, corpus_index, typed)
    assert any(stored in h["text"].lower() for h in data["hits"])


def test_british_and_american_spellings_meet(cli, corpus_index) -> None:
    assert hits(cli, corpus_index, "counselling")["total"] == hits(cli, corpus_index, "counseling")["total"] > 0


@pytest.mark.parametrize("acronym", ["CBT", "MAT", "DBT", "MI", "NA", "CM"])
def test_acronym_finds_every_section_tagged_with_it(cli, corpus_index, acronym: str) -> None:
    from searcher.tag import default_taxonomy

    tid = default_taxonomy().resolve(acronym)
    tagged = {s["id"] for s in section_rows(corpus_index) if tid in s["therapies"]}
    found = hits(cli, corpus_index, acronym)
    assert tagged <= {h["id"] for h in found["hits"]}
    top = found["hits"][0]
    assert acronym in top["heading"] + top["text"]  # the typed word outranks the expansion


def test_spelled_out_name_finds_the_acronym_only_sections(cli, corpus_index) -> None:
    ids = {h["id"] for h in hits(cli, corpus_index, "cognitive behavioral therapy")["hits"]}
    acronym_only = [
        s["id"]
        for s in section_rows(corpus_index)
        if re.search(r"\bCBT\b", s["text"]) and not re.search(r"cognitive.behavio", s["text"], re.I)
    ]
    assert acronym_only and set(acronym_only) <= ids


@pytest.mark.parametrize(
    ("typo", "fixed"),
    [
        ("methadon", "methadone"),
        ("cognitve", "cognitive"),
        ("relapce", "relapse"),
        ("narative therapy", "narrative therapy"),
    ],
)
def test_typos_are_corrected_from_the_index_vocabulary(cli, corpus_index, typo: str, fixed: str) -> None:
    data = hits(cli, corpus_index, typo)
    assert data["suggestion"] == fixed and data["hits"]
    human = cli("search", "--index", corpus_index, typo)
    assert f"showing results for: {fixed}" in human.stdout


@pytest.mark.parametrize("word", ["night", "cocaine", "zeppelin"])
def test_real_words_absent_from_the_corpus_get_no_invented_correction(cli, corpus_index, word: str) -> None:
    assert hits(cli, corpus_index, word)["suggestion"] is None


def test_natural_question_is_not_empty_and_all_words_rank_first(cli, corpus_index) -> None:
    data = hits(cli, corpus_index, "what can I do when cravings hit at night")
    assert data["hits"] and "crav" in data["hits"][0]["text"].lower()
    data = hits(cli, corpus_index, "family", "support", "zeppelin")
    assert data["hits"]  # one missing word does not empty the result
    strict = hits(cli, corpus_index, "family AND support AND recovery")
    loose = hits(cli, corpus_index, "family support recovery")
    n = len(strict["hits"])
    assert n and [h["id"] for h in loose["hits"][:n]] == [h["id"] for h in strict["hits"]]


def test_section_filter_keeps_the_heading_path(cli, corpus_index) -> None:
    data = hits(cli, corpus_index, "support", "--section", "professional treatment")
    assert data["hits"]
    for h in data["hits"]:
        assert (
            "professional" in " ".join(h["heading_path"]).lower() and "treatment" in " ".join(h["heading_path"]).lower()
        )
    sub = hits(cli, corpus_index, "strategies", "--section", "conclusion")
    assert "Recap of Key Strategies" in headings(sub)


def test_therapy_filter_accepts_any_name_and_repeats(cli, corpus_index) -> None:
    for name in ("cbt", "CBT", "cognitive behavioral therapy"):
        data = hits(cli, corpus_index, "relapse", "--therapy", name)
        assert data["hits"] and all("cbt" in h["therapies"] for h in data["hits"])
    both = hits(cli, corpus_index, "heroin", "--therapy", "dbt", "--therapy", "motivational interviewing")
    assert {"dbt", "motivational-interviewing"} <= {t for h in both["hits"] for t in h["therapies"]}
    assert all({"dbt", "motivational-interviewing"} & set(h["therapies"]) for h in both["hits"])


def test_filters_apply_before_ranking_not_to_a_truncated_top_n(corpus_index) -> None:
    everything = search(corpus_index, SearchRequest("heroin", limit=1000))
    last = everything.hits[-1]
    filtered = search(
        corpus_index, SearchRequest("heroin", doc_glob=last.section.doc, section=last.section.heading, limit=1)
    )
    assert filtered.hits and filtered.hits[0].section.doc == last.section.doc


def test_doc_glob_and_per_doc(cli, corpus_index) -> None:
    data = hits(cli, corpus_index, "heroin", "--doc", "00[12]_*")
    assert data["hits"] and {h["doc"][:3] for h in data["hits"]} <= {"001", "002"}
    capped = hits(cli, corpus_index, "heroin", "--per-doc", "2")
    per_doc: dict[str, int] = {}
    for h in capped["hits"]:
        per_doc[h["doc"]] = per_doc.get(h["doc"], 0) + 1
    assert per_doc and max(per_doc.values()) == 2 and len(per_doc) == 5


def test_explain_shows_the_query_that_ran(cli, corpus_index) -> None:
    result = cli("search", "--index", corpus_index, "--explain", "CBT", "--therapy", "dbt")
    assert "therapies:cbt" in result.stdout and "FILTER" in result.stdout


def test_therapies_facets(cli, corpus_index) -> None:
    rows = json.loads(cli("therapies", "--index", corpus_index, "--json").stdout)
    cbt = next(r for r in rows if r["id"] == "cbt")
    tagged = [s for s in section_rows(corpus_index) if "cbt" in s["therapies"]]
    assert cbt["sections"] == len(tagged) > 0 and cbt["documents"] == len({s["doc"] for s in tagged})
    assert "CBT" in cbt["acronyms"]


def test_first_search_builds_the_index_from_corpus(cli, tmp_path, monkeypatch) -> None:
    from tests.conftest import CORPUS

    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEARCHER_INDEX", raising=False)
    result = cli("search", "methadone")
    assert result.exit_code == 0 and "building it from ./corpus/" in result.stderr
    assert (tmp_path / "index").is_dir()


def test_no_index_and_no_corpus_says_how_to_build(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("search", "--index", tmp_path / "none", "methadone")
    assert result.exit_code == 2 and "searcher index" in result.stderr and result.stderr.count("\n") == 1


def test_search_does_not_import_the_ingest_stack(corpus_index) -> None:
    code = (
        "import sys\nfrom searcher.cli import main\n"
        f"sys.argv = ['searcher', 'search', '--json', '--index', {str(corpus_index)!r}, 'methadone']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('bs4', 'lxml', 'html5lib', 'searcher.clean') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("query", ["methadone relapse", "narrative therapy", "recovery"])
def test_human_output_fits_the_columns_it_is_given(cli, corpus_index, query: str, monkeypatch) -> None:
    monkeypatch.chdir(corpus_index.parent)  # an absolute path alone can be longer than a line
    for columns in (80, 50):
        out = cli("search", "--index", corpus_index, "-n", "30", query, env={"COLUMNS": str(columns)}).stdout
        assert max(len(line) for line in out.splitlines()) <= columns


@pytest.mark.parametrize("query", ["family support", "heroin recovery", "CBT relapse"])
def test_total_counts_every_matching_section(corpus_index, query: str) -> None:
    page = search(corpus_index, SearchRequest(query, limit=3))
    everything = search(corpus_index, SearchRequest(query, limit=1000))
    assert page.total == everything.total == len(everything.hits) > 3
    with_filter = search(corpus_index, SearchRequest(query, limit=2, therapies=["peer support"]))
    assert with_filter.total == len(
        search(corpus_index, SearchRequest(query, limit=1000, therapies=["peer support"])).hits
    )


def test_snippet_marks_stemmed_matches_where_they_gather() -> None:
    from searcher.snippet import snippet

    text = "Intro words. " * 40 + "Relapses happen; relapse prevention plans reduce relapsing." + " Filler." * 40
    parts = snippet(text, {"relaps"})
    marked = [t for t, m in parts if m]
    assert marked == ["Relapses", "relapse", "relapsing"]
    assert parts[0] == ("…", False) and parts[-1] == ("…", False)
    assert len("".join(t for t, _ in parts)) <= 250
    assert snippet("Short text without the word.", {"relaps"}) == [("Short text without the word.", False)]


def test_prefix_is_searched_as_typed_not_stemmed(corpus_index) -> None:
    # The parser stems "pers" to "per", which would also find "period" and "perform".
    data = search(corpus_index, SearchRequest("dialect*", limit=50))
    assert data.hits and all("dialect" in (h.section.heading + h.section.text).lower() for h in data.hits)
    narrow = search(corpus_index, SearchRequest("pers*", limit=200))
    assert all(
        re.search(r"\bpers", (h.section.heading + " " + h.section.text + " " + h.section.title).lower())
        for h in narrow.hits
    )


def test_total_leaves_out_deleted_sections(tmp_path, corpus_copy) -> None:
    from whoosh import index as windex

    from searcher.index import update_index

    ix = tmp_path / "ix"
    update_index(ix, [corpus_copy], workers=1)
    before = search(ix, SearchRequest("sobriety", limit=1000))
    writer = windex.open_dir(str(ix)).writer()
    writer.delete_by_term("doc", "001_2190117fb8c6e72a.txt")
    writer.commit(merge=False)  # the deleted records stay in the segment, marked deleted
    after = search(ix, SearchRequest("sobriety", limit=1000))
    assert after.total == len(after.hits) < before.total == len(before.hits)
    assert not any(h.section.doc == "001_2190117fb8c6e72a.txt" for h in after.hits)


def test_snippet_text_has_single_spaces_between_marked_words(cli, corpus_index) -> None:
    out = cli("search", "--index", corpus_index, "-n", "3", "cognitive behavioral therapy").stdout
    assert "Cognitive Behavioral Therapy (CBT)" in out
    assert not any("  " in line.strip() for line in out.splitlines())


def _on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the CLI with stdout on a pseudo-terminal; (exit status, what it printed)."""
    import os
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "searcher", *args], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_and_never_with_no_color(corpus_index) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["search", "--index", str(corpus_index), "-n", "2", "relapse"]
    status, out = _on_a_terminal(args, env)
    assert status == 0 and "\x1b[1;31m" in out and "relapse" in out.lower()
    status, out = _on_a_terminal(args, env | {"NO_COLOR": "1"})
    assert status == 0 and "\x1b[" not in out and "relapse" in out.lower()


@pytest.mark.parametrize(
    ("question", "heading"),
    [("what is CBT?", "Cognitive Behavioral Therapy (CBT) for heroin addiction"), ("What is MAT?", "Overview of MAT")],
)
def test_a_question_mark_ends_a_question_not_a_wildcard(corpus_index, question: str, heading: str) -> None:
    result = search(corpus_index, SearchRequest(question, limit=5))
    assert result.suggestion is None and heading in [h.section.heading for h in result.hits]


def test_a_multi_word_therapy_name_keeps_its_words_together(corpus_index) -> None:
    result = search(corpus_index, SearchRequest("twelve step", limit=3))
    assert "step" not in result.hits[0].section.heading.lower() or "12" in result.hits[0].section.text
    assert all(
        re.search(r"12.step|twelve.step", h.section.text, re.I) or "twelve-step" in h.section.therapies
        for h in result.hits
    )


def test_a_therapy_name_is_never_corrected(corpus_index) -> None:
    assert search(corpus_index, SearchRequest("MOUD")).suggestion is None


def test_a_named_index_folder_is_never_built_into(cli, tmp_path, monkeypatch) -> None:
    from tests.conftest import CORPUS

    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    result = cli("search", "--index", tmp_path / "elsewhere", "methadone")
    assert result.exit_code == 2 and "no index at" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_prefix_matches_are_highlighted(corpus_index) -> None:
    result = search(corpus_index, SearchRequest("detox*", limit=3))
    assert result.hits and all(any(m and t.lower().startswith("detox") for t, m in h.snippet) for h in result.hits)


def test_paths_below_the_current_folder_open_from_it(cli, tmp_path, monkeypatch) -> None:
    from tests.conftest import CORPUS

    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    cli("index", "corpus")
    first = cli("search", "contingency", "management").stdout.splitlines()[0]
    assert first.startswith("corpus/001_2190117fb8c6e72a.txt: ")
    assert (tmp_path / first.split(":")[0]).is_file()
    vim = cli("search", "--vimgrep", "contingency", "management").stdout.splitlines()[0]
    assert vim.startswith("corpus/001_2190117fb8c6e72a.txt:37:1:")


def test_filters_alone_list_the_sections_they_keep(cli, corpus_index) -> None:
    data = hits(cli, corpus_index, "--therapy", "cbt")
    tagged = {s["id"] for s in section_rows(corpus_index) if "cbt" in s["therapies"]}
    assert {h["id"] for h in data["hits"]} == tagged and data["total"] == len(tagged)
    assert cli("search", "--index", corpus_index).exit_code == 2
