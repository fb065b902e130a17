"""Benchmark searcher against a plain Whoosh + BeautifulSoup baseline on real HTML.

    python bench/run.py [--tiers small,medium,large] [--runs N] [--out bench/results/latest.json]

For each tier of the corpus (Debian documentation pages, about 5 / 50 / 200 MB
of HTML) it measures, interleaving searcher and the baseline (A B A B ...):

- full ingest: wall time, MB of HTML/s, sections/s, peak RSS, index size ÷ text size;
- reindex with nothing changed, one file changed, 1% of files added and 1% removed;
- warm queries (index opened once): p50 and p95 over bench/queries.txt;
- cold queries: a fresh ``searcher search --json`` process beside a minimal
  Whoosh script on the same index.

Every figure is the median of several runs.  It prints a table per tier with
each searcher figure as a ratio to the baseline, the target and PASS/MISS, and
writes everything (every single run included) as JSON.

Full ingests run as separate processes.  Peak RSS is sampled from /proc every
50 ms as the sum over the process and all its descendants (searcher's parser
workers included); the largest single process, from ``os.wait4``'s rusage, is
kept beside it.

The corpus is built on first use with bench/make_corpus.sh (Debian packages,
needs apt and root) into ``$SEARCHER_BENCH_CACHE/corpus-real``, default
``~/.cache/searcher-bench/corpus-real``; ``--corpus DIR`` uses an existing one.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TIERS = ("small", "medium", "large")
DEFAULT_RUNS = {"small": 3, "medium": 3, "large": 2}
REINDEX_RUNS = 5
WARM_ROUNDS = 5
COLD_RUNS = 20
COLD_QUERY = "transaction isolation"
SAMPLE_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1e6
MIB = 1024 * 1024


# ---------------------------------------------------------------- processes


@dataclass
class Measured:
    """One finished child process: wall time, memory, exit code, output."""

    seconds: float
    tree_peak_rss: int
    max_rss: int
    returncode: int
    stdout: str
    stderr: str


def _proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, rss bytes) for every process we can see."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        table[int(name)] = (int(fields[1]), int(fields[21]) * PAGE)
    return table


def _tree_rss(root: int) -> int:
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
        todo.extend(children.get(pid, ()))
    return total


def measure(cmd: list[str], env: dict | None = None) -> Measured:
    """Run ``cmd`` to its end, sampling the RSS of its whole process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            seconds,
            max(peak, usage.ru_maxrss * 1024),
            usage.ru_maxrss * 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - started, done


def searcher_cmd() -> list[str]:
    script = Path(sys.executable).with_name("searcher")
    if script.exists():
        return [str(script)]
    found = shutil.which("searcher")
    return [found] if found else [sys.executable, "-c", "import sys; from searcher.cli import main; sys.exit(main())"]


def child_env() -> dict:
    env = dict(os.environ)
    env.pop("SEARCHER_INDEX", None)
    # An installed package has its byte code compiled; let the first run write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


# ---------------------------------------------------------------- helpers


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.is_file())


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


_SUMMARY = re.compile(
    r"(\d+) added, (\d+) changed, (\d+) removed, (\d+) unchanged, (\d+) skipped; (\d+) sections indexed"
)


def parse_summary(stderr: str) -> dict:
    found = _SUMMARY.findall(stderr)
    if not found:
        raise RuntimeError(f"no summary line from searcher index:\n{stderr[-2000:]}")
    keys = ("added", "changed", "removed", "unchanged", "skipped", "sections")
    return dict(zip(keys, map(int, found[-1]), strict=True))


# ---------------------------------------------------------------- queries


@dataclass
class Query:
    """One line of queries.txt."""

    line: str
    text: str
    section: str | None = None
    therapies: list[str] = field(default_factory=list)

    def cli_args(self) -> list[str]:
        args = ["--section", self.section] if self.section else []
        for t in self.therapies:
            args += ["--therapy", t]
        return [*args, "--", self.text]


_OPTION = re.compile(r'^--(section|therapy)\s+("[^"]*"|\S+)\s+')


def load_queries(path: Path) -> list[Query]:
    queries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        q, rest = Query(line, ""), line
        while m := _OPTION.match(rest):
            value = m.group(2).strip('"')
            if m.group(1) == "section":
                q.section = value
            else:
                q.therapies.append(value)
            rest = rest[m.end() :]
        q.text = rest
        queries.append(q)
    return queries


