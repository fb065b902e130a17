"""The report: a table per tier and the cross-tier line, printed from the JSON results alone.

Every PASS/MISS comes from ``bench.targets``: a row shows the target set for
its figure on its tier, if any, and the checks are the targets' figures
computed from the results.  So ``bench/run.py --report FILE`` reprints a
saved run against today's targets without measuring anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.measure import MB, MIB
from bench.settings import DEFAULT_RUNS
from bench.targets import CROSS, TARGETS, Target, target_for

WIDTHS = (36, 20, 20, 7, 20)

# A tier's figures that a target can compare, from that tier's results.
FIGURES: dict[str, Callable[[dict], float]] = {
    "ingest_wall_ratio": lambda r: r["ingest"]["searcher"]["seconds"] / r["ingest"]["baseline"]["seconds"],
    "ingest_peak_rss_mib": lambda r: r["ingest"]["searcher"]["peak_rss_tree"] / MIB,
    "reindex_nothing_share": lambda r: r["reindex"]["nothing"]["share_of_full"],
    "reindex_one_file_share": lambda r: r["reindex"]["one_file"]["share_of_full"],
    "reindex_one_percent_share": lambda r: r["reindex"]["one_percent"]["share_of_full"],
    "warm_p50_ms": lambda r: r["query_warm"]["searcher"]["p50"] * 1e3,
    "warm_p95_ms": lambda r: r["query_warm"]["searcher"]["p95"] * 1e3,
    "cold_vs_whoosh": lambda r: r["query_cold"]["searcher"]["p50"] / r["query_cold"]["whoosh"]["p50"],
}


def seconds_per_mb_growth(tiers: dict, tool: str = "searcher") -> float:
    """Full-ingest seconds per MB on large ÷ on medium: 1.0 is a linear cost."""
    return tiers["large"]["ingest"][tool]["seconds_per_mb"] / tiers["medium"]["ingest"][tool]["seconds_per_mb"]


# Figures across tiers, from the results of every tier.
CROSS_FIGURES: dict[str, Callable[[dict], float]] = {"seconds_per_mb_growth": seconds_per_mb_growth}


@dataclass
class Row:
    """One line of a tier's table."""

    label: str
    searcher: str
    baseline: str
    ratio: float | None
    target: str = ""
    ok: bool | None = None
    check: str = ""
    value: float | None = None


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def _judged(row: Row, res: dict, figure: str, targets: tuple[Target, ...]) -> Row:
    """``row`` with the target of ``figure`` on this tier and its verdict, if a target is set."""
    target = target_for(figure, res["tier"], targets)
    if target is not None:
        row.value = FIGURES[figure](res)
        row.target, row.ok, row.check = target.shown(), target.passes(row.value), target.check
    return row


def _ingest_rows(res: dict, targets: tuple[Target, ...]) -> list[Row]:
    s, b = res["ingest"]["searcher"], res["ingest"]["baseline"]
    return [
        _judged(
            Row("full ingest: wall", _s(s["seconds"]), _s(b["seconds"]), s["seconds"] / b["seconds"]),
            res,
            "ingest_wall_ratio",
            targets,
        ),
        Row("full ingest: MB HTML/s", f"{s['mb_per_s']:.2f}", f"{b['mb_per_s']:.2f}", s["mb_per_s"] / b["mb_per_s"]),
        Row(
            "full ingest: records/s",
            f"{s['records_per_s']:.0f} sect",
            f"{b['records_per_s']:.0f} pages",
            s["records_per_s"] / b["records_per_s"],
        ),
        _judged(
            Row(
                "full ingest: peak RSS (tree)",
                f"{s['peak_rss_tree'] / MIB:.0f} MiB",
                f"{b['peak_rss_tree'] / MIB:.0f} MiB",
                s["peak_rss_tree"] / b["peak_rss_tree"],
            ),
            res,
            "ingest_peak_rss_mib",
            targets,
        ),
        Row(
            "  largest single process",
            f"{s['max_rss_single'] / MIB:.0f} MiB",
            f"{b['max_rss_single'] / MIB:.0f} MiB",
            s["max_rss_single"] / b["max_rss_single"],
        ),
        Row(
            "index size ÷ text size",
            f"{s['index_over_text']:.2f}",
            f"{b['index_over_text']:.2f}",
            s["index_over_text"] / b["index_over_text"],
        ),
    ]


