"""Web pages: real article pages with the article a person marked, and real documentation pages.

The article pages are a fixed subset of a public extraction benchmark
(tests/data/pages); the documentation pages come from the tier bench/ builds
(tests/data/doctier).  Scores are the benchmark's own: 4-gram shingles.
"""

from __future__ import annotations

import collections
import gzip
import json
import re
import statistics
from functools import cache
from pathlib import Path

import pytest
from lxml import html as lhtml

from searcher.clean import clean
from searcher.ingest import sections_of_text
from searcher.render import sections_text as sections_as_text
from tests.conftest import ROOT

PAGES = ROOT / "tests" / "data" / "pages" / "articles.jsonl.gz"
DOCS = ROOT / "tests" / "data" / "doctier"
WORD = re.compile(r"\w+")
MARKUP = re.compile(
    r"</?(?:a|b|br|div|em|font|h[1-6]|i|img|li|ol|p|script|span|strong|style|table|td|tr|ul)\b[^<>]*>"
    r"|&(?:amp|lt|gt|quot|nbsp|#\d+);|<!--"
)
# Floors a little under what the reader scores on these pages (F1 0.971, recall 0.998, precision 0.946).
F1_FLOOR, RECALL_FLOOR, PRECISION_FLOOR = 0.96, 0.99, 0.93


@cache
def pages() -> list[dict]:
    with gzip.open(PAGES, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def page(suffix: str) -> dict:
    return next(p for p in pages() if p["id"].endswith(suffix))


def shingles(text: str, n: int = 4) -> collections.Counter:
    words = WORD.findall(text)
    return collections.Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)))


def precision_recall(gold: str, got: str) -> tuple[float, float]:
    g, o = shingles(gold), shingles(got)
    tp = sum((g & o).values())
    return (tp / sum(o.values()) if o else 0.0), (tp / sum(g.values()) if g else 1.0)


@cache
def indexed_text(suffix: str) -> str:
    """What searcher indexes of a page, as `searcher clean` prints it."""
    return sections_as_text(sections_of_text(page(suffix)["html"], "page.html"))


def test_article_pages_keep_the_article_and_drop_the_chrome() -> None:
    scores = [precision_recall(p["gold_text"], indexed_text(p["id"])) for p in pages()]
    precision = statistics.mean(p for p, _ in scores)
    recall = statistics.mean(r for _, r in scores)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= F1_FLOOR and recall >= RECALL_FLOOR and precision >= PRECISION_FLOOR


def test_no_markup_reaches_the_index() -> None:
    for p in pages():
        text = indexed_text(p["id"])
        assert not MARKUP.search(text), p["id"]


@pytest.mark.parametrize("suffix", [p["id"][-16:] for p in pages()[:21:4]])
def test_nothing_of_the_article_is_lost(suffix: str) -> None:
    gold = collections.Counter(WORD.findall(page(suffix)["gold_text"].casefold()))
    got = set(WORD.findall(indexed_text(suffix).casefold()))
    missing = [w for w in gold if w not in got]
    assert sum(gold[w] for w in missing) <= 0.02 * sum(gold.values()), missing[:20]


def test_titles_from_og_title_then_title_then_the_headline() -> None:
    og = next(p for p in pages() if 'property="og:title"' in p["html"])
    expected = lhtml.document_fromstring(og["html"]).xpath('string(//meta[@property="og:title"]/@content)')
    assert sections_of_text(og["html"], "a.html")[0].title == " ".join(expected.split())
    plain = page("c00962aabe7bdd1f")  # no og:title: the <title> element
    title = "The Space Review: Seeking a bigger role for a big rocket"
    assert sections_of_text(plain["html"], "b.html")[0].title == title
    headline = page("95301fb7883e0ee5")  # the headline sits in a <header>
    untitled = re.sub(r"<title>.*?</title>", "", headline["html"], flags=re.S)
    sections = sections_of_text(untitled, "c.html")
    assert sections[0].title == "About bugs"
    assert "About bugs" in sections[0].heading_path


