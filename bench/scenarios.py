"""The scenarios of one tier: full ingest, reindex, warm and cold queries, searcher beside the baseline.

Runs interleave the tools (A B A B ...) and every figure is a median over the
runs.  Everything a tier measures lands in ``Tier.result``, plain data that
the report reads (and every single run is kept in it).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench.corpus import TIERS, Query, copy_tier, excluded, folder_bytes, html_files
from bench.measure import (
    MB,
    MIB,
    baseline_pages,
    child_env,
    index_summary,
    log,
    measure,
    median,
    percentile,
    searcher_cmd,
    timed,
)
from bench.settings import Settings

BENCH = Path(__file__).resolve().parent
TOOLS = ("searcher", "baseline")


def ingest_figures(runs: list[dict], html_bytes: int, text_bytes: int) -> dict:
    """One tool's full-ingest figures: medians over its runs."""
    sec = median([r["seconds"] for r in runs])
    index_bytes = median([r["index_bytes"] for r in runs])
    return {
        "runs": runs,
        "seconds": sec,
        "mb_per_s": html_bytes / MB / sec,
        "records": runs[-1]["records"],
        "records_per_s": median([r["records"] / r["seconds"] for r in runs]),
        "peak_rss_tree": median([r["peak_rss_tree"] for r in runs]),
        "max_rss_single": median([r["max_rss_single"] for r in runs]),
        "index_bytes": index_bytes,
        "index_over_text": index_bytes / text_bytes,
        "seconds_per_mb": sec / (html_bytes / MB),
    }


def reindex_figures(runs: list[dict], full: float, rebuild: float) -> dict:
    """One reindex scenario's figures, beside searcher's full ingest and the baseline's rebuild."""
    sec = median([x["seconds"] for x in runs])
    return {
        "runs": runs,
        "seconds": sec,
        "share_of_full": sec / full,
        "ratio_to_baseline_rebuild": sec / rebuild,
        "as_expected": all(x["as_expected"] for x in runs),
    }


def warm_figures(queries: list[Query], times: list[list[float]], hits: list[int]) -> dict:
    """One tool's warm figures: p50 and p95 over the per-query medians of the rounds."""
    per_query = [median(t) for t in times]
    return {
        "p50": percentile(per_query, 50),
        "p95": percentile(per_query, 95),
        "max": max(per_query),
        "per_query": [
            {"query": q.line, "seconds": t, "hits": h} for q, t, h in zip(queries, per_query, hits, strict=True)
        ],
    }


