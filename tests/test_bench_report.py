"""The benchmark on a tiny real tier: every scenario runs, the JSON holds the figures, the report judges them.

The tier is nine real documentation pages (tests/data/doctier) laid out as
bench/make_corpus.sh lays a tier out (``small/html``, ``small/text``); each
scenario runs once.  Nothing here asserts on a measured time: only on the
shape of the results and on PASS/MISS for figures the test sets itself.
"""

from __future__ import annotations

import ast
import copy
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from bench.corpus import TIERS, has_tiers, html_files, load_queries
from bench.measure import index_summary, measure, percentile
from bench.report import CROSS_FIGURES, FIGURES, checks, format_table, render, tier_rows
from bench.run import main, run_benchmark
from bench.settings import Settings
from bench.targets import AT_LEAST, CROSS, TARGETS, Target
from tests.conftest import ROOT

BENCH = ROOT / "bench"
DOCTIER = ROOT / "tests" / "data" / "doctier"
FEW = Settings(runs=1, reindex_runs=1, warm_rounds=1, cold_runs=1)


def _tiny_corpus(root: Path) -> Path:
    """A corpus with one tier, ``small``: real pages in html/, their text in text/."""
    html, text = root / "small" / "html", root / "small" / "text"
    for page in html_files(DOCTIER):
        rel = page.relative_to(DOCTIER)
        (html / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, html / rel)
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        (text / rel).with_suffix(".txt").parent.mkdir(parents=True, exist_ok=True)
        (text / rel).with_suffix(".txt").write_text(soup.get_text(), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def queries():
    return load_queries(BENCH / "queries.txt")


@pytest.fixture(scope="module")
def results(tmp_path_factory, queries) -> dict:
    """The JSON results of a real run of every scenario on the tiny tier, one round each."""
    corpus = _tiny_corpus(tmp_path_factory.mktemp("bench") / "corpus")
    assert has_tiers(corpus, ["small"])
    found = run_benchmark(["small"], corpus, FEW, queries)
    return json.loads(json.dumps(found))  # as the file holds them


@pytest.fixture
def tier(results) -> dict:
    return copy.deepcopy(results["tiers"]["small"])


def test_every_scenario_leaves_its_figures(results, queries):
    res = results["tiers"]["small"]
    assert "error" not in res, res.get("error")
    pages = len(html_files(DOCTIER))
    assert res["corpus"]["pages"] == pages and res["corpus"]["excluded"] == []
    assert res["corpus"]["html_bytes"] == sum(p.stat().st_size for p in html_files(DOCTIER))
    for tool in ("searcher", "baseline"):
        ingest = res["ingest"][tool]
        assert len(ingest["runs"]) == 1
        for key in ("seconds", "mb_per_s", "records_per_s", "peak_rss_tree", "max_rss_single", "index_over_text"):
            assert ingest[key] > 0, (tool, key)
    assert res["ingest"]["baseline"]["records"] == pages  # one document a page
    assert res["ingest"]["searcher"]["records"] > pages  # sections, from `searcher index --json`
    warm = res["query_warm"]
    assert warm["queries"] == len(queries) and warm["rounds"] == 1
    assert [q["query"] for q in warm["searcher"]["per_query"]] == [q.line for q in queries]
    assert any(q["hits"] for q in warm["searcher"]["per_query"])
    cold = res["query_cold"]
    assert {k: len(cold[k]["times"]) for k in ("searcher", "whoosh", "baseline", "startup")} == dict.fromkeys(
        ("searcher", "whoosh", "baseline", "startup"), 1
    )
    assert results["settings"]["ingest_runs"] == {"small": 1}
    assert results["settings"]["reindex_runs"] == 1


def test_reindex_counts_come_from_the_index_report(results):
    rx = results["tiers"]["small"]["reindex"]
    assert rx["files"] == len(html_files(DOCTIER)) and rx["one_percent_files"] == 1
    assert rx["added_from"] == "renamed copies of this tier"  # the tiny corpus has no next tier
    summaries = {name: rx[name]["runs"][0]["summary"] for name in ("nothing", "one_file", "one_percent")}
    assert summaries["nothing"] | {"unchanged": 0} == dict.fromkeys(summaries["nothing"], 0)
    assert (summaries["one_file"]["changed"], summaries["one_file"]["added"]) == (1, 0)
    assert (summaries["one_percent"]["added"], summaries["one_percent"]["removed"]) == (1, 1)
    assert all(rx[name]["as_expected"] for name in summaries)
    assert all(rx[name]["share_of_full"] > 0 for name in summaries)


def test_table_has_a_row_per_measure_and_judges_the_small_tier_target(results):
    res = results["tiers"]["small"]
    table = format_table(res, results["settings"])
    rows = tier_rows(res)
    assert len(rows) == 14
    for row in rows:
        assert any(line.startswith(row.label) for line in table.splitlines()), row.label
    judged = [r for r in rows if r.ok is not None]
    # On small only the cold-start target applies; its verdict is the target's on the figure.
    assert [r.check for r in judged] == ["cold_vs_whoosh"]
    cold = next(t for t in TARGETS if t.check == "cold_vs_whoosh")
    ratio = res["query_cold"]["searcher"]["p50"] / res["query_cold"]["whoosh"]["p50"]
    assert judged[0].ok == cold.passes(ratio)
    line = next(line for line in table.splitlines() if line.startswith("query cold p50 vs minimal Whoosh"))
    assert line.endswith("PASS" if cold.passes(ratio) else "MISS") and "≤ 1.3x" in line
    assert results["checks"] == [
        {"tier": "small", "check": "cold_vs_whoosh", "target": "≤ 1.3x", "value": ratio, "pass": cold.passes(ratio)}
    ]


def _every_tier(res: dict) -> dict:
    """The tiny tier's results standing in for all three tiers."""
    return {name: {**copy.deepcopy(res), "tier": name} for name in TIERS}


def _with_tiers(results: dict, tiers: dict) -> dict:
    """``results`` holding ``tiers`` instead, its settings to match."""
    settings = {**results["settings"], "tiers": list(tiers), "ingest_runs": dict.fromkeys(tiers, 1)}
    return {**results, "settings": settings, "tiers": tiers}


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.check)
def test_each_target_passes_at_its_threshold_and_misses_past_it(results, target: Target):
    tiers = _every_tier(results["tiers"]["small"])
    if CROSS in target.tiers:
        value = CROSS_FIGURES[target.figure](tiers)
    else:
        value = FIGURES[target.figure](tiers[target.tiers[0]])
    for threshold, verdict in ((value * 1.01, "PASS"), (value * 0.99, "MISS")):
        moved = replace(target, threshold=threshold)
        text = render(_with_tiers(results, tiers), (moved,))
        lines = [line for line in text.splitlines() if moved.shown() in line]
        assert len(lines) == len([t for t in target.tiers if t in tiers or t == CROSS]), text
        assert all(line.rstrip().endswith(verdict) for line in lines), (verdict, lines)
        found = checks(tiers, (moved,))
        assert [c["pass"] for c in found] == [verdict == "PASS"] * len(lines)
        assert {c["check"] for c in found} == {target.check}


