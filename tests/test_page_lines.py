"""Page text as the source has it: lines past lxml's 65,535 (entities too), and parts a style sets apart."""

from __future__ import annotations

from searcher.ingest import sections_of_text


def test_a_late_heading_written_with_entities_keeps_its_line() -> None:
    filler = "<p>filler line</p>\n" * 70000
    html = (
        "<html><body><h1>Top</h1>\n"
        f"{filler}<h2>&Eacute;t&eacute; caf&eacute; menu</h2>\n<p>&laquo;late words&raquo;</p>\n</body></html>"
    )
    sections = sections_of_text(html, "long.html")
    late = next(s for s in sections if s.heading == "Été café menu")
    lines = html.splitlines()
    assert "&Eacute;t&eacute;" in lines[late.line_start - 1]
    assert "late words" in lines[late.line_end - 1]


def test_the_parts_of_a_definition_term_stay_apart() -> None:
    html = (
        "<html><body><h1>value_counts</h1><dl><dt><strong>normalize</strong>"
        '<span class="classifier">bool, default False</span></dt><dd><p>Return proportions.</p></dd>'
        "<dt><code>x</code>, <code>y</code></dt><dd><p>Points.</p></dd></dl></body></html>"
    )
    text = " ".join(s.text for s in sections_of_text(html, "p.html"))
    assert "normalize bool, default False" in text and "x, y" in text and "normalizebool" not in text