def _reindex_rows(res: dict, targets: tuple[Target, ...]) -> list[Row]:
    rx, rebuild = res["reindex"], res["ingest"]["baseline"]["seconds"]
    k = rx["one_percent_files"]
    rows = []
    for key, label in (
        ("nothing", "reindex: nothing changed"),
        ("one_file", "reindex: one file changed"),
        ("one_percent", f"reindex: +{k}/-{k} files (1%)"),
    ):
        x = rx[key]
        share = f"{_s(x['seconds'])} = {x['share_of_full'] * 100:.1f}%"
        row = Row(label, share, f"{_s(rebuild)} rebuild", x["seconds"] / rebuild)
        rows.append(_judged(row, res, f"reindex_{key}_share", targets))
    return rows


def _warm_rows(res: dict, targets: tuple[Target, ...]) -> list[Row]:
    s, b = res["query_warm"]["searcher"], res["query_warm"]["baseline"]
    return [
        _judged(Row("query warm: p50", _ms(s["p50"]), _ms(b["p50"]), s["p50"] / b["p50"]), res, "warm_p50_ms", targets),
        _judged(Row("query warm: p95", _ms(s["p95"]), _ms(b["p95"]), s["p95"] / b["p95"]), res, "warm_p95_ms", targets),
    ]


def _cold_rows(res: dict, targets: tuple[Target, ...]) -> list[Row]:
    cq = res["query_cold"]
    s, w, b = cq["searcher"]["p50"], cq["whoosh"]["p50"], cq["baseline"]["p50"]
    return [
        _judged(
            Row("query cold p50 vs minimal Whoosh", _ms(s), _ms(w) + " whoosh", s / w), res, "cold_vs_whoosh", targets
        ),
        Row("query cold p50 vs baseline.py", _ms(s), _ms(b), s / b),
        Row("process start: searcher --version", _ms(cq["startup"]["p50"]), "", None),
    ]


def tier_rows(res: dict, targets: tuple[Target, ...] = TARGETS) -> list[Row]:
    """The rows of one tier's table, for the parts it measured."""
    rows: list[Row] = []
    for part, build in (
        ("ingest", _ingest_rows),
        ("reindex", _reindex_rows),
        ("query_warm", _warm_rows),
        ("query_cold", _cold_rows),
    ):
        if res.get(part):
            rows += build(res, targets)
    return rows


def _head(res: dict, settings: dict) -> str:
    c = res["corpus"]
    head = (
        f"== {res['tier']}: {c['pages']} pages, {c['html_bytes'] / MB:.1f} MB HTML, "
        f"{c['text_bytes'] / MB:.1f} MB text; "
        f"ingest median of {settings['ingest_runs'][res['tier']]} run(s) each, "
        f"reindex of {settings['reindex_runs']}, warm queries median of {settings['warm_rounds']} "
        f"rounds over {res.get('query_warm', {}).get('queries', 0)} queries, cold median of {settings['cold_runs']}"
    )
    if c.get("excluded"):
        head += f"\n   excluded from both tools: {', '.join(c['excluded'])}"
    if "error" in res:
        head += f"\n   FAILED part-way, figures below are incomplete: {res['error'][:2000]}"
    return head


def _line(r: Row) -> str:
    w = WIDTHS
    ratio = "" if r.ratio is None else f"{r.ratio:.3f}" if r.ratio < 10 else f"{r.ratio:.1f}"
    verdict = "" if r.ok is None else ("PASS" if r.ok else "MISS")
    return f"{r.label:<{w[0]}} {r.searcher:>{w[1]}} {r.baseline:>{w[2]}} {ratio:>{w[3]}}  {r.target:<{w[4]}} {verdict}"