def test_the_real_thresholds_decide_pass_and_miss(results):
    tiers = _every_tier(results["tiers"]["small"])
    medium = tiers["medium"]["ingest"]
    medium["searcher"]["seconds"], medium["baseline"]["seconds"] = 1.0, 4.0  # 0.25: 4x faster
    tiers["large"]["ingest"]["searcher"]["peak_rss_tree"] = 401 * 1024 * 1024
    tiers["large"]["query_warm"]["searcher"]["p50"] = 0.0049
    verdicts = {(c["tier"], c["check"]): c["pass"] for c in checks(tiers)}
    assert verdicts[("medium", "ingest_3_5x_faster")] is True
    assert verdicts[("large", "peak_rss_large")] is False
    assert verdicts[("large", "warm_p50_large")] is True
    medium["baseline"]["seconds"] = 3.0  # 0.33: only 3x faster
    tiers["large"]["ingest"]["searcher"]["peak_rss_tree"] = 399 * 1024 * 1024
    verdicts = {(c["tier"], c["check"]): c["pass"] for c in checks(tiers)}
    assert verdicts[("medium", "ingest_3_5x_faster")] is False
    assert verdicts[("large", "peak_rss_large")] is True
    text = render(_with_tiers(results, tiers))
    assert "\n  MISS medium: ingest_3_5x_faster" in text
    assert f"targets: {sum(verdicts.values())}/{len(verdicts)} PASS" in text


def test_a_threshold_itself_passes_either_way():
    ceiling = Target("ceiling", "cold_vs_whoosh", "a ceiling", ("small",), 2.0, unit="x")
    assert ceiling.passes(1.5) and ceiling.passes(2.0) and not ceiling.passes(2.5)
    floor = replace(ceiling, direction=AT_LEAST)
    assert floor.passes(2.5) and floor.passes(2.0) and not floor.passes(1.5)
    assert (ceiling.shown(), floor.shown()) == ("≤ 2x", "≥ 2x")


def test_every_target_names_a_figure_the_report_computes():
    for t in TARGETS:
        assert t.figure in (CROSS_FIGURES if t.tiers == (CROSS,) else FIGURES), t.check
        assert all(tier in TIERS for tier in t.tiers) or t.tiers == (CROSS,), t.check
    assert len({t.check for t in TARGETS}) == len(TARGETS)


def test_report_option_reprints_a_saved_run(results, tmp_path, capsys):
    saved = tmp_path / "latest.json"
    saved.write_text(json.dumps(results), encoding="utf-8")
    assert main(["--report", str(saved)]) == 0
    out = capsys.readouterr().out
    assert out == render(results) + "\n"
    assert f"== small: {len(html_files(DOCTIER))} pages" in out and "query cold p50 vs minimal Whoosh" in out


def test_a_failed_tier_prints_its_error(results):
    failed = {"tier": "medium", "error": "RuntimeError: searcher ingest failed (2)"}
    assert format_table(failed, results["settings"]) == "== medium: FAILED before any result\n" + failed["error"]
    assert checks({"medium": failed}) == []


def test_index_summary_reads_the_json_report_and_refuses_anything_else():
    line = '{"version": 1, "added": 3, "changed": 1, "removed": 2, "unchanged": 4, "skipped": 0, "sections": 9}'
    assert index_summary("warning on stdout\n" + line + "\n") == {
        "added": 3,
        "changed": 1,
        "removed": 2,
        "unchanged": 4,
        "skipped": 0,
        "sections": 9,
    }
    for bad in ("", "3 added, 1 changed", '{"added": 3}'):
        with pytest.raises(RuntimeError, match="no JSON report"):
            index_summary(bad)


def test_measure_reports_the_child_exit_output_and_memory():
    m = measure([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"])
    assert (m.returncode, m.stdout, m.stderr) == (3, "out\n", "err\n")
    assert m.tree_peak_rss >= m.max_rss > 0


def test_percentile_interpolates_between_ranks():
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([0, 10], 95) == pytest.approx(9.5)
    assert percentile([7], 95) == 7


def test_bench_code_stays_small():
    for path in sorted(BENCH.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 300, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno - node.lineno + 1 <= 50, f"{path.name}: {node.name}"
