"""Incremental indexing on a real Whoosh index: only what changed is touched."""

from __future__ import annotations

import json

from searcher.index import update_index
from tests.conftest import section_rows


def records(index_dir) -> dict[str, dict]:
    return {s["id"]: s for s in section_rows(index_dir)}


def test_first_run_indexes_the_whole_corpus(tmp_path, corpus_copy) -> None:
    report = update_index(tmp_path / "ix", [corpus_copy], workers=1)
    assert (report.added, report.changed, report.removed, report.skipped) == (5, 0, 0, 0)
    recs = records(tmp_path / "ix")
    assert report.sections == len(recs) > 100
    assert {r["doc"] for r in recs.values()} == {p.name for p in corpus_copy.iterdir()}


def test_add_change_delete_touch_only_those(tmp_path, corpus_copy) -> None:
    ix = tmp_path / "ix"
    update_index(ix, [corpus_copy], workers=1)
    before = records(ix)

    (corpus_copy / "005_new.txt").write_text("Sleep Hygiene\nA regular bedtime helps recovery.\n", encoding="utf-8")
    changed = corpus_copy / "001_2190117fb8c6e72a.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Family therapy", "Kinship therapy"), encoding="utf-8"
    )
    (corpus_copy / "002_6f4ab886f67e0ac6.txt").unlink()

    report = update_index(ix, None, workers=1)  # re-scans the roots it was given before
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 3)
    after = records(ix)
    for doc in ("000_fd7004bbd8f47188.txt", "003_821f7c9719592189.txt", "004_e6f13caa068bccf9.txt"):
        assert {k: v for k, v in before.items() if v["doc"] == doc} == {
            k: v for k, v in after.items() if v["doc"] == doc
        }
    assert not any(v["doc"] == "002_6f4ab886f67e0ac6.txt" for v in after.values())
    assert any(v["heading"] == "Kinship therapy for heroin addiction" for v in after.values())
    assert any(v["heading"] == "Sleep Hygiene" for v in after.values())


def test_nothing_changed_reads_nothing(tmp_path, corpus_copy) -> None:
    ix = tmp_path / "ix"
    update_index(ix, [corpus_copy], workers=1)
    report = update_index(ix, None, workers=1)
    assert (report.added, report.changed, report.removed, report.unchanged, report.sections) == (0, 0, 0, 5, 0)


def test_touched_but_identical_file_is_unchanged(tmp_path, corpus_copy) -> None:
    ix = tmp_path / "ix"
    update_index(ix, [corpus_copy], workers=1)
    path = corpus_copy / "000_fd7004bbd8f47188.txt"
    path.write_bytes(path.read_bytes())
    report = update_index(ix, None, workers=1)
    assert (report.changed, report.unchanged) == (0, 5)


def test_rebuild_gives_the_same_records_as_incremental(tmp_path, corpus_copy) -> None:
    inc, full = tmp_path / "inc", tmp_path / "full"
    update_index(inc, [corpus_copy / "000_fd7004bbd8f47188.txt"], workers=1)
    update_index(inc, [corpus_copy], workers=1)
    update_index(full, [corpus_copy], workers=1)
    update_index(full, [corpus_copy], rebuild=True, workers=1)
    a, b = records(inc), records(full)
    assert a == b and len(a) > 100


def test_binary_and_empty_files_are_skipped_with_a_warning(tmp_path, corpus_copy) -> None:
    (corpus_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (corpus_copy / "empty.txt").write_bytes(b"")
    warnings: list[str] = []
    report = update_index(tmp_path / "ix", [corpus_copy], workers=1, warn=warnings.append)
    assert report.skipped == 2 and report.added == 5
    assert any("image.txt" in w and "binary" in w for w in warnings)
    assert any("empty.txt" in w and "empty" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_html_page_indexes_into_sections_with_heading_paths(tmp_path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "guide.html").write_text(
        """<html><head><title>Guide to recovery</title><script>track()</script></head><body>
<nav>Home | Blog | Contact</nav>
<h1>Guide to recovery</h1>
<p>Recovery takes time.</p>
<h2>Therapies</h2>
<p>Cognitive behavioral therapy (CBT) changes thinking.</p>
<h3>Group work</h3>
<p>Group therapy builds support.</p>
<h2>Medication</h2>
<p>Methadone reduces cravings.</p>
<footer>Copyright</footer></body></html>""",
        encoding="utf-8",
    )
    update_index(tmp_path / "ix", [root], workers=1)
    recs = sorted(records(tmp_path / "ix").values(), key=lambda r: r["line_start"])
    assert [(r["heading_path"], r["line_start"]) for r in recs] == [
        (["Guide to recovery"], 3),
        (["Guide to recovery", "Therapies"], 5),
        (["Guide to recovery", "Therapies", "Group work"], 7),
        (["Guide to recovery", "Medication"], 9),
    ]
    assert recs[1]["therapies"] == ["cbt"] and recs[0]["title"] == "Guide to recovery"
    assert not any(w in json.dumps(recs) for w in ("track()", "Home", "Copyright"))


def test_export_and_sections_commands(cli, corpus_index, monkeypatch) -> None:
    monkeypatch.chdir(corpus_index.parent)  # paths print from here: corpus/…, never cut
    ix = corpus_index
    out = cli("export", "--index", ix)
    assert out.exit_code == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    keys = {"id", "doc", "title", "heading", "heading_path", "kind", "therapies", "line_start", "line_end", "text"}
    assert all(keys <= set(line) for line in lines)
    assert lines == section_rows(ix) and len(lines) > 100  # every section, once, as stored
    outline = cli("sections", "001_2190117fb8c6e72a.txt", "--index", ix, env={"COLUMNS": "80"})
    assert outline.exit_code == 0
    assert "Cognitive Behavioral Therapy (CBT) for heroin addiction (body)" in outline.stdout
    assert max(len(line) for line in outline.stdout.splitlines()) <= 80
    assert "000_fd7004bbd8f47188.txt" not in outline.stdout


def test_a_reader_that_goes_away_ends_the_output_quietly(corpus_index) -> None:
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "searcher", "export", "--index", str(corpus_index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout.read(100)
    proc.stdout.close()  # like `| head -c 100`
    stderr = proc.stderr.read()
    assert proc.wait() == 1 and stderr == b""


def test_a_mistyped_path_is_an_error_and_not_remembered(cli, tmp_path, corpus_copy) -> None:
    ix = tmp_path / "ix"
    result = cli("index", tmp_path / "no-such-folder", "--index", ix)
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    assert cli("index", corpus_copy, "--index", ix).exit_code == 0
    again = cli("index", "--index", ix)
    assert again.exit_code == 0 and "warning" not in again.stderr


def test_html_sections_end_on_the_last_line_of_their_text(tmp_path) -> None:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "page.html").write_text(
        "<html><body>\n<h2>Naloxone</h2>\n<p>Naloxone reverses\nan opioid overdose\nwithin minutes.</p>\n"
        "<h2>Nasal spray</h2>\n<p>One spray\nin each nostril.</p>\n</body></html>\n",
        encoding="utf-8",
    )
    update_index(tmp_path / "ix", [root], workers=1)
    lines = sorted((r["line_start"], r["line_end"]) for r in records(tmp_path / "ix").values())
    assert lines == [(2, 5), (6, 8)]
