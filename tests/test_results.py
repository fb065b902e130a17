"""Results a shell user can act on: output modes, exclusion, honest totals,
identifiers, accents, spellings and corrections, through the real CLI."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from searcher.index import update_index
from searcher.query import SearchRequest, search
from tests.conftest import section_rows

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "searcher" / "data" / "schema.json").read_text())
# vim's default 'errorformat' entry that reads grep-like lines: %f:%l:%c:%m
ERRORFORMAT = re.compile(r"^(?P<f>[^:]+):(?P<l>\d+):(?P<c>\d+):(?P<m>.*)$")


def run_json(cli, index, *args: str) -> dict:
    result = cli("search", "--json", "--index", index, "-n", "200", *args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["hits"] else 1)  # 0 when something matched, 1 when nothing did
    validate(data)
    return data


def validate(data: dict) -> None:
    import jsonschema

    jsonschema.validate(data, SCHEMA)


DOCS = {
    "pandas.txt": "Counting values\n\nSeries.value_counts returns a Series of counts; see DataFrame.groupby too.\n",
    "catalog.txt": "System catalogs\n\nThe column pg_class.oid identifies a table; pg_index refers to it.\n",
    "paths.txt": "Joining paths\n\nUse os.path.join to build a path, never string concatenation.\n",
    "rebase.txt": "Rewriting history\n\nRun git-rebase to move commits onto another base.\n",
    "django.txt": "Widgets\n\nRadioSelect renders a list of radio inputs. QuerySet.filter narrows a query.\n",
    "cafe.txt": "Places\n\nWe met at the café near the station for a light-weight lunch.\n",
    "manners.txt": "Manners\n\nChildren's behavior at school and their colour drawings.\n",
    "words.txt": "Words\n\nThe words opioids and suboxone and read only appear here.\n",
    "title.html": "<title>Zeppelins and more</title><h2>About airships</h2><p>Nothing here names the title.</p>",
}


@pytest.fixture(scope="module")
def docs_index(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("docs")
    for name, text in DOCS.items():
        (base / "docs" / name).parent.mkdir(exist_ok=True)
        (base / "docs" / name).write_text(text, encoding="utf-8")
    update_index(base / "index", [base / "docs"], workers=1)
    return base / "index"


def docs_of(data: dict) -> set[str]:
    return {Path(h["doc"]).name for h in data["hits"]}


# --- output modes ---------------------------------------------------------


def test_files_with_matches_lists_each_matching_file_once(cli, corpus_index) -> None:
    out = cli("search", "--index", corpus_index, "-l", "heroin").stdout.splitlines()
    everything = run_json(cli, corpus_index, "heroin", "-n", "1000")
    assert len(out) == len(set(out)) == len({h["doc"] for h in everything["hits"]}) > 1
    assert cli("search", "--index", corpus_index, "--files-with-matches", "heroin").stdout.splitlines() == out


def test_count_gives_matching_sections_per_file(cli, corpus_index, monkeypatch) -> None:
    monkeypatch.chdir(corpus_index.parent / "corpus")  # paths print as the documents' names
    out = cli("search", "--index", corpus_index, "-c", "methadone").stdout.splitlines()
    everything = run_json(cli, corpus_index, "methadone", "-n", "1000")
    counts = {line.rsplit(":", 1)[0]: int(line.rsplit(":", 1)[1]) for line in out}
    expected: dict[str, int] = {}
    for h in everything["hits"]:
        expected[h["doc"]] = expected.get(h["doc"], 0) + 1
    assert counts == expected and sum(counts.values()) == everything["total"]


def test_vimgrep_lines_parse_with_vims_errorformat(cli, corpus_index) -> None:
    corpus = corpus_index.parent / "corpus"
    out = cli("search", "--index", corpus_index, "--vimgrep", "-n", "20", "relapse").stdout.splitlines()
    assert len(out) == 20
    for line in out:
        m = ERRORFORMAT.match(line)
        assert m, line
        lines = (corpus / m["f"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(m["l"]) <= len(lines) and m["c"] == "1"
        heading = m["m"].split(": ", 1)[0].split(" › ")[-1]
        assert heading and heading in lines[int(m["l"]) - 1], (line, lines[int(m["l"]) - 1])


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
def test_vim_opens_vimgrep_output(cli, corpus_index, tmp_path) -> None:
    corpus = corpus_index.parent / "corpus"
    errors = tmp_path / "errors.txt"
    result = subprocess.run(
        [sys.executable, "-m", "searcher", "search", "--index", str(corpus_index), "--vimgrep", "craving"],
        capture_output=True,
        text=True,
        cwd=corpus,
    )
    errors.write_text(result.stdout)
    listed = tmp_path / "qf.txt"
    script = (
        f'call writefile(map(getqflist(), {{_, e -> e.valid . " " . e.lnum . " " . bufname(e.bufnr)}}), "{listed}")'
    )
    subprocess.run(
        ["vim", "-N", "-u", "NONE", "-i", "NONE", "-es", "-q", str(errors), "-c", script, "-c", "qa!"],
        cwd=corpus,
        check=True,
        timeout=60,
    )
    entries = listed.read_text().splitlines()
    assert len(entries) == len(result.stdout.splitlines()) > 0
    for entry, line in zip(entries, result.stdout.splitlines(), strict=True):
        valid, lnum, name = entry.split(" ", 2)
        assert valid == "1" and line.startswith(f"{name}:{lnum}:") and (corpus / name).is_file()


def test_color_always_never_and_auto(cli, corpus_index) -> None:
    always = cli("search", "--index", corpus_index, "--color", "always", "methadone").stdout
    assert "\x1b[1;31m" in always
    never = cli("search", "--index", corpus_index, "--color=never", "methadone").stdout
    auto = cli("search", "--index", corpus_index, "methadone").stdout  # not a terminal
    assert "\x1b[" not in never and never == auto
    assert re.sub(r"\x1b\[[0-9;]*m", "", always) == never


def test_therapy_tags_are_never_cut_inside_a_name(cli, corpus_index) -> None:
    names = {t for s in section_rows(corpus_index) for t in s["therapies"]}
    for columns in ("40", "60", "80"):
        out = cli("search", "--index", corpus_index, "-n", "50", "heroin", env={"COLUMNS": columns}).stdout
        for tags in re.findall(r"\[([^\]\n]*)", out):
            for name in filter(None, (t.strip(" ,…") for t in tags.split(","))):
                assert name in names, (columns, name)


def test_hits_are_grouped_under_their_document(cli, corpus_index, monkeypatch) -> None:
    monkeypatch.chdir(corpus_index.parent / "corpus")  # paths print as the documents' names
    out = cli("search", "--index", corpus_index, "-n", "12", "relapse").stdout
    docs = [line.split(":")[0] for line in out.splitlines() if line and not line.startswith(" ")][:-1]
    assert len(docs) == len(set(docs)) >= 2  # each document once
    hits = run_json(cli, corpus_index, "relapse", "-n", "12")["hits"]
    assert docs == list(dict.fromkeys(h["doc"] for h in hits))  # in the order of each one's best hit
    assert sum(bool(re.match(r"  \d+: ", line)) for line in out.splitlines()) == 12


def test_kind_filter(cli, corpus_index) -> None:
    kinds = {s["kind"] for s in section_rows(corpus_index)}
    for kind in kinds:
        data = run_json(cli, corpus_index, "--kind", kind, "heroin")
        assert data["hits"] and {h["kind"] for h in data["hits"]} == {kind}
    both = run_json(cli, corpus_index, "--kind", "body", "--kind", "list", "heroin")
    assert both["total"] == sum(run_json(cli, corpus_index, "--kind", k, "heroin")["total"] for k in ("body", "list"))
    assert cli("search", "--index", corpus_index, "--kind", "poem", "x").exit_code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["methadone"],
        ["drug", "court"],
        ["zeppelin"],
        ["-methadone"],
        ["heroin", "-methadone", "+relapse"],
        ["methadon"],
        ["--therapy", "cbt"],
        ['"peer support"', "OR", "craving*"],
        ["what", "is", "CBT?"],
    ],
)
def test_every_json_object_follows_the_schema(cli, corpus_index, args: list[str]) -> None:
    data = run_json(cli, corpus_index, "--", *args) if args[0] != "--therapy" else run_json(cli, corpus_index, *args)
    assert data["version"] == 1
    tiers = [h["tier"] for h in data["hits"]]
    assert tiers == sorted(tiers)  # "all words" before "some words"


def test_tier_says_which_hits_hold_every_word(cli, corpus_index) -> None:
    data = run_json(cli, corpus_index, "family", "craving")
    assert {h["tier"] for h in data["hits"]} == {"all words", "some words"}
    for h in data["hits"]:
        text = (h["heading"] + " " + " ".join(h["heading_path"]) + " " + h["text"]).lower()
        both = "famil" in text and "craving" in text
        assert both == (h["tier"] == "all words"), h["heading"]


def test_broken_pipe_after_a_match_exits_0(corpus_index) -> None:
    script = (
        f"{sys.executable} -m searcher search --index {corpus_index} -n 5000 heroin | head -1 >/dev/null;"
        ' echo "${PIPESTATUS[0]}"'
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0" and "Traceback" not in out.stderr and "Broken" not in out.stderr


# --- query language -------------------------------------------------------


def test_minus_excludes_and_plus_requires(cli, corpus_index) -> None:
    heroin = run_json(cli, corpus_index, "heroin")
    without = run_json(cli, corpus_index, "--", "heroin", "-methadone")
    assert 0 < without["total"] < heroin["total"]
    assert all("methadone" not in (h["text"] + h["heading"]).lower() for h in without["hits"])
    with_not = run_json(cli, corpus_index, "heroin", "NOT", "methadone")
    assert with_not["total"] == without["total"]
    required = run_json(cli, corpus_index, "--", "+methadone", "relapse", "craving")
    assert required["hits"] and all("methadone" in (h["text"] + h["heading"]).lower() for h in required["hits"])
    loose = run_json(cli, corpus_index, "methadone", "relapse", "craving")
    assert loose["total"] > required["total"]


def test_only_exclusions_list_what_is_left(cli, corpus_index) -> None:
    every = len(list(section_rows(corpus_index)))
    methadone = run_json(cli, corpus_index, "methadone")["total"]
    data = run_json(cli, corpus_index, "--", "-methadone")
    assert data["total"] == every - methadone and data["hits"]
    assert run_json(cli, corpus_index, "NOT", "methadone")["total"] == data["total"]


@pytest.mark.parametrize(
    ("args", "hint"),
    [(["heroin", "-methadone"], True), (["heroin", "-q"], False), (["heroin", "--colour"], False), (["-x"], False)],
)
def test_dash_hint_only_for_a_query_word(cli, corpus_index, args: list[str], hint: bool) -> None:
    result = cli("search", "--index", corpus_index, *args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert ("goes after '--'" in result.stderr) == hint, result.stderr
    if hint:  # the command to run instead keeps every word and the options, after and before '--'
        assert result.stderr.rstrip().endswith(f" search --index {corpus_index} -- heroin -methadone)")


def test_a_word_that_matched_nothing_is_named(cli, corpus_index) -> None:
    data = run_json(cli, corpus_index, "drug", "court")
    assert data["unmatched"] == ["court"] and data["hits"]
    out = cli("search", "--index", corpus_index, "drug", "court").stdout
    assert out.rstrip().splitlines()[-1] == "no section holds: court"
    assert run_json(cli, corpus_index, "drug", "heroin")["unmatched"] == []


# --- ranking and totals ---------------------------------------------------


def test_title_words_do_not_make_every_section_a_match(cli, corpus_index) -> None:
    sections = list(section_rows(corpus_index))
    holding = [s for s in sections if "heroin" in (s["text"] + " ".join(s["heading_path"])).lower()]
    assert run_json(cli, corpus_index, "heroin")["total"] == len(holding) < len(sections)


def test_a_word_only_in_the_title_matches_no_section(cli, docs_index) -> None:
    assert run_json(cli, docs_index, "zeppelins")["total"] == 0
    airships = run_json(cli, docs_index, "airships")
    assert airships["total"] == 1 and docs_of(airships) == {"title.html"}


def test_the_title_lifts_sections_that_match(tmp_path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    page = "<title>{}</title><h2>Dosing</h2><p>The dose of the salt matters.</p>"
    (docs / "a.html").write_text(page.format("Lithium"))
    (docs / "b.html").write_text(page.format("Other salts"))
    update_index(tmp_path / "index", [docs], workers=1)
    result = search(tmp_path / "index", SearchRequest("lithium dose"))
    assert [Path(h.section.doc).name for h in result.hits] == ["a.html", "b.html"]
    assert result.hits[0].tier == "some words" and result.total == 2


# --- analysis -------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "doc"),
    [
        ("value_counts", "pandas.txt"),
        ("Series.value_counts", "pandas.txt"),
        ("value counts", "pandas.txt"),
        ("pg_class.oid", "catalog.txt"),
        ("pg_class", "catalog.txt"),
        ("oid", "catalog.txt"),
        ("os.path.join", "paths.txt"),
        ("path.join", "paths.txt"),
        ("git-rebase", "rebase.txt"),
        ("rebase", "rebase.txt"),
        ("QuerySet.filter", "django.txt"),
        ("queryset", "django.txt"),
        ("django.forms.RadioSelect", "django.txt"),
        ("forms.RadioSelect", "django.txt"),
    ],
)
def test_identifiers_are_found_as_typed_and_by_their_parts(cli, docs_index, query: str, doc: str) -> None:
    data = run_json(cli, docs_index, query)
    assert docs_of(data) == {doc}, data["explain"]
    assert data["suggestion"] is None
    assert any(h["highlights"] for h in data["hits"])


def test_a_hyphenated_phrase_is_its_words_in_order(cli, corpus_index) -> None:
    data = run_json(cli, corpus_index, '"trauma-informed care"')
    assert "Trauma-Informed Care: Definition and Benefits" in [h["heading"] for h in data["hits"]]
    for h in data["hits"]:
        assert re.search(r"trauma.informed care", (h["heading"] + " " + h["text"]).lower()), h["heading"]


def test_a_phrase_of_an_identifiers_words_finds_it(cli, docs_index) -> None:
    assert docs_of(run_json(cli, docs_index, '"value counts"')) == {"pandas.txt"}
    assert docs_of(run_json(cli, docs_index, '"os.path.join to build"')) == {"paths.txt"}
    assert docs_of(run_json(cli, docs_index, '"run git rebase"')) == {"rebase.txt"}


def test_accents_are_folded(cli, docs_index) -> None:
    assert docs_of(run_json(cli, docs_index, "cafe")) == {"cafe.txt"}
    assert docs_of(run_json(cli, docs_index, "CAFÉ")) == {"cafe.txt"}
    hit = run_json(cli, docs_index, "cafe")["hits"][0]
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "café"


@pytest.mark.parametrize("query", ["behaviour", "behavior", "behavioural", "color", "colours"])
def test_british_and_american_spellings_meet(cli, docs_index, query: str) -> None:
    data = run_json(cli, docs_index, query)
    assert docs_of(data) == {"manners.txt"} and data["suggestion"] is None


@pytest.mark.parametrize(
    "word", ["light-weight", "read-only", "read_only", "creme", "carving", "prescribe", "reply", "pg_clas.oid"]
)
def test_corrections_never_rewrite_real_words_or_identifiers(cli, corpus_index, docs_index, word: str) -> None:
    for index in (corpus_index, docs_index):
        assert run_json(cli, index, word)["suggestion"] is None, word


@pytest.mark.parametrize(("typo", "fixed"), [("opiods", "opioids"), ("suboxon", "suboxone"), ("suboxen", "suboxone")])
def test_corrections_reach_two_edit_misspellings(cli, docs_index, typo: str, fixed: str) -> None:
    data = run_json(cli, docs_index, typo)
    assert data["suggestion"] == fixed and docs_of(data) == {"words.txt"}


def test_spelling_candidates_are_computed_once_per_index_generation(tmp_path) -> None:
    from searcher import correct as q
    from searcher.store import open_index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Methadone\n\nMethadone maintenance.\n")
    update_index(tmp_path / "index", [docs], workers=1)
    calls = []

    def counting(reader, *args):
        calls.append(1)
        return original(reader, *args)

    original = q._letters
    q._letters, q._VOCABULARY = counting, {}
    try:
        for typo in ("methadome", "methadine", "methadome"):
            assert search(tmp_path / "index", SearchRequest(typo)).suggestion == "methadone"
        assert len(calls) == 1  # one vocabulary for the generation, not one per query
        (docs / "b.txt").write_text("Maintenance\n\nMaintenance dosing.\n")
        update_index(tmp_path / "index", [docs], workers=1)
        assert search(tmp_path / "index", SearchRequest("maintenence")).suggestion == "maintenance"
        assert len(calls) == 2  # a new generation: computed again
    finally:
        q._letters = original
    assert open_index(tmp_path / "index")


def test_english_words_are_looked_up_from_a_cache_file(tmp_path) -> None:
    code = (
        "from searcher.english import is_english, cache_dir;"
        "print(is_english('carving'), is_english('opiods'), sorted(p.name for p in cache_dir().iterdir()))"
    )
    env = os.environ | {"SEARCHER_CACHE": str(tmp_path / "cache")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.startswith("True False ['english-words-")
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert second.stdout == first.stdout


# --- counting -------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "heroin",
        "family support",
        "heroin NOT methadone",
        "-methadone",
        '"peer support"',
        "relap*",
        "(cbt OR dbt) AND relapse",
        "+heroin craving trigger",
    ],
)
def test_counts_equal_whooshs_own_matcher(corpus_index, query: str) -> None:
    from whoosh.scoring import BM25F

    from searcher.count import count
    from searcher.parse import only_exclusions, signs
    from searcher.query import prepare
    from searcher.rank import loosen
    from searcher.store import open_index
    from searcher.tag import default_taxonomy

    ix = open_index(corpus_index)
    with ix.searcher(weighting=BM25F()) as s:
        signed, _ = signs(query)
        parsed = only_exclusions(prepare(signed, ix.schema, s.reader(), default_taxonomy()))
        for form in (parsed, loosen(parsed)):
            assert count(s, form) == len(set(s.docs_for_query(form))) > 0


def test_counts_leave_out_deleted_sections_across_segments(tmp_path, corpus_copy) -> None:
    from whoosh.scoring import BM25F

    from searcher.count import count
    from searcher.store import open_index

    index = tmp_path / "index"
    update_index(index, [corpus_copy], workers=1)
    (corpus_copy / "extra.txt").write_text("Heroin\n\nA second segment about heroin.\n")
    victim = sorted(corpus_copy.glob("00*.txt"))[0]
    victim.write_text(victim.read_text().replace("heroin", "opium").replace("Heroin", "Opium"))
    update_index(index, [corpus_copy], workers=1)
    ix = open_index(index)
    with ix.searcher(weighting=BM25F()) as s:
        assert len(s.reader().leaf_readers()) > 1 or s.reader().has_deletions()
        from whoosh.qparser import QueryParser

        parsed = QueryParser("body", ix.schema).parse("heroin")
        assert count(s, parsed) == len(set(s.docs_for_query(parsed)))
    everything = search(index, SearchRequest("heroin", limit=1000))
    assert everything.total == len(everything.hits) > 0


def test_a_total_past_the_bound_is_estimated_and_says_about(cli, corpus_index, monkeypatch) -> None:
    from searcher import count as q

    exact = run_json(cli, corpus_index, "heroin", "recovery")
    assert exact["total_exact"] is True
    monkeypatch.setattr(q, "COUNT_EXACT", 10)
    data = run_json(cli, corpus_index, "heroin", "recovery")
    assert data["total_exact"] is False and abs(data["total"] - exact["total"]) <= 0.3 * exact["total"]
    assert data["hits"] == exact["hits"]
    footer = cli("search", "--index", corpus_index, "heroin", "recovery").stdout.rstrip().splitlines()[-1]
    assert footer.startswith(f"about {data['total']:,} matching sections")


def test_a_kind_alone_lists_the_sections_of_that_kind(cli, corpus_index) -> None:
    data = run_json(cli, corpus_index, "--kind", "faq", "-n", "500")
    assert data["hits"] and all(h["kind"] == "faq" for h in data["hits"])
    assert data["total"] == sum(1 for s in section_rows(corpus_index) if s["kind"] == "faq")


@pytest.mark.parametrize("mode", ["-l", "-c", "--vimgrep"])
def test_grep_modes_say_a_correction_and_the_query_on_stderr(cli, corpus_index, mode: str) -> None:
    result = cli("search", "--index", corpus_index, mode, "--explain", "bupernorphine")
    assert result.exit_code == 0 and result.stdout.strip()  # hits only on stdout
    lines = result.stderr.splitlines()
    assert lines[0] == "searcher: showing results for: buprenorphine" and lines[1].startswith("searcher: query: ")
