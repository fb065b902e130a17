"""Hostile queries and hostile text, through the real CLI over real indexes.

A query, whatever it holds, gets a result (exit 0 or 1, JSON that parses) or
one line on stderr (exit 2), never a traceback.  Text from documents never
reaches a terminal with its escape sequences; scripts and styles never reach
the index; stored paths stay inside their root.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import whoosh.index
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh.qparser import QueryParser

from searcher.cli import main
from tests.test_reliability import export_rows, run_searcher

RUNNER = CliRunner()
# Control characters a terminal acts on (newline and tab are layout).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def invoke(*args) -> object:
    """The real CLI in this process; an exception (a traceback) fails the test."""
    return RUNNER.invoke(main, [str(a) for a in args], catch_exceptions=False)


def check_answer(result, as_json: bool) -> None:
    """Exit 0 or 1 with a result, or exit 2 with one line on stderr."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("searcher: "), result.stderr
        assert result.stdout == ""
        return
    assert "Traceback" not in result.stderr
    if as_json:
        data = json.loads(result.stdout)
        assert isinstance(data["hits"], list) and data["total"] >= len(data["hits"])
        assert (result.exit_code == 0) == bool(data["hits"])
    else:
        assert not CONTROL.search(result.stdout)


# Queries ------------------------------------------------------------------------------