def test_comments_heading_mid_article_keeps_what_follows() -> None:
    html = (
        "<html><head><title>Dosing notes</title></head><body><article><h1>Dosing notes</h1>"
        "<p>Methadone dosing starts low and rises slowly under supervision.</p>"
        "<h2>Comments</h2><p>Clinician comments on split dosing in pregnancy.</p>"
        "<h2>Related articles</h2><p>Buprenorphine induction needs mild withdrawal first.</p>"
        "<h2>Dosing</h2><p>Take-home doses follow months of stability.</p></article></body></html>"
    )
    sections = sections_of_text(html, "d.html")
    assert [s.heading for s in sections] == ["Dosing notes", "Comments", "Related articles", "Dosing"]
    assert "split dosing" in sections[1].text and "Take-home" in sections[3].text


def test_author_markers_choose_and_hide_content() -> None:
    html = (
        "<html><body><div class='sidebar'><p>Sidebar words that are long enough to count, really.</p></div>"
        "<div data-searcher-body><h1>Marked</h1><p>Only this part is content.</p>"
        "<p data-searcher-ignore>Except this hidden sentence.</p></div>"
        "<div><p>Other text outside the marked body, long enough to count as prose.</p></div></body></html>"
    )
    text = " ".join(b.text for b in clean(html, "m.html"))
    assert "Only this part is content." in text
    assert "hidden sentence" not in text and "Other text" not in text and "Sidebar" not in text


def test_a_page_without_main_content_keeps_its_visible_text() -> None:
    html = "<html><body><span>alpha</span> <b>beta</b><div>gamma</div><table><tr><td>delta</td></tr></table></body>"
    words = set(" ".join(b.text for b in clean(html, "x.html")).split())
    assert {"alpha", "beta", "gamma", "delta"} <= words


def test_nesting_deeper_than_lxml_reads_falls_back_to_beautifulsoup() -> None:
    html = "<html><body>" + "<div>" * 5000 + "<p>deep words survive</p>" + "</div>" * 5000 + "</body></html>"
    assert "deep words survive" in " ".join(b.text for b in clean(html, "deep.html"))


def test_source_lines_past_65535() -> None:
    filler = "<p>filler line</p>\n" * 70000
    html = f"<html><body><h1>Top</h1>\n{filler}<h2>Late heading</h2>\n<p>late words</p>\n</body></html>"
    sections = sections_of_text(html, "long.html")
    late = next(s for s in sections if s.heading == "Late heading")
    lines = html.splitlines()
    assert "Late heading" in lines[late.line_start - 1]
    assert "late words" in lines[late.line_end - 1]


# --- the documentation tier ---------------------------------------------------

DOC_PAGES = sorted(DOCS.glob("*/*.html"))
CHROME = re.compile(r"Report a Bug|Previous topic|Next topic|This Page|Show Source|Table of Contents|Quick search")