# ---------------------------------------------------------------- corpus


def cache_dir() -> Path:
    env = os.environ.get("SEARCHER_BENCH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "searcher-bench"


def ensure_corpus(corpus: Path | None, tiers: list[str]) -> Path:
    corpus = corpus or cache_dir() / "corpus-real"
    if all((corpus / t / "html").is_dir() and (corpus / t / "text").is_dir() for t in tiers):
        return corpus
    if REPO in corpus.resolve().parents:
        raise SystemExit(f"refusing to build the corpus inside the repository: {corpus}")
    log(f"corpus missing at {corpus}; building it with bench/make_corpus.sh (Debian packages, a few minutes)")
    corpus.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(BENCH / "make_corpus.sh"), str(corpus)], check=True)
    return corpus


# ---------------------------------------------------------------- machine


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for pkg in ("searcher", "whoosh3", "beautifulsoup4", "click", "rapidfuzz", "lxml"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    import searcher

    module = Path(searcher.__file__).resolve().parent
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "searcher"], capture_output=True, text=True
    )
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "ram_gb": round(ram / 1e9, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "git_commit": commit.strip(),
        "searcher_module": str(module),
        "searcher_dirty": bool(dirty.stdout.strip()) if module.parent == REPO else None,
    }


# ---------------------------------------------------------------- one tier


