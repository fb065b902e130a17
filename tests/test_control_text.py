"""Text that holds control characters, through the real CLI over real indexes.

Captured terminal output, old e-mail and pasted logs hold escapes, bells,
backspaces and form feeds: they are text, indexed without their control
characters.  Bidirectional override and isolate characters, which can make a
printed line read differently from what it holds, never reach a terminal;
JSON keeps them, escaped.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from searcher.cli import main
from searcher.errors import printable
from searcher.read import decode, strip_controls
from tests.test_reliability import export_rows

RUNNER = CliRunner()
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The example of the report that found it: escapes, a C1 CSI in UTF-8, a bell, backspaces.
EVIL = b"Evil Title\n\nevilword \x1b[31mRED\x1b[0m evilword \xc2\x9b2J \x07 \x08\x08 end\nevilword\n"


def invoke(*args, input=None):
    return RUNNER.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


# Control characters: text, not binary ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("evil.txt", EVIL, ["evilword", "RED", "end"]),
        # A colour-heavy terminal capture: more escape bytes than letters.
        (
            "ls-colour.txt",
            b"Listing\n\n"
            + b"".join(b"\x1b[01;34mdir%d\x1b[0m  \x1b[01;32mrun%d\x1b[0m\n" % (i, i) for i in range(200)),
            ["dir7", "run199"],
        ),
        # nroff overstrike: bold is X\bX, underline _\bX; a third of the bytes are backspaces.
        (
            "manpage.txt",
            b"S\bSY\bYN\bNO\bOP\bPS\bSI\bIS\bS\n     ls _\bd_\bi_\br_\be_\bc_\bt_\bo_\br_\by contents\n" * 20,
            ["SYNOPSIS", "directory", "contents"],
        ),
        ("bells.txt", b"Alarm Log\n\n" + b"\x07\x07 bellword rang \x07\x0c\n" * 100, ["bellword"]),
    ],
)
def test_text_with_control_characters_is_indexed(tmp_path, name, data, words):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / name).write_bytes(data)
    result = invoke("index", docs, "--index", tmp_path / "index", "--workers", "1")
    assert result.exit_code == 0
    assert "warning" not in result.stderr, result.stderr
    rows = export_rows(tmp_path / "index")
    text = " ".join(r["heading"] + " " + r["text"] for r in rows)
    for word in words:
        assert re.search(rf"\b{word}\b", text), (word, text[:300])
        hits = invoke("search", "--index", tmp_path / "index", word)
        assert hits.exit_code == 0 and not CONTROL.search(hits.stdout), repr(hits.stdout)
    for row in rows:
        assert not CONTROL.search(row["heading"] + row["text"].replace("\n", ""))


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(1, 256)) * 8,  # every byte but NUL: no text in any encoding
        bytes((i * 37 + 11) % 31 + 1 for i in range(4000)),  # low control bytes, valid ASCII
    ],
)
def test_bytes_that_decode_to_nothing_sensible_are_binary(tmp_path, data):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "blob.txt").write_bytes(data)
    result = invoke("index", docs, "--index", tmp_path / "index", "--workers", "1")
    assert "blob.txt: binary file" in result.stderr


def test_overstrike_keeps_the_letters_a_terminal_shows():
    assert strip_controls("B\bBo\bol\bld _\bu_\bn_\bd_\be_\br") == "Bold under"
    assert strip_controls("_\bB\bB") == "B"  # bold underlined
    assert strip_controls("\bstray\b\b back") == "stray back"


# Bidirectional overrides and isolates --------------------------------------------

SPOOF = "\u202eevil\u202c \u2067isolated\u2069 \u202aembed\u202c \u202bright\u202c " + (
    "\u202dlr\u202c \u2066a\u2069 \u2068b\u2069"
)


@pytest.fixture(scope="module")
def bidi_index(tmp_path_factory):
    """Documents and a file name that hold every override and isolate character."""
    base = tmp_path_factory.mktemp("bidi")
    docs = base / "docs"
    docs.mkdir()
    (docs / "spoof.txt").write_text(f"Spoof {SPOOF} Heading\n\nbidiword {SPOOF} text\n", encoding="utf-8")
    (docs / "spoof.html").write_text(
        f"<html><body><h1>Page {SPOOF}</h1><p>htmlword &#x202E;gnp.exe&#x202C; {SPOOF}</p></body></html>",
        encoding="utf-8",
    )
    (docs / "name\u202e.txt").write_text("Name Heading\n\nnameword text\n", encoding="utf-8")
    (docs / "empty\u2067.txt").write_text("")
    ix = base / "index"
    result = invoke("index", docs, "--index", ix, "--workers", "1")
    assert result.exit_code == 0
    return docs, ix, result


@pytest.mark.parametrize("word", ["bidiword", "htmlword", "nameword"])
def test_bidi_controls_never_reach_the_terminal(bidi_index, word):
    docs, ix, _ = bidi_index
    outputs = [
        invoke("search", "--index", ix, word).stdout,
        invoke("search", "--explain", "--index", ix, word).stdout,
        invoke("sections", "--index", ix).stdout,
    ]
    outputs += [invoke("clean", docs / name).stdout for name in ("spoof.txt", "spoof.html")]
    outputs.append(invoke("clean", "-", input=f"Heading\n\n{SPOOF}\n".encode()).stdout)
    for out in outputs:
        assert word in outputs[0]
        assert not BIDI.search(out), repr(out)


def test_bidi_controls_never_reach_warnings(bidi_index):
    _, _, result = bidi_index
    assert "empty" in result.stderr and not BIDI.search(result.stderr), repr(result.stderr)
    assert not BIDI.search(printable("a\u202eb\u2066c"))
    assert not BIDI.search(invoke("sections", "nosuch\u202e", "--index", bidi_index[1]).stderr)


@pytest.mark.parametrize("word", ["bidiword", "htmlword"])
def test_json_keeps_bidi_controls_escaped(bidi_index, word):
    _, ix, _ = bidi_index
    for out in (invoke("search", "--json", "--index", ix, word).stdout, invoke("export", "--index", ix).stdout):
        assert not BIDI.search(out), repr(out)  # escaped: \u202e, never the character itself
        values = json.dumps([json.loads(line) for line in out.splitlines()], ensure_ascii=False)
        assert "\u202e" in values and "\u2067" in values and "\u2069" in values


def test_bidi_controls_are_indexed_as_written():
    """Right-to-left text needs its marks; only what is printed for people loses them."""
    assert decode(SPOOF.encode()) == SPOOF
    assert BIDI.sub("", SPOOF) == strip_controls(SPOOF, bidi=True)