@cache
def doc_sections(path: Path) -> list:
    return sections_of_text(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize("path", DOC_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documentation_sections_start_on_real_headings(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    sections = doc_sections(path)
    assert sections
    for i, s in enumerate(sections):
        if i == 0 and s.heading == s.title:
            continue  # the text before the first heading
        assert re.search(r"<h[1-6]\b", lines[s.line_start - 1]), (s.heading, lines[s.line_start - 1][:120])
        assert "¶" not in s.heading and not any("¶" in h for h in s.heading_path)
        assert not CHROME.search(s.text + s.heading), s.heading


@pytest.mark.parametrize("path", DOC_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documentation_heading_paths_follow_the_page_nesting(path: Path) -> None:
    tree = lhtml.document_fromstring(path.read_bytes())
    kept = {h for s in doc_sections(path) for h in s.heading_path}
    stack: list[tuple[int, str]] = []
    expected = {}
    for el in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(el.text_content().replace("¶", "").split())
        if text not in kept:
            continue
        level = int(el.tag[1])
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))
        expected.setdefault(text, [h for _, h in stack])
    compared = [s for s in doc_sections(path) if s.heading in expected]
    assert compared, "no section heading found among the page's headings"
    for s in compared:
        assert s.heading_path == expected[s.heading], s.heading


@pytest.mark.parametrize("path", DOC_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documentation_headings_with_a_permalink_are_all_kept(path: Path) -> None:
    """Only real headings become sections, and every real one does: a heading that carries
    its own permalink (Sphinx's ¶) is the page's content, never chrome."""
    tree = lhtml.document_fromstring(path.read_bytes())
    linked = [
        " ".join(el.text_content().replace("¶", "").split())
        for el in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")
        if el.xpath(".//a[contains(concat(' ', @class, ' '), ' headerlink ')]")
    ]
    kept = [h for s in doc_sections(path) for h in s.heading_path]
    assert not set(linked) - set(kept), sorted(set(linked) - set(kept))


def test_documentation_sections_carry_their_anchor() -> None:
    sections = doc_sections(DOCS / "python" / "asyncio-queue.html")
    queue = next(s for s in sections if s.heading == "Priority Queue")
    assert queue.anchor == "priority-queue"


def test_admonition_titles_and_code_stay_in_their_section() -> None:
    sections = doc_sections(DOCS / "postgresql" / "app-pg-dumpall.html")
    assert "Warning" not in [s.heading for s in sections]
    assert any(s.text.startswith("pg_dumpall [connection-option...]") for s in sections)
    queue = doc_sections(DOCS / "python" / "asyncio-queue.html")
    code = "    for _ in range(20):\n        sleep_for = random.uniform(0.05, 1.0)"
    assert any(code in s.text for s in queue)  # the example's code, verbatim with its indentation


def test_chrome_named_by_class_role_or_tag_goes_and_the_article_stays() -> None:
    prose = "Methadone maintenance reduces illicit opioid use, and it keeps patients in treatment longer. " * 3
    comment = "<li><p>I tried this program myself, and it worked for me after two years of trying, honestly.</p></li>"
    html = f"""<html><body>
    <div class="cookie-consent"><p>We use cookies to improve your experience, and to show you ads.</p></div>
    <div role="navigation"><p>Treatment centers, insurance questions, and our locations near you.</p></div>
    <article><h1>Methadone works</h1><p>{prose}</p>
      <div class="share-buttons"><p>Share this article with your friends, family, and colleagues.</p></div>
      <p>{prose}</p>
      <div class="newsletter-signup"><p>Subscribe to our newsletter, and get weekly recovery tips.</p></div>
    </article>
    <div id="comments"><ol>{comment * 12}</ol></div>
    </body></html>"""
    text = " ".join(b.text for b in clean(html, "chrome.html"))
    assert "Methadone maintenance reduces" in text and "Methadone works" in text
    for gone in ("cookies", "locations near you", "Share this", "newsletter", "tried this program"):
        assert gone not in text, gone


def test_a_page_that_is_a_list_of_links_keeps_them() -> None:
    items = "".join(f'<li class="toctree-l1"><a href="p{i}.html">Frequently asked part {i}</a></li>' for i in range(8))
    html = (
        '<html><body><div class="sphinxsidebar"><p>Quick search and the sidebar, long enough.</p></div>'
        f'<div class="body" role="main"><h1>FAQ</h1><div class="toctree-wrapper"><ul>{items}</ul></div></div>'
        "</body></html>"
    )
    sections = sections_of_text(html, "index.html")
    assert sections and "Frequently asked part 7" in sections[-1].text
    assert "Quick search" not in " ".join(s.text for s in sections)


def test_teaser_lists_go_and_cross_reference_headings_stay() -> None:
    prose = "Buprenorphine can be started at home once withdrawal has begun, and doses are adjusted weekly. " * 3
    teaser = '<div><h3><a href="/other-{0}">Another story number {0}</a></h3><p>{1}</p></div>'
    blurb = "A short description of another story that the site would like you to read next, with details."
    html = (
        f"<html><body><div class='main'><h1>Starting at home</h1><p>{prose}</p><p>{prose}</p>"
        f"<section><h2>Our latest stories</h2>{''.join(teaser.format(i, blurb) for i in range(5))}</section>"
        "</div></body></html>"
    )
    text = " ".join(s.heading + " " + s.text for s in sections_of_text(html, "t.html"))
    assert "Buprenorphine can be started" in text and "Another story" not in text
    tutorial = [s.heading for s in doc_sections(DOCS / "django" / "tutorial01.html")]
    assert "path() argument: route" in tutorial


def test_highlighted_code_keeps_its_comments() -> None:
    html = (
        "<html><body><article><h1>Install</h1><p>Run this in a terminal before you start.</p>"
        '<pre><span class="token comment"># install the package</span>\npip install foo</pre></article></body></html>'
    )
    assert "# install the package\npip install foo" in " ".join(s.text for s in sections_of_text(html, "i.html"))


def test_text_that_starts_under_its_tag_gets_its_own_line() -> None:
    html = "<html><body>\n<p>\nfirst words\nmore words\n</p>\n</body></html>"
    (section,) = sections_of_text(html, "l.html")
    lines = html.splitlines()
    assert "first words" in lines[section.line_start - 1] and "more words" in lines[section.line_end - 1]


def test_an_icons_svg_title_is_not_the_page_title() -> None:
    html = "<html><body><svg><title>Close icon</title></svg><h1>Real headline</h1><p>Some words here.</p></body></html>"
    assert sections_of_text(html, "s.html")[0].title == "Real headline"


ARTICLE_PAGE = """<html><head><meta property="og:type" content="article"><title>Clinic opens</title></head><body>
<article><{head}><div class="kicker">Health</div><h1>Clinic opens</h1>
<div class="byline">By Ann Reporter, health correspondent</div>
<time class="timestamp">Updated 8:03 am ET, November 19, 2019</time>
<p>Six days a week, for all who need it: the city's answer to overdoses.</p></{head_end}>
<div class="print-header">Printed from example.org/news/clinic-opens</div>
<figure><img src="clinic.jpg"><figcaption>Nurses stand outside the clinic on Tuesday. (AP Photo/Jo Lens)</figcaption>
</figure><p>{prose}</p><figure><img src="c.jpg"><span>Jo Lens/Getty Images</span></figure>
<figure><blockquote>We will open on Sundays too, she said</blockquote><figcaption>Jo Nurse</figcaption></figure>
<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">The waiting room,
seen from the door.</p></div><p>{prose}</p>
<div class="post-navigation"><div class="next"><a href="/x">Next post: the budget vote</a></div></div>
</article></body></html>"""


@pytest.mark.parametrize("head", ["header", 'div class="article-header"'])
def test_an_article_page_drops_captions_bylines_and_datelines(head: str) -> None:
    prose = "The new clinic offers methadone and buprenorphine to patients, and it opens six days a week. " * 3
    html = ARTICLE_PAGE.format(prose=prose, head=head, head_end=head.split()[0])
    text = " ".join(b.text for b in clean(html, "a.html"))
    assert "offers methadone and buprenorphine" in text and "Clinic opens" in text and "open on Sundays" in text
    words = (
        "Ann Reporter",
        "Updated 8:03",
        "Nurses",
        "waiting room",
        "Six days",
        "Printed",
        "Next post",
        "Health",
        "Getty",
    )
    for gone in words:
        assert gone not in text, gone
    # The same markup on a page that does not say it is an article (a manual, say) keeps every word.
    manual = " ".join(b.text for b in clean(html.replace('property="og:type"', 'name="x"'), "m.html"))
    for kept in words:
        assert kept in manual, kept


def test_runs_of_linked_headlines_in_an_article_go_and_its_own_links_stay() -> None:
    prose = "The new clinic offers methadone and buprenorphine to patients, and it opens six days a week. " * 3
    teasers = "".join(f'<p><a href="/story-{i}">Other story number {i}, a must read</a></p>' for i in range(3))
    refs = "".join(f'<p><a href="https://example.org/s{i}">https://example.org/s{i}</a></p>' for i in range(2))
    body = (
        f'<p>{prose}</p><p><a href="/court">The suspect was sentenced to life in prison last Thursday.</a></p>'
        f"<p>{prose}</p>{teasers}<p><strong>Read more:</strong> <a href='/r'>A second clinic will open in the spring"
        "</a></p><p>Account: <a href='/u'>@clinicnurse</a></p><p>[<a href='/e'>Engadget</a>]</p>"
        f"<p>{prose}</p><p><strong><a href='/app'>GET THE CLINIC APP BY CLICKING HERE</a></strong></p>"
        f"<p>{prose}</p>{refs}"
    )
    html = ARTICLE_PAGE.replace("<p>{prose}</p>", "", 1).format(prose=body, head="header", head_end="header")
    text = " ".join(b.text for b in clean(html, "a.html"))
    assert "sentenced to life" in text and "https://example.org/s1" in text and "offers methadone" in text
    assert "Other story" not in text and "second clinic" not in text and "CLINIC APP" not in text
    assert "@clinicnurse" in text and "Engadget" in text
    manual = " ".join(b.text for b in clean(html.replace('property="og:type"', 'name="x"'), "m.html"))
    assert "Other story number 2" in manual


def test_an_article_page_drops_the_headings_of_boxes_left_empty() -> None:
    prose = "The new clinic offers methadone and buprenorphine to patients, and it opens six days a week. " * 3
    box = '<div class="box"><h3>Box {0} title</h3><a href="/p{0}"><img src="p{0}.jpg"></a></div>'
    boxes = "".join(box.format(i) for i in range(3))
    body = f"<h2>Hours</h2><p>{prose}</p><h2>Staff</h2><h3>Nurses</h3><p>{prose}</p>{boxes}"
    html = ARTICLE_PAGE.replace("<p>{prose}</p>", "", 1).format(prose=body, head="header", head_end="header")
    headings = [b.text for b in clean(html, "a.html") if b.kind == "heading"]
    assert headings == ["Clinic opens", "Hours", "Staff", "Nurses"]
    manual = [b.text for b in clean(html.replace('property="og:type"', 'name="x"'), "m.html") if b.kind == "heading"]
    assert "Box 2 title" in manual


def test_an_article_page_drops_short_labels_above_and_below_its_prose() -> None:
    prose = "The new clinic offers methadone and buprenorphine to patients, and it opens six days a week. " * 3
    body = (
        "<div>Get short URL</div><div>By Ann Reporter | Nov. 19, 2019 8:03 am ET</div><div>Follow us on</div>"
        f"<p>{prose}</p><p>Open on weekends</p><p>Book at desk@example.org</p><p>{prose}</p>"
        "<p>Palm Bay 70, Rockledge 44</p><p>Reporting by Jo Lens.</p><div>Share</div><div>Subscribe Sign In</div>"
        "<p>Write to Ann Reporter at ann@example.org. Follow her on Twitter @annreporter.</p>"
    )
    html = ARTICLE_PAGE.replace("<p>{prose}</p>", "", 1).format(prose=body, head="header", head_end="header")
    text = "\n".join(b.text for b in clean(html, "a.html"))
    for kept in ("Open on weekends", "desk@example.org", "Palm Bay 70", "Reporting by Jo Lens.", "offers methadone"):
        assert kept in text, kept
    for gone in ("Get short URL", "By Ann Reporter", "Follow us on", "Share", "Subscribe Sign In", "Write to"):
        assert gone not in text, gone
    manual = "\n".join(b.text for b in clean(html.replace('property="og:type"', 'name="x"'), "m.html"))
    assert "Get short URL" in manual and "Subscribe Sign In" in manual


def test_an_article_page_drops_its_tag_links_and_keeps_a_tag_in_a_sentence() -> None:
    prose = "The new clinic offers methadone and buprenorphine to patients, and it opens six days a week. " * 3
    tags = ", ".join(f'<a href="/tag/t{i}" rel="tag">topic number {i}</a>' for i in range(4))
    body = (
        f'<p>{prose}</p><p>Patients in <a href="/tag/hibernation" rel="tag">long-term care</a> come first.</p>'
        f"<p>{prose}</p><strong>Tags<br>{tags}</strong>"
    )
    html = ARTICLE_PAGE.replace("<p>{prose}</p>", "", 1).format(prose=body, head="header", head_end="header")
    text = " ".join(b.text for b in clean(html, "a.html"))
    assert "Patients in long-term care come first." in text and "topic number" not in text
    manual = " ".join(b.text for b in clean(html.replace('property="og:type"', 'name="x"'), "m.html"))
    assert "topic number 3" in manual