class Tier:
    """Every measurement of one tier, in a private temp folder."""

    def __init__(self, name: str, corpus: Path, work: Path, args: argparse.Namespace) -> None:
        self.name = name
        self.src = corpus / name / "html"
        self.text = corpus / name / "text"
        self.work = work / name
        self.html = self.work / "html"
        self.args = args
        self.runs = args.runs or DEFAULT_RUNS[name]
        self.env = child_env()
        self.searcher = searcher_cmd()
        nxt = TIERS.index(name) + 1
        self.next_src = corpus / TIERS[nxt] / "html" if nxt < len(TIERS) else None
        self.result: dict = {"tier": name}

    # -- full ingest ------------------------------------------------------

    def excluded(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pattern) for pattern in self.args.exclude)

    def ingest(self) -> None:
        shutil.copytree(self.src, self.html)
        dropped = []
        for p in html_files(self.html):
            rel = p.relative_to(self.html).as_posix()
            if self.excluded(rel):
                p.unlink()
                dropped.append(rel)
        if dropped:
            log(f"{self.name}: excluded {len(dropped)} page(s): {', '.join(dropped)}")
        pages = html_files(self.html)
        html_bytes = sum(p.stat().st_size for p in pages)
        text_bytes = folder_bytes(self.text) - sum(
            (self.text / rel).with_suffix(".txt").stat().st_size
            for rel in dropped
            if (self.text / rel).with_suffix(".txt").is_file()
        )
        self.result["corpus"] = {
            "pages": len(pages),
            "html_bytes": html_bytes,
            "text_bytes": text_bytes,
            "excluded": dropped,
        }
        log(f"{self.name}: {len(pages)} pages, {html_bytes / MB:.1f} MB HTML; {self.runs} ingest runs each")
        workers = ["--workers", str(self.args.workers)] if self.args.workers is not None else []
        runs: dict[str, list[dict]] = {"searcher": [], "baseline": []}
        for r in range(self.runs):
            for tool in ("searcher", "baseline"):
                ix = self.work / f"ix-{tool}"
                shutil.rmtree(ix, ignore_errors=True)
                if tool == "searcher":
                    cmd = [*self.searcher, "index", "--index", str(ix), *workers, str(self.html)]
                else:
                    cmd = [sys.executable, str(BENCH / "baseline.py"), "ingest", str(self.html), str(ix)]
                m = measure(cmd, self.env)
                if m.returncode != 0:
                    raise RuntimeError(f"{tool} ingest failed ({m.returncode}):\n{m.stderr[-3000:]}")
                if tool == "searcher":
                    records = parse_summary(m.stderr)["sections"]
                else:
                    records = int(re.search(r"(\d+) pages indexed", m.stderr).group(1))
                size = folder_bytes(ix)
                run = {
                    "seconds": m.seconds,
                    "records": records,
                    "peak_rss_tree": m.tree_peak_rss,
                    "max_rss_single": m.max_rss,
                    "index_bytes": size,
                }
                runs[tool].append(run)
                log(
                    f"{self.name}: ingest {r + 1}/{self.runs} {tool:8s} {m.seconds:7.2f} s  "
                    f"{records} records  peak {m.tree_peak_rss / MIB:.0f} MiB  index {size / MB:.1f} MB"
                )
        out = {}
        for tool, rs in runs.items():
            sec = median([r["seconds"] for r in rs])
            out[tool] = {
                "runs": rs,
                "seconds": sec,
                "mb_per_s": html_bytes / MB / sec,
                "records": rs[-1]["records"],
                "records_per_s": median([r["records"] / r["seconds"] for r in rs]),
                "peak_rss_tree": median([r["peak_rss_tree"] for r in rs]),
                "max_rss_single": median([r["max_rss_single"] for r in rs]),
                "index_bytes": median([r["index_bytes"] for r in rs]),
                "index_over_text": median([r["index_bytes"] for r in rs]) / text_bytes,
                "seconds_per_mb": sec / (html_bytes / MB),
            }
        self.result["ingest"] = out
        # Keep pristine copies of the last indexes for the query measurements.
        for tool in ("searcher", "baseline"):
            shutil.copytree(self.work / f"ix-{tool}", self.work / f"query-{tool}")

    # -- reindex ----------------------------------------------------------

    def reindex(self) -> None:
        ix = self.work / "ix-searcher"
        originals = html_files(self.html)
        n = len(originals)
        k = max(1, round(n * 0.01))
        fresh = []
        if self.next_src is not None:
            have = {p.relative_to(self.html).as_posix() for p in originals}
            fresh = [
                p
                for p in html_files(self.next_src)
                if p.relative_to(self.next_src).as_posix() not in have
                and not self.excluded(p.relative_to(self.next_src).as_posix())
            ]
        source = "next tier" if len(fresh) >= k * REINDEX_RUNS else "renamed copies of this tier"
        cmd = [*self.searcher, "index", "--index", str(ix), str(self.html)]
        scenarios = {"nothing": [], "one_file": [], "one_percent": []}
        expected = {"nothing": {}, "one_file": {"changed": 1}, "one_percent": {"added": k, "removed": k}}
        removable = originals[::-1]  # edits take from the front, removals from the back
        for r in range(REINDEX_RUNS):
            for name in scenarios:
                if name == "one_file":
                    victim = originals[r]
                    with open(victim, "ab") as fh:
                        fh.write(f"\n<p>benchmark edit {r} of this page</p>\n".encode())
                elif name == "one_percent":
                    for p in removable[r * k : (r + 1) * k]:
                        p.unlink()
                    for i in range(k):
                        if source == "next tier":
                            src = fresh[r * k + i]
                            dst = self.html / src.relative_to(self.next_src)
                        else:
                            src = originals[(r * k + i) % n]
                            dst = self.html / "bench-added" / f"r{r}" / src.relative_to(self.html)
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(src, dst)
                seconds, done = timed(cmd, self.env)
                if done.returncode != 0:
                    raise RuntimeError(f"reindex failed ({done.returncode}):\n{done.stderr[-3000:]}")
                summary = parse_summary(done.stderr)
                want = {"added": 0, "changed": 0, "removed": 0} | expected[name]
                ok = all(summary[key] == v for key, v in want.items())
                if not ok:
                    log(f"{self.name}: reindex {name}: expected {want}, got {summary}")
                scenarios[name].append({"seconds": seconds, "summary": summary, "as_expected": ok})
                log(f"{self.name}: reindex {r + 1}/{REINDEX_RUNS} {name:12s} {seconds:6.2f} s  {summary}")
        full = self.result["ingest"]["searcher"]["seconds"]
        rebuild = self.result["ingest"]["baseline"]["seconds"]
        self.result["reindex"] = {
            "files": n,
            "one_percent_files": k,
            "added_from": source,
            **{
                name: {
                    "runs": rs,
                    "seconds": median([x["seconds"] for x in rs]),
                    "share_of_full": median([x["seconds"] for x in rs]) / full,
                    "ratio_to_baseline_rebuild": median([x["seconds"] for x in rs]) / rebuild,
                    "as_expected": all(x["as_expected"] for x in rs),
                }
                for name, rs in scenarios.items()
            },
        }

    # -- queries ----------------------------------------------------------

    def warm_queries(self, queries: list[Query]) -> None:
        sys.path.insert(0, str(BENCH))
        from baseline import Searcher as BaselineSearcher

        from searcher import render
        from searcher.query import SearchRequest, run, weighting
        from searcher.store import open_index
        from searcher.tag import default_taxonomy

        ix = open_index(self.work / "query-searcher")
        taxonomy = default_taxonomy()
        base = BaselineSearcher(self.work / "query-baseline")
        times: dict[str, list[list[float]]] = {"searcher": [[] for _ in queries], "baseline": [[] for _ in queries]}
        hits: dict[str, list[int]] = {"searcher": [0] * len(queries), "baseline": [0] * len(queries)}
        with ix.searcher(weighting=weighting()) as s:
            for rnd in range(WARM_ROUNDS + 1):  # round 0 warms up and is not counted
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
        out: dict = {"queries": len(queries), "rounds": WARM_ROUNDS}
        for tool in ("searcher", "baseline"):
            per_query = [median(t) for t in times[tool]]
            out[tool] = {
                "p50": percentile(per_query, 50),
                "p95": percentile(per_query, 95),
                "max": max(per_query),
                "per_query": [
                    {"query": q.line, "seconds": t, "hits": h}
                    for q, t, h in zip(queries, per_query, hits[tool], strict=True)
                ],
            }
        self.result["query_warm"] = out
        slow = sorted(out["searcher"]["per_query"], key=lambda x: -x["seconds"])[:3]
        log(
            f"{self.name}: warm p50 {out['searcher']['p50'] * 1e3:.1f} ms p95 {out['searcher']['p95'] * 1e3:.1f} ms "
            f"(baseline {out['baseline']['p50'] * 1e3:.1f} / {out['baseline']['p95'] * 1e3:.1f} ms); slowest: "
            + ", ".join(f"{x['query']!r} {x['seconds'] * 1e3:.0f} ms" for x in slow)
        )

    def cold_queries(self) -> None:
        ix, bix = self.work / "query-searcher", self.work / "query-baseline"
        query = self.args.cold_query
        cmds = {
            "searcher": [*self.searcher, "search", "--json", "--index", str(ix), "--", query],
            "whoosh": [sys.executable, str(BENCH / "cold_whoosh.py"), str(ix), query],
            "baseline": [sys.executable, str(BENCH / "baseline.py"), "query", str(bix), query],
            "startup": [*self.searcher, "--version"],
        }
        times: dict[str, list[float]] = {k: [] for k in cmds}
        for r in range(COLD_RUNS + 1):  # run 0 fills the page cache and is not counted
            for tool, cmd in cmds.items():
                seconds, done = timed(cmd, self.env)
                if done.returncode not in (0, 1):
                    raise RuntimeError(f"cold {tool} query failed ({done.returncode}):\n{done.stderr[-3000:]}")
                if r:
                    times[tool].append(seconds)
        self.result["query_cold"] = {
            "query": query,
            "runs": COLD_RUNS,
            **{tool: {"p50": median(ts), "times": ts} for tool, ts in times.items()},
        }
        c = self.result["query_cold"]
        log(
            f"{self.name}: cold p50 searcher {c['searcher']['p50'] * 1e3:.0f} ms, minimal whoosh "
            f"{c['whoosh']['p50'] * 1e3:.0f} ms, baseline {c['baseline']['p50'] * 1e3:.0f} ms, "
            f"`searcher --version` {c['startup']['p50'] * 1e3:.0f} ms"
        )


