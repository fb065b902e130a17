"""Source lines of page text past lxml's 65,535, found again in the source, also when it is written with entities."""

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
