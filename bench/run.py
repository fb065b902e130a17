"""Benchmark searcher against a plain Whoosh + BeautifulSoup baseline on real HTML.

    python bench/run.py [--tiers small,medium,large] [--runs N] [--out bench/results/latest.json]
    python bench/run.py --report bench/results/latest.json

For each tier of the corpus (Debian documentation pages, about 5 / 50 / 200 MB
of HTML) it measures, interleaving searcher and the baseline (A B A B ...):

- full ingest: wall time, MB of HTML/s, sections/s, peak RSS, index size ÷ text size;
- reindex with nothing changed, one file changed, 1% of files added and 1% removed;
- warm queries (index opened once): p50 and p95 over bench/queries.txt;
- cold queries: a fresh ``searcher search --json`` process beside a minimal
  Whoosh script on the same index.

Every figure is the median of several runs.  It writes everything (every
single run included) as JSON, then prints from that JSON a table per tier with
each searcher figure as a ratio to the baseline, the target and PASS/MISS.
``--report FILE`` prints the tables of a saved run without measuring.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import TIERS, ensure_corpus, load_queries
from bench.measure import log, machine
from bench.report import checks, render
from bench.scenarios import Tier
from bench.settings import COLD_QUERY, Settings

BENCH = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tiers", default="small,medium,large", help="comma-separated tiers (default: all three)")
    p.add_argument(
        "--runs", type=int, default=None, help="full ingest runs per tool (default: small 3, medium 3, large 2)"
    )
    p.add_argument("--out", type=Path, default=BENCH / "results" / "latest.json", help="JSON results file")
    p.add_argument("--corpus", type=Path, default=None, help="existing corpus folder holding <tier>/html and /text")
    p.add_argument("--queries", type=Path, default=BENCH / "queries.txt")
    p.add_argument("--cold-query", default=COLD_QUERY, help=f"query for the cold runs (default: {COLD_QUERY!r})")
    p.add_argument("--workers", type=int, default=None, help="pass --workers N to searcher index (default: its own)")
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out pages matching GLOB (path inside a tier's html/) for both tools; repeatable",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary copies and indexes")
    p.add_argument("--report", type=Path, metavar="JSON", help="print the tables of a saved run and measure nothing")
    args = p.parse_args(argv)
    args.tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    unknown = [t for t in args.tiers if t not in TIERS]
    if unknown:
        p.error(f"unknown tier(s): {', '.join(unknown)}")
    return args


def measure_tiers(tiers: list[str], corpus: Path, settings: Settings, queries: list, keep: bool) -> dict[str, dict]:
    """Every scenario of every tier, each tier in its own temporary folder."""
    work = Path(tempfile.mkdtemp(prefix="searcher-bench-"))
    results: dict[str, dict] = {}
    try:
        for name in tiers:
            tier = Tier(name, corpus, work, settings)
            results[name] = tier.measure_all(queries)
            if not keep:
                shutil.rmtree(tier.work, ignore_errors=True)
    finally:
        if keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return results


def settings_json(settings: Settings, tiers: list[str], corpus: Path) -> dict:
    """What the run was asked to measure, as the JSON results keep it."""
    return {
        "tiers": tiers,
        "runs": settings.runs,
        "ingest_runs": {t: settings.ingest_runs(t) for t in tiers},
        "reindex_runs": settings.reindex_runs,
        "warm_rounds": settings.warm_rounds,
        "cold_runs": settings.cold_runs,
        "cold_query": settings.cold_query,
        "searcher_workers": settings.workers,
        "exclude": settings.exclude,
        "rss": "sum of RSS over the process tree, sampled from /proc every 50 ms; max_rss_single from wait4",
        "corpus": str(corpus),
    }


def run_benchmark(tiers: list[str], corpus: Path, settings: Settings, queries: list, keep: bool = False) -> dict:
    """The JSON results of a whole run: the machine, the settings, every tier's figures and the checks."""
    meta = machine()
    log(
        f"{meta['nproc']} CPUs ({meta['cpu']}), {meta['ram_gb']} GB RAM, Python {meta['python']}; corpus {corpus}; "
        f"{len(queries)} queries"
    )
    measured = measure_tiers(tiers, corpus, settings, queries, keep)
    return {
        "meta": meta,
        "settings": settings_json(settings, tiers, corpus),
        "tiers": measured,
        "checks": checks(measured),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        print(render(json.loads(args.report.read_text(encoding="utf-8"))))
        return 0
    corpus = ensure_corpus(args.corpus, args.tiers)
    settings = Settings(runs=args.runs, cold_query=args.cold_query, workers=args.workers, exclude=args.exclude)
    results = run_benchmark(args.tiers, corpus, settings, load_queries(args.queries), args.keep)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    print(render(json.loads(args.out.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