# ---------------------------------------------------------------- report


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


def tier_rows(res: dict) -> list[Row]:
    tier = res["tier"]
    big = tier in ("medium", "large")
    rows: list[Row] = []
    ing = res.get("ingest")
    if ing:
        s, b = ing["searcher"], ing["baseline"]
        ratio = s["seconds"] / b["seconds"]
        rows += [
            Row(
                "full ingest: wall",
                _s(s["seconds"]),
                _s(b["seconds"]),
                ratio,
                "≤ 0.286 (3.5x faster)" if tier == "medium" else "",
                ratio <= 1 / 3.5 if tier == "medium" else None,
                "ingest_3_5x_faster",
                ratio,
            ),
            Row(
                "full ingest: MB HTML/s", f"{s['mb_per_s']:.2f}", f"{b['mb_per_s']:.2f}", s["mb_per_s"] / b["mb_per_s"]
            ),
            Row(
                "full ingest: records/s",
                f"{s['records_per_s']:.0f} sect",
                f"{b['records_per_s']:.0f} pages",
                s["records_per_s"] / b["records_per_s"],
            ),
            Row(
                "full ingest: peak RSS (tree)",
                f"{s['peak_rss_tree'] / MIB:.0f} MiB",
                f"{b['peak_rss_tree'] / MIB:.0f} MiB",
                s["peak_rss_tree"] / b["peak_rss_tree"],
                "≤ 400 MiB" if tier == "large" else "",
                s["peak_rss_tree"] <= 400 * MIB if tier == "large" else None,
                "peak_rss_large",
                s["peak_rss_tree"] / MIB,
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
    rx = res.get("reindex")
    if rx:
        rebuild = ing["baseline"]["seconds"]
        for key, label, limit in (
            ("nothing", "reindex: nothing changed", 0.02 if big else None),
            ("one_file", "reindex: one file changed", 0.05 if big else None),
            ("one_percent", f"reindex: +{rx['one_percent_files']}/-{rx['one_percent_files']} files (1%)", None),
        ):
            x = rx[key]
            rows.append(
                Row(
                    label,
                    f"{_s(x['seconds'])} = {x['share_of_full'] * 100:.1f}%",
                    f"{_s(rebuild)} rebuild",
                    x["seconds"] / rebuild,
                    f"≤ {limit * 100:.0f}% of full" if limit else "",
                    x["share_of_full"] <= limit if limit else None,
                    f"reindex_{key}",
                    x["share_of_full"],
                )
            )
    wq = res.get("query_warm")
    if wq:
        s, b = wq["searcher"], wq["baseline"]
        large = tier == "large"
        rows += [
            Row(
                "query warm: p50",
                _ms(s["p50"]),
                _ms(b["p50"]),
                s["p50"] / b["p50"],
                "≤ 5 ms" if large else "",
                s["p50"] <= 0.005 if large else None,
                "warm_p50_large",
                s["p50"] * 1e3,
            ),
            Row(
                "query warm: p95",
                _ms(s["p95"]),
                _ms(b["p95"]),
                s["p95"] / b["p95"],
                "≤ 20 ms" if large else "",
                s["p95"] <= 0.020 if large else None,
                "warm_p95_large",
                s["p95"] * 1e3,
            ),
        ]
    cq = res.get("query_cold")
    if cq:
        s, w, b = cq["searcher"]["p50"], cq["whoosh"]["p50"], cq["baseline"]["p50"]
        rows += [
            Row(
                "query cold p50 vs minimal Whoosh",
                _ms(s),
                _ms(w) + " whoosh",
                s / w,
                "≤ 1.3x",
                s / w <= 1.3,
                "cold_vs_whoosh",
                s / w,
            ),
            Row("query cold p50 vs baseline.py", _ms(s), _ms(b), s / b),
            Row("process start: searcher --version", _ms(cq["startup"]["p50"]), "", None),
        ]
    return rows


def format_table(res: dict, runs: int) -> str:
    if "ingest" not in res:
        return f"== {res['tier']}: FAILED before any result\n{res.get('error', '')}"
    c = res["corpus"]
    head = (
        f"== {res['tier']}: {c['pages']} pages, {c['html_bytes'] / MB:.1f} MB HTML, "
        f"{c['text_bytes'] / MB:.1f} MB text; "
        f"ingest median of {runs} run(s) each, reindex of {REINDEX_RUNS}, warm queries median of {WARM_ROUNDS} "
        f"rounds over {res.get('query_warm', {}).get('queries', 0)} queries, cold median of {COLD_RUNS}"
    )
    if c.get("excluded"):
        head += f"\n   excluded from both tools: {', '.join(c['excluded'])}"
    if "error" in res:
        head += f"\n   FAILED part-way, figures below are incomplete: {res['error'][:2000]}"
    rows = tier_rows(res)
    widths = [36, 20, 20, 7, 20]
    lines = [head, ""]
    lines.append(
        f"{'measure':<{widths[0]}} {'searcher':>{widths[1]}} {'baseline':>{widths[2]}} "
        f"{'ratio':>{widths[3]}}  {'target':<{widths[4]}} result"
    )
    lines.append("-" * (sum(widths) + 14))
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.3f}" if r.ratio < 10 else f"{r.ratio:.1f}"
        verdict = "" if r.ok is None else ("PASS" if r.ok else "MISS")
        lines.append(
            f"{r.label:<{widths[0]}} {r.searcher:>{widths[1]}} {r.baseline:>{widths[2]}} "
            f"{ratio:>{widths[3]}}  {r.target:<{widths[4]}} {verdict}"
        )
    return "\n".join(lines)


def cross_tier(results: dict) -> tuple[list[dict], str]:
    checks, lines = [], []
    if "ingest" in results.get("medium", {}) and "ingest" in results.get("large", {}):
        m, lg = results["medium"]["ingest"], results["large"]["ingest"]
        for tool in ("searcher", "baseline"):
            growth = lg[tool]["seconds_per_mb"] / m[tool]["seconds_per_mb"]
            lines.append(
                f"seconds per MB, large ÷ medium: {tool:8s} {lg[tool]['seconds_per_mb']:.3f} ÷ "
                f"{m[tool]['seconds_per_mb']:.3f} = {growth:.2f}"
                + ("   target ≤ 1.20  " + ("PASS" if growth <= 1.2 else "MISS") if tool == "searcher" else "")
            )
            if tool == "searcher":
                checks.append({"tier": "medium→large", "check": "linear_cost", "value": growth, "pass": growth <= 1.3})
    return checks, "\n".join(lines)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
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
    args = p.parse_args(argv)
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        p.error(f"unknown tier(s): {', '.join(unknown)}")

    corpus = ensure_corpus(args.corpus, tiers)
    queries = load_queries(args.queries)
    meta = machine()
    log(
        f"{meta['nproc']} CPUs ({meta['cpu']}), {meta['ram_gb']} GB RAM, Python {meta['python']}; corpus {corpus}; "
        f"{len(queries)} queries"
    )
    work = Path(tempfile.mkdtemp(prefix="searcher-bench-"))
    results: dict[str, dict] = {}
    try:
        for name in tiers:
            tier = Tier(name, corpus, work, args)
            results[name] = tier.result
            try:
                tier.ingest()
                tier.reindex()
                tier.warm_queries(queries)
                tier.cold_queries()
            except Exception as err:  # keep the other tiers' results
                tier.result["error"] = f"{type(err).__name__}: {err}"
                log(f"{name}: FAILED, going on with the next tier: {tier.result['error']}")
            if not args.keep:
                shutil.rmtree(tier.work, ignore_errors=True)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    checks, tables = [], []
    for name, res in results.items():
        runs = args.runs or DEFAULT_RUNS[name]
        tables.append(format_table(res, runs))
        for r in tier_rows(res):
            if r.ok is not None:
                checks.append({"tier": name, "check": r.check, "target": r.target, "value": r.value, "pass": r.ok})
    extra_checks, cross = cross_tier(results)
    checks += extra_checks

    print(
        f"searcher benchmark, {meta['date']}: {meta['nproc']} CPUs ({meta['cpu']}), {meta['ram_gb']} GB RAM, "
        f"Python {meta['python']}, whoosh3 {meta['packages']['whoosh3']}, bs4 {meta['packages']['beautifulsoup4']}; "
        f"repo {meta['git_commit'][:10]}, searcher from {meta['searcher_module']}"
    )
    print(
        "ratio = searcher ÷ baseline (lower is better, except MB/s and records/s); baseline = bench/baseline.py, "
        "BeautifulSoup get_text() per page into one default Whoosh writer."
    )
    print(
        "Each full ingest is its own process; peak RSS = sum over the process tree, sampled every 50 ms. "
        f"Default ingest runs: {DEFAULT_RUNS} (large is costly)"
        + (f"; this run: {args.runs} per tier." if args.runs else ".")
    )
    print("Cold queries are fresh processes with the index in the page cache.\n")
    print("\n\n".join(tables))
    if cross:
        print("\n" + cross)
    passed = sum(c["pass"] for c in checks)
    print(
        f"\ntargets: {passed}/{len(checks)} PASS"
        + "".join(f"\n  MISS {c['tier']}: {c['check']}" for c in checks if not c["pass"])
    )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "meta": meta,
        "settings": {
            "tiers": tiers,
            "ingest_runs": {t: args.runs or DEFAULT_RUNS[t] for t in tiers},
            "reindex_runs": REINDEX_RUNS,
            "warm_rounds": WARM_ROUNDS,
            "cold_runs": COLD_RUNS,
            "cold_query": args.cold_query,
            "searcher_workers": args.workers,
            "exclude": args.exclude,
            "rss": "sum of RSS over the process tree, sampled from /proc every 50 ms; max_rss_single from wait4",
            "corpus": str(corpus),
        },
        "tiers": results,
        "checks": checks,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
