"""Measuring: child processes with their wall time and peak RSS, medians and percentiles, the machine.

Peak RSS is sampled from /proc every 50 ms as the sum over the process and all
its descendants (searcher's parser workers included); the largest single
process, from ``os.wait4``'s rusage, is kept beside it.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1e6
MIB = 1024 * 1024
PACKAGES = ("searcher", "whoosh3", "beautifulsoup4", "click", "rapidfuzz", "lxml")
SUMMARY_KEYS = ("added", "changed", "removed", "unchanged", "skipped", "sections")


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


def tree_rss(root: int) -> int:
    """The summed RSS of ``root`` and all its descendants, in bytes."""
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
            peak = max(peak, tree_rss(proc.pid))
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
    """Run ``cmd`` and return its wall time beside its result."""
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - started, done


def searcher_cmd() -> list[str]:
    """The ``searcher`` command of this Python's environment (else PATH's, else the module)."""
    script = Path(sys.executable).with_name("searcher")
    if script.exists():
        return [str(script)]
    found = shutil.which("searcher")
    return [found] if found else [sys.executable, "-c", "import sys; from searcher.cli import main; sys.exit(main())"]


def child_env() -> dict:
    """The environment of every measured child: no default index, no colour, byte code allowed."""
    env = dict(os.environ)
    env.pop("SEARCHER_INDEX", None)
    # An installed package has its byte code compiled; let the first run write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def index_summary(stdout: str) -> dict:
    """The counts of a ``searcher index --json`` run, from the report it prints on stdout."""
    try:
        report = json.loads(stdout.strip().splitlines()[-1])
        return {key: int(report[key]) for key in SUMMARY_KEYS}
    except (IndexError, ValueError, KeyError, TypeError) as err:
        raise RuntimeError(f"no JSON report from searcher index --json ({err}):\n{stdout[-2000:]}") from None


def baseline_pages(stderr: str) -> int:
    """The page count bench/baseline.py reports on stderr."""
    found = re.search(r"(\d+) pages indexed", stderr)
    if not found:
        raise RuntimeError(f"no page count from baseline.py:\n{stderr[-2000:]}")
    return int(found.group(1))


def median(values: list[float]) -> float:
    """The median, NaN for no values."""
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


def log(message: str) -> None:
    """A progress line on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _proc_field(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return versions


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()


def machine() -> dict:
    """The machine, the package versions and the commit a run measured."""
    import searcher

    ram = _proc_field("/proc/meminfo", "MemTotal:")
    module = Path(searcher.__file__).resolve().parent
    dirty = bool(_git("status", "--porcelain", "searcher"))
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "cpu": _proc_field("/proc/cpuinfo", "model name"),
        "ram_gb": round(int(ram.split()[0]) * 1024 / 1e9, 1) if ram else 0.0,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": _versions(),
        "git_commit": _git("rev-parse", "HEAD"),
        "searcher_module": str(module),
        "searcher_dirty": dirty if module.parent == REPO else None,
    }
