"""The html5lib tree-construction cases: the standard body of malformed HTML.

Each case's ``#document`` is the tree a browser builds; its text nodes outside
``script``, ``style`` and ``head`` are the text the browser shows.  The page
reader must keep those words at least as well as BeautifulSoup's
``html.parser`` ``get_text()`` (the reader of the first release) does, and
like any input the cases read without an exception, an invented word or a
line number outside the page.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from searcher.ingest import sections_of_text
from tests.test_fuzz_readers import check_sections, read_or_skip

DATA = Path(__file__).parent / "data" / "html5lib" / "tree-construction.dat"
_WORD = re.compile(r"[^\W_]+")
BROWSER_HIDES = frozenset(["script", "style", "head"])
# What a search index leaves out on purpose although a browser may show it:
# controls, embedded media, dialogs, templates, and the site's chrome.
LEFT_OUT = BROWSER_HIDES | frozenset(
    [
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "embed",
        "canvas",
        "button",
        "select",
        "textarea",
        "input",
        "map",
        "audio",
        "video",
        "datalist",
        "dialog",
        "nav",
        "aside",
        "footer",
        "form",
        "header",
    ]
)


def read_cases(path: Path) -> list[tuple[str, list[str]]]:
    """(page, #document lines) of each case of a ``.dat`` file."""
    cases = []
    for block in re.split(r"\n(?=#data\n)", "\n" + path.read_text(encoding="utf-8")):
        if not block.strip():
            continue
        head, _, document = block.lstrip("\n").partition("\n#document\n")
        page = head.removeprefix("#data\n").split("\n#errors")[0]
        cases.append((page, document.rstrip("\n").split("\n")))
    return cases


def shown_text(document: list[str], hidden: frozenset[str]) -> list[str]:
    """Text nodes of a ``#document`` tree that lie in no element named in ``hidden``."""
    nodes = "\n".join(document).removeprefix("| ").split("\n| ")
    stack: list[str] = []
    out = []
    for node in nodes:
        body = node.lstrip(" ")
        depth = (len(node) - len(body)) // 2
        del stack[depth:]
        if len(body) >= 2 and body.startswith('"') and body.endswith('"'):
            if not hidden.intersection(stack):
                out.append(body[1:-1])
        elif body.startswith("<") and not body.startswith("<!"):
            stack.append(body[1:-1].split(" ")[-1])  # "<svg g>" is g in the svg namespace
        else:
            stack.append(body)  # attributes, comments, template "content": nothing shown below them
    return out


def kept(expected: Counter, output: str) -> int:
    """Words of ``expected`` found in ``output``: as words, or run into a neighbour
    (a browser shows ``FOO<!-- -->BAZ`` as FOOBAZ), so at a word's start or end."""
    found = 0
    for word, n in expected.items():
        w = re.escape(word)
        if re.search(rf"(?<![^\W_]){w}|{w}(?![^\W_])", output):
            found += n
    return found


def reader_output(page: str) -> str:
    return "\n".join(part for s in read_or_skip(page, "case.html") for part in (s.heading, s.text))


def soup_output(page: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(page, "html.parser").get_text()


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, list[str]]]:
    found = read_cases(DATA)
    assert len(found) == 216
    return found


def recall(cases, hidden: frozenset[str]) -> tuple[int, int, int]:
    """(words shown, kept by the reader, kept by html.parser's get_text) over all cases."""
    total = ours = soup = 0
    for page, document in cases:
        expected = Counter(_WORD.findall(" ".join(shown_text(document, hidden))))
        total += sum(expected.values())
        ours += kept(expected, reader_output(page))
        soup += kept(expected, soup_output(page))
    return total, ours, soup


def rendered_words(document: list[str]) -> set[str]:
    """Words of the tree's text as shown: neighbouring text nodes run together
    (``FOO<script>x</script>QUX`` shows FOOQUX; the reader also drops what it leaves out)."""
    words = set()
    views = [frozenset(), LEFT_OUT, *(BROWSER_HIDES | {name} for name in LEFT_OUT)]
    for texts in (shown_text(document, hidden) for hidden in views):
        for i in range(len(texts)):
            for j in range(i + 1, min(i + 5, len(texts) + 1)):
                words.update(_WORD.findall("".join(texts[i:j])))
    return words


def test_cases_read_without_exceptions_or_invented_words(cases):
    for page, document in cases:
        check_sections(page, read_or_skip(page, "case.html"), also=rendered_words(document))


def test_shown_text_is_kept_as_well_as_html_parser_keeps_it(cases):
    total, ours, soup = recall(cases, BROWSER_HIDES)
    assert total > 400
    assert ours >= soup, f"reader keeps {ours}/{total} words, html.parser {soup}/{total}"


def test_text_the_index_means_to_keep_is_kept_better_than_html_parser_keeps_it(cases):
    """Without what the index leaves out on purpose (chrome, controls, media), the
    comparison is of parsing alone: the reader must not trail html.parser there either."""
    total, ours, soup = recall(cases, LEFT_OUT)
    assert total > 350
    assert ours >= soup, f"reader keeps {ours}/{total} words, html.parser {soup}/{total}"


def test_tree_text_reader_reads_the_expected_tree():
    """The .dat reader itself: nesting, attributes, namespaces and hidden subtrees."""
    document = [
        "| <html>",
        "|   <head>",
        "|     <title>",
        '|       "hidden"',
        "|   <body>",
        '|     id="x"',
        '|     "one"',
        "|     <svg style>",
        '|       "styled"',
        "|     <p>",
        '|       "two',
        'lines"',
    ]
    assert shown_text(document, BROWSER_HIDES) == ["one", "two\nlines"]
    assert sections_of_text("<p>FOO<!-- -->BAZ</p>", "x.html")[0].text == "FOOBAZ"
    assert kept(Counter(["FOO", "BAZ", "QUX"]), "FOOBAZ") == 2
