"""Query speed on an index that already exists: warm, through the CLI's own path, and cold.

    python bench/query_speed.py INDEX_DIR [--rounds 5] [--cold-runs 20] [--clock cpu] [--json]

- warm: one open index, every query of bench/queries.txt (with its filters),
  rendered as JSON; p50 and p95 over the per-query medians of the rounds;
- cli path: what ``searcher search`` does for one query beyond process
  start-up: open the index, search, render, close; p50 over the queries;
- cold: fresh ``searcher search --json`` processes, each beside
  bench/cold_whoosh.py on the same index (page cache warm), p50 of each.

``--clock cpu`` times CPU seconds instead of wall seconds (children's CPU
for the cold runs): on a machine that other work keeps busy the wall clock
mostly measures the wait for a core.  It measures whichever ``searcher``
package Python imports, so two versions
can be compared on their own indexes in one sitting (PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from bench.corpus import load_queries  # noqa: E402
from bench.measure import percentile  # noqa: E402

CLOCK = time.perf_counter  # --clock cpu: time.process_time, for a machine other work keeps busy


def warm(index_dir: Path, queries, rounds: int) -> dict:
    from searcher import render
    from searcher.query import SearchRequest, run, weighting
    from searcher.store import open_index
    from searcher.tag import default_taxonomy

    ix = open_index(index_dir)
    taxonomy = default_taxonomy()
    times: list[list[float]] = [[] for _ in queries]
    with ix.searcher(weighting=weighting()) as s:
        for rnd in range(rounds + 1):  # round 0 warms up
            for i, q in enumerate(queries):
                t0 = CLOCK()
                render.as_json(run(s, ix.schema, SearchRequest(q.text, q.section, list(q.therapies)), taxonomy))
                if rnd:
                    times[i].append(CLOCK() - t0)
    per_query = [statistics.median(t) for t in times]
    slow = sorted(zip(per_query, (q.line for q in queries), strict=True), reverse=True)[:3]
    return {
        "p50": percentile(per_query, 50),
        "p95": percentile(per_query, 95),
        "slowest": [[line, t] for t, line in slow],
    }


def cli_path(index_dir: Path, queries, rounds: int) -> dict:
    from searcher import render
    from searcher.query import SearchRequest, search
    from searcher.tag import default_taxonomy

    taxonomy = default_taxonomy()
    times: list[list[float]] = [[] for _ in queries]
    for rnd in range(rounds + 1):
        for i, q in enumerate(queries):
            t0 = CLOCK()
            render.as_json(search(index_dir, SearchRequest(q.text, q.section, list(q.therapies)), taxonomy))
            if rnd:
                times[i].append(CLOCK() - t0)
    per_query = [statistics.median(t) for t in times]
    return {"p50": percentile(per_query, 50), "p95": percentile(per_query, 95)}


def cold(index_dir: Path, query: str, runs: int) -> dict:
    cmds = {
        "searcher": [sys.executable, "-m", "searcher", "search", "--json", "--index", str(index_dir), "--", query],
        "whoosh": [sys.executable, str(BENCH / "cold_whoosh.py"), str(index_dir), query],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for r in range(runs + 1):
        for tool, cmd in cmds.items():
            t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(cmd, capture_output=True)
            wall, c1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
            if done.returncode not in (0, 1):
                raise RuntimeError(done.stderr.decode()[-2000:])
            cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
            if r:
                times[tool].append(cpu if CLOCK is time.process_time else wall)
    out = {tool: statistics.median(ts) for tool, ts in times.items()}
    out["ratio"] = out["searcher"] / out["whoosh"]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("index", type=Path)
    p.add_argument("--queries", type=Path, default=BENCH / "queries.txt")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--cold-runs", type=int, default=20)
    p.add_argument("--cold-query", default="transaction isolation")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall", help="wall time (default) or CPU time")
    args = p.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    queries = load_queries(args.queries)
    result = {
        "warm": warm(args.index, queries, args.rounds),
        "cli_path": cli_path(args.index, queries, max(1, args.rounds // 2)),
        "cold": cold(args.index, args.cold_query, args.cold_runs),
    }
    if args.json:
        print(json.dumps(result))
        return
    w, c, k = result["warm"], result["cli_path"], result["cold"]
    print(f"warm      p50 {w['p50'] * 1e3:6.2f} ms  p95 {w['p95'] * 1e3:6.2f} ms")
    print(f"cli path  p50 {c['p50'] * 1e3:6.2f} ms  p95 {c['p95'] * 1e3:6.2f} ms")
    print(
        f"cold      searcher {k['searcher'] * 1e3:.0f} ms, minimal whoosh {k['whoosh'] * 1e3:.0f} ms, "
        f"ratio {k['ratio']:.2f}"
    )
    print("slowest warm: " + ", ".join(f"{line!r} {t * 1e3:.0f} ms" for line, t in w["slowest"]))


if __name__ == "__main__":
    main()
