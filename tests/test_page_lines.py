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


BLOG = """<html><head><title>What I wish I had known about methadone</title></head><body>
<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>
<main><h1>What I wish I had known about methadone</h1>
<p>Posted on January 14, 2025 by sam</p>
<div id="toc_container"><p class="toc_title">Table of Contents</p><ul>
<li><a href="#first">1 The first weeks</a></li><li><a href="#dose">2 Finding the dose</a></li></ul></div>
<h2 id="first">The first weeks</h2><p>The first weeks at the clinic were hard, and the daily visits took time.</p>
<h2 id="dose">Finding the dose</h2><p>It took a month to find a dose that held the cravings off.</p>
<p>Tagged: methadone, recovery, MAT | 4 comments | Share on Facebook</p>
</main></body></html>"""


def test_a_blog_page_loses_its_post_lines_and_contents_box_at_the_edges() -> None:
    sections = sections_of_text(BLOG, "blog.html")
    every = "\n".join("\n".join([*s.heading_path, s.text]) for s in sections)
    assert "Posted on" not in every and "Tagged:" not in every and "Table of Contents" not in every
    assert [s.heading for s in sections][-2:] == ["The first weeks", "Finding the dose"]
    assert "daily visits" in every and "cravings off" in every
    assert not any("mat" in s.therapies for s in sections)  # the tag line made no tag
    inside = BLOG.replace("<p>Tagged:", "<p>Tagged: the next paragraph says how.</p><p>Then:")
    assert "Tagged: the next paragraph" in " ".join(s.text for s in sections_of_text(inside, "b.html"))


def test_folded_answers_and_asked_terms_are_faq_sections() -> None:
    html = (
        "<html><body><main><h1>Buprenorphine</h1><p>It treats opioid use disorder in an office visit.</p>"
        "<h2>Frequently asked questions</h2>"
        "<details><summary>Can I start it while in withdrawal?</summary><p>Yes, in mild withdrawal.</p></details>"
        "<details><summary>How long should I stay on it?</summary><p>As long as it helps.</p></details>"
        "<h2>Naloxone</h2><dl><dt>What does naloxone do?</dt><dd>It reverses an overdose.</dd>"
        "<dt><em>%G?</em></dt><dd>A format code, no question.</dd></dl></main></body></html>"
    )
    sections = sections_of_text(html, "faq.html")
    faq = {s.heading: s for s in sections if s.kind == "faq"}
    assert set(faq) == {
        "Can I start it while in withdrawal?",
        "How long should I stay on it?",
        "What does naloxone do?",
    }
    assert faq["How long should I stay on it?"].heading_path[-2] == "Frequently asked questions"
    assert "As long as it helps." in faq["How long should I stay on it?"].text
    assert "A format code" in faq["What does naloxone do?"].text


STYLED = """<html><body><div class="content">
<div class="h1">Cognitive behavioral therapy for relapse prevention</div><p>CBT teaches people to notice thoughts.</p>
<div class="h2">Identifying triggers</div><p>Clients keep a diary of cravings and what came before them.</p>
<p><strong>Urge surfing</strong></p><p>Cravings rise, peak and pass like a wave.</p>
<p><strong>Note:</strong> the diary helps most in the first month.</p>
</div></body></html>"""


def test_headings_made_by_style_are_headings_where_the_page_has_none_of_its_own() -> None:
    sections = sections_of_text(STYLED, "styled.html")
    paths = [s.heading_path for s in sections]
    assert paths[-2:] == [
        ["Cognitive behavioral therapy for relapse prevention", "Identifying triggers"],
        ["Cognitive behavioral therapy for relapse prevention", "Identifying triggers", "Urge surfing"],
    ]
    assert "Note: the diary helps" in sections[-1].text  # a bold label in a sentence stays text
    manual = STYLED.replace('<div class="h2">Identifying triggers</div>', "<h2>Identifying triggers</h2>")
    kept = sections_of_text(manual, "manual.html")
    assert "Urge surfing" not in [s.heading for s in kept] and "Urge surfing" in kept[-1].text