def format_table(res: dict, settings: dict, targets: tuple[Target, ...] = TARGETS) -> str:
    """One tier's table: a head line with its corpus and run counts, then a row per measure."""
    if "ingest" not in res:
        return f"== {res['tier']}: FAILED before any result\n{res.get('error', '')}"
    w = WIDTHS
    lines = [_head(res, settings), ""]
    lines.append(
        f"{'measure':<{w[0]}} {'searcher':>{w[1]}} {'baseline':>{w[2]}} {'ratio':>{w[3]}}  {'target':<{w[4]}} result"
    )
    lines.append("-" * (sum(w) + 14))
    lines += [_line(r) for r in tier_rows(res, targets)]
    return "\n".join(lines)


def cross_tier(tiers: dict, targets: tuple[Target, ...] = TARGETS) -> tuple[list[dict], str]:
    """The checks and lines that compare tiers: seconds per MB from medium to large."""
    if not ("ingest" in tiers.get("medium", {}) and "ingest" in tiers.get("large", {})):
        return [], ""
    m, lg = tiers["medium"]["ingest"], tiers["large"]["ingest"]
    target = target_for("seconds_per_mb_growth", CROSS, targets)
    checks, lines = [], []
    for tool in ("searcher", "baseline"):
        growth = seconds_per_mb_growth(tiers, tool)
        line = (
            f"seconds per MB, large ÷ medium: {tool:8s} {lg[tool]['seconds_per_mb']:.3f} ÷ "
            f"{m[tool]['seconds_per_mb']:.3f} = {growth:.2f}"
        )
        if tool == "searcher" and target is not None:
            ok = target.passes(growth)
            line += f"   target {target.shown()}  " + ("PASS" if ok else "MISS")
            checks.append({"tier": CROSS, "check": target.check, "target": target.shown(), "value": growth, "pass": ok})
        lines.append(line)
    return checks, "\n".join(lines)


def checks(tiers: dict, targets: tuple[Target, ...] = TARGETS) -> list[dict]:
    """Every target met or missed by the results, tier by tier, then across tiers."""
    found = []
    for name, res in tiers.items():
        for r in tier_rows(res, targets):
            if r.ok is not None:
                found.append({"tier": name, "check": r.check, "target": r.target, "value": r.value, "pass": r.ok})
    return found + cross_tier(tiers, targets)[0]


def _preamble(meta: dict, settings: dict) -> str:
    runs = settings.get("runs")
    return "\n".join(
        [
            f"searcher benchmark, {meta['date']}: {meta['nproc']} CPUs ({meta['cpu']}), {meta['ram_gb']} GB RAM, "
            f"Python {meta['python']}, whoosh3 {meta['packages']['whoosh3']}, "
            f"bs4 {meta['packages']['beautifulsoup4']}; "
            f"repo {meta['git_commit'][:10]}, searcher from {meta['searcher_module']}",
            "ratio = searcher ÷ baseline (lower is better, except MB/s and records/s); baseline = bench/baseline.py, "
            "BeautifulSoup get_text() per page into one default Whoosh writer.",
            "Each full ingest is its own process; peak RSS = sum over the process tree, sampled every 50 ms. "
            f"Default ingest runs: {DEFAULT_RUNS} (large is costly)"
            + (f"; this run: {runs} per tier." if runs else "."),
            "Cold queries are fresh processes with the index in the page cache.\n",
        ]
    )


def render(results: dict, targets: tuple[Target, ...] = TARGETS) -> str:
    """The whole printed report of a JSON results object (as bench/run.py writes it)."""
    tiers, settings = results["tiers"], results["settings"]
    parts = [
        _preamble(results["meta"], settings),
        "\n\n".join(format_table(r, settings, targets) for r in tiers.values()),
    ]
    cross = cross_tier(tiers, targets)[1]
    if cross:
        parts.append("\n" + cross)
    found = checks(tiers, targets)
    passed = sum(c["pass"] for c in found)
    parts.append(
        f"\ntargets: {passed}/{len(found)} PASS"
        + "".join(f"\n  MISS {c['tier']}: {c['check']}" for c in found if not c["pass"])
    )
    return "\n".join(parts)