SYNTAX = [
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "'", "[", "]", "{", "}",
    "*", "?", "~", "~2", "^", "^2", ":", "-", "+", "\\", "/", "!", "&&", "||", "<", ">", "=", ",",
]  # fmt: skip
FIELDS = [
    "title:", "heading:", "body:", "section:", "doc:", "kind:", "therapies:", "id:", "file:", "words:",
    "line_start:", "heading_path:", "nosuchfield:", "*:", "body:*", "doc:*.txt",
]  # fmt: skip
WORDS = ["therapy", "heroin", "CBT", "dbt", "sleep", "methadone", "family", "x", "a", "the", "treatmnet", "naïve"]
TOKEN = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(FIELDS),
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=6),
)
SPACE = st.sampled_from(["", " ", " ", "  ", "\t", "\n"])
QUERY = st.lists(st.tuples(TOKEN, SPACE), max_size=14).map(lambda parts: "".join(t + s for t, s in parts))
HOSTILE = settings(
    max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HOSTILE
@given(query=QUERY)
@example(query="NOT NOT NOT x")
@example(query="OR x)) - NOT NOT }")
@example(query="")
@example(query="   \t\n ")
@example(query='"unclosed phrase')
@example(query="title:")
@example(query="*")
@example(query="?")
@example(query="~")
@example(query="heading_path:x line_start:[1 TO 5]")
@example(query="(" * 300 + "x" + ")" * 300)
def test_any_query_gets_a_result_or_one_line(corpus_index, query):
    check_answer(invoke("search", "--json", "--index", corpus_index, "--", query), as_json=True)
    check_answer(invoke("search", "--index", corpus_index, "--", query), as_json=False)


@HOSTILE
@given(
    query=QUERY,
    section=st.one_of(st.none(), QUERY),
    doc=st.one_of(st.none(), st.text(st.sampled_from("*?[]!/.-_ab0\\^"), max_size=10)),
    therapy=st.one_of(st.none(), st.sampled_from(["cbt", "CBT", "dialectical behavior therapy", "astrology", ""])),
)
def test_any_filter_gets_a_result_or_one_line(corpus_index, query, section, doc, therapy):
    args = []
    for option, value in (("--section", section), ("--doc", doc), ("--therapy", therapy)):
        if value is not None:
            args += [option, value]
    check_answer(invoke("search", "--json", "--index", corpus_index, *args, "--", query), as_json=True)


LONG = {
    "one-word": "a" * 10_000,
    "repeated-words": "therapy " * 1_250,
    "unknown-words": " ".join(f"zq{i:05d}xv" for i in range(1_000))[:10_000],
    "nested-parentheses": "(" * 5_000 + ")" * 5_000,
    "open-parentheses": "(" * 10_000,
    "operators": "NOT " * 2_500,
    "quotes": '"' * 10_000,
    "wildcards": "a* " * 3_333,
    "fuzzy": "therapy~2 " * 1_000,
    "fields": "title: " * 1_428,
    "mixed": "".join('ab()"*?~:^[]{} -+NOT'[(i * 7) % 21] for i in range(10_000)),
}


@pytest.mark.parametrize("name", list(LONG))
def test_10000_character_queries(corpus_index, name):
    query = LONG[name]
    assert len(query) >= 9_990
    check_answer(invoke("search", "--json", "--index", corpus_index, "--", query), as_json=True)


@pytest.mark.parametrize("query", ["ANDNOT ANDNOT ANDNOT therapy", "therapy ANDNOT ANDNOT ANDNOT"])
def test_queries_whoosh_cannot_parse_are_searched_as_words(corpus_index, query):
    with pytest.raises(AssertionError):  # the case reaches the fallback: Whoosh's own parser fails
        QueryParser("body", whoosh.index.open_dir(str(corpus_index)).schema).parse(query)
    result = invoke("search", "--json", "--index", corpus_index, "--", query)
    check_answer(result, as_json=True)
    hits = json.loads(result.stdout)["hits"]
    plain = json.loads(invoke("search", "--json", "--index", corpus_index, "therapy").stdout)["hits"]
    assert result.exit_code == 0 and hits, result.stderr
    assert [h["id"] for h in hits] == [h["id"] for h in plain]  # its words, searched as if typed alone


@pytest.mark.parametrize("query", ["", " ", "\t\n"])
def test_empty_query_is_one_line(corpus_index, query):
    result = invoke("search", "--index", corpus_index, "--", query)
    assert result.exit_code == 2
    check_answer(result, as_json=False)


def test_query_that_starts_with_a_dash_is_one_line(corpus_index):
    result = invoke("search", "--index", corpus_index, "-sleep")
    assert result.exit_code == 2
    check_answer(result, as_json=False)
    assert "--" in result.stderr  # says how to search for it


@pytest.mark.parametrize(
    "args",
    [
        ("search",),
        ("search", "x", "--limit", "0"),
        ("search", "x", "--per-doc", "many"),
        ("serch", "x"),
        ("index", "--workers", "-1"),
        ("export", "extra"),
    ],
)
def test_usage_errors_are_one_line(corpus_index, args):
    result = invoke(*args, "--index", corpus_index)
    assert result.exit_code == 2
    check_answer(result, as_json=False)


def test_query_bytes_that_are_not_utf8(corpus_index):
    done = run_searcher("search", "--json", "--index", corpus_index, os.fsdecode(b"caf\xe9 therapy"))
    assert done.returncode == 0, done.stderr  # the valid word is still searched
    assert json.loads(done.stdout)["hits"] and done.stderr == ""


# Hostile text -------------------------------------------------------------------------------

ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;owned title\x07 \x1b[2J \x9b6n \x07bell \x08back \x7fdel \x85nel \x1b"


@pytest.fixture(scope="module")
def escapes_index(tmp_path_factory):
    """Documents whose headings and text hold escape sequences, raw and as HTML entities."""
    base = tmp_path_factory.mktemp("escapes")
    docs = base / "docs"
    docs.mkdir()
    filler = "Plain sentences about sleep and recovery keep this file from looking binary. " * 20
    (docs / "raw.txt").write_text(
        f"Raw {ESCAPES} Heading\n\n{filler}\nescword sits beside {ESCAPES} in the text.\n", encoding="utf-8"
    )
    (docs / "entities.html").write_text(
        "<html><head><title>T&#27;]0;x&#7;</title></head><body><h1>Entity &#27;[31mHeading</h1>"
        "<p>entword &#27;[2J &#x1b;]0;owned&#7; &#155; &#x9b; &#127; &#8; &#0; end</p></body></html>",
        encoding="utf-8",
    )
    (docs / "name\x1b[31m.txt").write_text(f"Name Heading\n\n{filler}\nnameword text.\n", encoding="utf-8")
    ix = base / "index"
    assert invoke("index", docs, "--index", ix, "--workers", "1").exit_code == 0
    return docs, ix


@pytest.mark.parametrize("word", ["escword", "entword", "nameword"])
def test_escape_sequences_never_reach_the_terminal(escapes_index, word):
    _, ix = escapes_index
    human = invoke("search", "--index", ix, word)
    assert human.exit_code == 0, human.stderr
    assert not CONTROL.search(human.stdout), repr(human.stdout)
    explained = invoke("search", "--explain", "--index", ix, word)
    assert not CONTROL.search(explained.stdout)
    outline = invoke("sections", "--index", ix)
    assert outline.exit_code == 0 and not CONTROL.search(outline.stdout), repr(outline.stdout)
    for out in (invoke("search", "--json", "--index", ix, word).stdout, invoke("export", "--index", ix).stdout):
        assert not CONTROL.search(out.replace("\n", "")), repr(out)  # JSON escapes what it keeps
        for line in out.splitlines():
            json.loads(line)


def test_escape_sequences_are_not_indexed(escapes_index):
    _, ix = escapes_index
    for row in export_rows(ix):
        for value in (row["doc"], row["title"], row["heading"], row["text"], *row["heading_path"]):
            assert not CONTROL.search(value.replace("\n", "")), repr(value)
    texts = " ".join(r["text"] for r in export_rows(ix))
    assert "escword sits beside" in texts and "entword" in texts and "nameword" in texts


def test_warnings_about_files_never_carry_escapes(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty\x1b]0;owned\x07.txt").write_text("")
    (docs / "line\nbreak.md").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = invoke("index", docs, "--index", tmp_path / "index")
    assert result.exit_code == 0
    assert not CONTROL.search(result.stderr.replace("\n", ""))
    assert len(result.stderr.splitlines()) == 3  # two warnings and the summary


def test_clean_command_never_prints_escapes(escapes_index):
    docs, _ = escapes_index
    for name, word in (("raw.txt", "escword sits beside"), ("entities.html", "entword")):
        result = invoke("clean", docs / name)
        assert result.exit_code == 0
        assert not CONTROL.search(result.stdout.replace("\n", "")), repr(result.stdout)
        assert word in result.stdout and "Heading" in result.stdout  # the text is printed, without its escapes


# Scripts and styles ------------------------------------------------------------------------------

SCRIPTED_HTML = """<!DOCTYPE html>
<html><head><title>Scripted Page</title>
<style>.styleword1 { color: red }</style>
<script>var scriptword1 = "x";</script>
<script type="text/template"><p>scriptword2</p></script>
<noscript>noscriptword</noscript>
</head>
<body><h1>Visible Heading</h1>
<p>visible words about sleep <script>document.write("scriptword3")</script> more visible words</p>
<STYLE>p.styleword2 { }</STYLE>
<SCRIPT LANGUAGE="javascript">scriptword4()</SCRIPT>
<svg><style>styleword3 { }</style><script>scriptword5()</script></svg>
<p>closing words <script>scriptword6 unclosed
"""
SCRIPTED_TEXT = """Scraped Heading
visible words about anxiety
<script>scriptword7()</script> tail words
<script type="text/javascript">
var scriptword8 = 1;
</script>
<style>
.styleword4 { }
</style>
closing words here.
"""


@pytest.fixture(scope="module")
def scripted_index(tmp_path_factory):
    base = tmp_path_factory.mktemp("scripted")
    docs = base / "docs"
    docs.mkdir()
    (docs / "page.html").write_text(SCRIPTED_HTML, encoding="utf-8")
    (docs / "doctype.txt").write_text(SCRIPTED_HTML, encoding="utf-8")
    (docs / "scraped.txt").write_text(SCRIPTED_TEXT, encoding="utf-8")
    ix = base / "index"
    assert invoke("index", docs, "--index", ix, "--workers", "1").exit_code == 0
    return ix


def _hidden_words(ix, doc: str) -> list[str]:
    rows = [r for r in export_rows(ix) if r["doc"] == doc]
    text = json.dumps(rows)
    assert "visible words" in text
    return re.findall(r"(?:script|style|noscript)word\d*", text)


@pytest.mark.parametrize("doc", ["page.html", "doctype.txt"])
def test_script_and_style_of_html_never_reach_the_index(scripted_index, doc):
    assert _hidden_words(scripted_index, doc) == []
    for word in ("scriptword1", "styleword1", "scriptword4"):
        assert invoke("search", "--index", scripted_index, word).exit_code == 1


def test_one_line_script_in_scraped_text_never_reaches_the_index(scripted_index):
    assert "scriptword7" not in _hidden_words(scripted_index, "scraped.txt")


def test_multi_line_script_in_scraped_text_never_reaches_the_index(scripted_index):
    assert _hidden_words(scripted_index, "scraped.txt") == []


# Paths ------------------------------------------------------------------------------------------------------


@pytest.fixture
def rooted(tmp_path):
    """A root with a nested document, a sibling folder outside it, and a link out."""
    root = tmp_path / "root"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / "top.txt").write_text("Top Heading\n\ninsideword at the top.\n")
    (root / "nested" / "deeper" / "low.md").write_text("Low Heading\n\ninsideword down low.\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret Heading\n\noutsideword insideword kept out.\n")
    (root / "link.txt").symlink_to(outside / "secret.txt")
    ix = tmp_path / "index"
    assert invoke("index", root, "--index", ix, "--workers", "1").exit_code == 0
    return root, outside, ix


def test_stored_paths_are_relative_to_the_root(rooted, tmp_path):
    root, outside, ix = rooted
    docs = sorted({r["doc"] for r in export_rows(ix)})
    assert docs == ["nested/deeper/low.md", "top.txt"]
    for doc in docs:
        assert (root / doc).is_file() and not os.path.isabs(doc) and ".." not in doc.split("/")
    single = tmp_path / "single-index"
    assert invoke("index", root / "nested" / "deeper" / "low.md", "--index", single).exit_code == 0
    assert {r["doc"] for r in export_rows(single)} == {"low.md"}
    for out in (invoke("export", "--index", ix).stdout, invoke("search", "--json", "--index", ix, "insideword").stdout):
        assert str(outside) not in out  # nothing of the folder beside the root
    rows = [json.loads(line) for line in invoke("export", "--index", ix).stdout.splitlines()]
    assert {(r["root"], r["path"]) for r in rows} == {(str(root), str(root / d)) for d in docs}


@pytest.mark.parametrize(
    "glob",
    ["../*", "../outside/*", "*/../*", "/*", "/**", "**/secret.txt", "*secret*", "{outside}", "link.txt", "[.][.]/*"],
)
def test_doc_globs_cannot_reach_outside_the_root(rooted, glob):
    root, outside, ix = rooted
    for pattern in (glob, str(outside / "*"), str(outside / "secret.txt")):
        result = invoke("search", "--json", "--index", ix, "--doc", pattern, "outsideword")
        assert result.exit_code == 1, (pattern, result.stdout, result.stderr)
        found = invoke("search", "--json", "--index", ix, "--doc", pattern, "insideword")
        assert found.exit_code in (0, 1)
        assert all((root / h["doc"]).is_file() for h in json.loads(found.stdout)["hits"])
        outline = invoke("sections", "--index", ix, pattern)
        assert "outsideword" not in outline.stdout and "Secret" not in outline.stdout


def test_doc_globs_reach_what_is_inside_the_root(rooted):
    """The control for the test above: the same filter does find the documents of the root."""
    root, _, ix = rooted
    for pattern, doc in (
        ("nested/*", "nested/deeper/low.md"),
        ("*.txt", "top.txt"),
        (str(root / "top.txt"), "top.txt"),
    ):
        found = invoke("search", "--json", "--index", ix, "--doc", pattern, "insideword")
        assert found.exit_code == 0, (pattern, found.stderr)
        assert {h["doc"] for h in json.loads(found.stdout)["hits"]} == {doc}, pattern