class Tier:
    """Every measurement of one tier, in a private temp folder."""

    def __init__(self, name: str, corpus: Path, work: Path, settings: Settings) -> None:
        self.name = name
        self.src = corpus / name / "html"
        self.text = corpus / name / "text"
        self.work = work / name
        self.html = self.work / "html"
        self.settings = settings
        self.runs = settings.ingest_runs(name)
        self.env = child_env()
        self.searcher = searcher_cmd()
        nxt = TIERS.index(name) + 1
        self.next_src = corpus / TIERS[nxt] / "html" if nxt < len(TIERS) else None
        self.result: dict = {"tier": name}

    def measure_all(self, queries: list[Query]) -> dict:
        """Every scenario in turn; a failure is kept in the result and ends the tier."""
        try:
            self.ingest()
            self.reindex()
            self.warm_queries(queries)
            self.cold_queries()
        except Exception as err:  # keep the other tiers' results
            self.result["error"] = f"{type(err).__name__}: {err}"
            log(f"{self.name}: FAILED, going on with the next tier: {self.result['error']}")
        return self.result

    # -- full ingest ------------------------------------------------------

    def _ingest_cmd(self, tool: str, ix: Path) -> list[str]:
        if tool == "baseline":
            return [sys.executable, str(BENCH / "baseline.py"), "ingest", str(self.html), str(ix)]
        workers = ["--workers", str(self.settings.workers)] if self.settings.workers is not None else []
        return [*self.searcher, "index", "--json", "--index", str(ix), *workers, str(self.html)]

    def _ingest_once(self, tool: str) -> dict:
        ix = self.work / f"ix-{tool}"
        shutil.rmtree(ix, ignore_errors=True)
        m = measure(self._ingest_cmd(tool, ix), self.env)
        if m.returncode != 0:
            raise RuntimeError(f"{tool} ingest failed ({m.returncode}):\n{m.stderr[-3000:]}")
        records = index_summary(m.stdout)["sections"] if tool == "searcher" else baseline_pages(m.stderr)
        return {
            "seconds": m.seconds,
            "records": records,
            "peak_rss_tree": m.tree_peak_rss,
            "max_rss_single": m.max_rss,
            "index_bytes": folder_bytes(ix),
        }

    def ingest(self) -> None:
        """Full ingests into empty indexes, each its own process, the tools taking turns."""
        corpus = copy_tier(self.src, self.text, self.html, self.settings.exclude)
        self.result["corpus"] = corpus
        if corpus["excluded"]:
            log(f"{self.name}: excluded {len(corpus['excluded'])} page(s): {', '.join(corpus['excluded'])}")
        log(
            f"{self.name}: {corpus['pages']} pages, {corpus['html_bytes'] / MB:.1f} MB HTML; "
            f"{self.runs} ingest runs each"
        )
        runs: dict[str, list[dict]] = {tool: [] for tool in TOOLS}
        for r in range(self.runs):
            for tool in TOOLS:
                run = self._ingest_once(tool)
                runs[tool].append(run)
                log(
                    f"{self.name}: ingest {r + 1}/{self.runs} {tool:8s} {run['seconds']:7.2f} s  "
                    f"{run['records']} records  peak {run['peak_rss_tree'] / MIB:.0f} MiB  "
                    f"index {run['index_bytes'] / MB:.1f} MB"
                )
        self.result["ingest"] = {
            tool: ingest_figures(rs, corpus["html_bytes"], corpus["text_bytes"]) for tool, rs in runs.items()
        }
        # Keep pristine copies of the last indexes for the query measurements.
        for tool in TOOLS:
            shutil.copytree(self.work / f"ix-{tool}", self.work / f"query-{tool}")

    # -- reindex ----------------------------------------------------------

    def _fresh_pages(self, originals: list[Path]) -> list[Path]:
        """Pages of the next tier this one lacks, to add in the 1% scenario."""
        if self.next_src is None:
            return []
        have = {p.relative_to(self.html).as_posix() for p in originals}
        rels = ((p, p.relative_to(self.next_src).as_posix()) for p in html_files(self.next_src))
        return [p for p, rel in rels if rel not in have and not excluded(rel, self.settings.exclude)]

    def _add_and_remove(self, r: int, k: int, originals: list[Path], fresh: list[Path]) -> None:
        """Round ``r`` of the 1% scenario: remove k pages from the back, add k new ones."""
        for p in originals[::-1][r * k : (r + 1) * k]:
            p.unlink()
        n = len(originals)
        for i in range(k):
            if fresh:
                src = fresh[r * k + i]
                dst = self.html / src.relative_to(self.next_src)
            else:
                src = originals[(r * k + i) % n]
                dst = self.html / "bench-added" / f"r{r}" / src.relative_to(self.html)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)

    def _reindex_once(self, scenario: str, expected: dict) -> dict:
        cmd = [*self.searcher, "index", "--json", "--index", str(self.work / "ix-searcher"), str(self.html)]
        seconds, done = timed(cmd, self.env)
        if done.returncode != 0:
            raise RuntimeError(f"reindex failed ({done.returncode}):\n{done.stderr[-3000:]}")
        summary = index_summary(done.stdout)
        want = {"added": 0, "changed": 0, "removed": 0} | expected
        ok = all(summary[key] == v for key, v in want.items())
        if not ok:
            log(f"{self.name}: reindex {scenario}: expected {want}, got {summary}")
        return {"seconds": seconds, "summary": summary, "as_expected": ok}

    def reindex(self) -> None:
        """Reindex with nothing changed, one file edited, and 1% of the files removed and 1% added."""
        originals = html_files(self.html)
        n, reindex_runs = len(originals), self.settings.reindex_runs
        k = max(1, round(n * 0.01))
        fresh = self._fresh_pages(originals)
        if len(fresh) < k * reindex_runs:
            fresh = []
        expected = {"nothing": {}, "one_file": {"changed": 1}, "one_percent": {"added": k, "removed": k}}
        scenarios: dict[str, list[dict]] = {name: [] for name in expected}
        for r in range(reindex_runs):
            for name in scenarios:
                if name == "one_file":
                    with open(originals[r], "ab") as fh:
                        fh.write(f"\n<p>benchmark edit {r} of this page</p>\n".encode())
                elif name == "one_percent":
                    self._add_and_remove(r, k, originals, fresh)
                run = self._reindex_once(name, expected[name])
                scenarios[name].append(run)
                log(f"{self.name}: reindex {r + 1}/{reindex_runs} {name:12s} {run['seconds']:6.2f} s  {run['summary']}")
        full, rebuild = (self.result["ingest"][tool]["seconds"] for tool in TOOLS)
        self.result["reindex"] = {
            "files": n,
            "one_percent_files": k,
            "added_from": "next tier" if fresh else "renamed copies of this tier",
            **{name: reindex_figures(rs, full, rebuild) for name, rs in scenarios.items()},
        }

    # -- queries ----------------------------------------------------------

    def _warm_times(self, queries: list[Query]) -> tuple[dict, dict]:
        """Per tool and query, the seconds of each counted round and the hit count."""
        from bench.baseline import Searcher as BaselineSearcher
        from searcher import render
        from searcher.query import SearchRequest, run, weighting
        from searcher.store import open_index
        from searcher.tag import default_taxonomy

        ix = open_index(self.work / "query-searcher")
        taxonomy = default_taxonomy()
        base = BaselineSearcher(self.work / "query-baseline")
        times: dict[str, list[list[float]]] = {tool: [[] for _ in queries] for tool in TOOLS}
        hits: dict[str, list[int]] = {tool: [0] * len(queries) for tool in TOOLS}
        with ix.searcher(weighting=weighting()) as s:
            for rnd in range(self.settings.warm_rounds + 1):  # round 0 warms up and is not counted
                for i, q in enumerate(queries):
                    request = SearchRequest(q.text, q.section, list(q.therapies))
                    t0 = time.perf_counter()
                    result = run(s, ix.schema, request, taxonomy)
                    render.as_json(result)
                    t1 = time.perf_counter()
                    found = base.search(q.text)
                    t2 = time.perf_counter()
                    if rnd:
                        times["searcher"][i].append(t1 - t0)
                        times["baseline"][i].append(t2 - t1)
                    hits["searcher"][i], hits["baseline"][i] = len(result.hits), len(found)
        base.close()
        return times, hits

    def warm_queries(self, queries: list[Query]) -> None:
        """Every query on one open index of each tool, the tools taking turns query by query."""
        times, hits = self._warm_times(queries)
        out: dict = {"queries": len(queries), "rounds": self.settings.warm_rounds}
        for tool in TOOLS:
            out[tool] = warm_figures(queries, times[tool], hits[tool])
        self.result["query_warm"] = out
        s, b = out["searcher"], out["baseline"]
        slow = sorted(s["per_query"], key=lambda x: -x["seconds"])[:3]
        log(
            f"{self.name}: warm p50 {s['p50'] * 1e3:.1f} ms p95 {s['p95'] * 1e3:.1f} ms "
            f"(baseline {b['p50'] * 1e3:.1f} / {b['p95'] * 1e3:.1f} ms); slowest: "
            + ", ".join(f"{x['query']!r} {x['seconds'] * 1e3:.0f} ms" for x in slow)
        )

    def cold_queries(self) -> None:
        """Fresh processes: searcher, the minimal Whoosh script, the baseline, and searcher's start-up."""
        ix, bix = self.work / "query-searcher", self.work / "query-baseline"
        query, cold_runs = self.settings.cold_query, self.settings.cold_runs
        cmds = {
            "searcher": [*self.searcher, "search", "--json", "--index", str(ix), "--", query],
            "whoosh": [sys.executable, str(BENCH / "cold_whoosh.py"), str(ix), query],
            "baseline": [sys.executable, str(BENCH / "baseline.py"), "query", str(bix), query],
            "startup": [*self.searcher, "--version"],
        }
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for r in range(cold_runs + 1):  # run 0 fills the page cache and is not counted
            for tool, cmd in cmds.items():
                seconds, done = timed(cmd, self.env)
                if done.returncode not in (0, 1):
                    raise RuntimeError(f"cold {tool} query failed ({done.returncode}):\n{done.stderr[-3000:]}")
                if r:
                    times[tool].append(seconds)
        c = {tool: {"p50": median(ts), "times": ts} for tool, ts in times.items()}
        self.result["query_cold"] = {"query": query, "runs": cold_runs, **c}
        log(
            f"{self.name}: cold p50 searcher {c['searcher']['p50'] * 1e3:.0f} ms, minimal whoosh "
            f"{c['whoosh']['p50'] * 1e3:.0f} ms, baseline {c['baseline']['p50'] * 1e3:.0f} ms, "
            f"`searcher --version` {c['startup']['p50'] * 1e3:.0f} ms"
        )
