"""Concurrent use: a watcher, one-off runs and eight searches in a loop while files change.

At the end the watched index holds exactly what a clean build of the files
on disk holds; no search failed; no search saw a half-written commit (each
changed document is written whole, its two sections carrying one version
number, so a search that saw old and new records at once, or one section
without the other, would find two versions or a lone section of a
document); the watcher's peak resident memory stays within the ingest
bound.  The suite runs it for a few seconds on a copy of 40 pages of the small
documentation tier (or of the shipped corpus where that tier is not built);
``pytest -m slow`` runs it for a minute on the medium tier.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.test_reliability import MEMORY_BOUND_MB, export_rows, run_searcher, searcher_argv, subprocess_env
from tests.watching import Watch, rss_kib, wait_until


def _tiers() -> Path:
    """Where bench/run.py keeps the documentation tiers (``$SEARCHER_BENCH_CACHE``, else its default)."""
    places = [os.environ.get("SEARCHER_BENCH_CACHE"), Path.home() / ".cache" / "searcher-bench", "/tmp/bench-cache"]
    found = [Path(p) / "corpus-real" for p in places if p and (Path(p) / "corpus-real").is_dir()]
    return found[0] if found else Path("corpus-real")


TIERS = _tiers()
WORDS = ["function", "table", "index", "return", "string", "value", "error", "python", "data", "file"]


def copy_pages(src: Path, dest: Path, limit: int | None = None) -> int:
    """The tier's HTML pages (the first ``limit`` of them) copied into ``dest``; their number."""
    n = 0
    for page in sorted(src.rglob("*.html"))[:limit]:
        target = dest / page.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)
        n += 1
    return n


def shipped_pages(dest: Path, copies: int = 8) -> int:
    """Without the documentation tiers: copies of the shipped articles under several names."""
    n = 0
    for i in range(copies):
        for article in sorted(CORPUS.glob("*.txt")):
            target = dest / f"set{i}" / article.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(article, target)
            n += 1
    return n


def versioned(name: str, version: int) -> str:
    """A document of two sections that both carry its version, written in one piece."""
    return (
        f"Mutable Note {name}\n\nmutableword {name} is at version v{version} in this first part.\n\n"
        f"Second Part Of {name}\n\nmutableword {name} still at version v{version} in the second part.\n"
    )


def write_whole(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class Searches:
    """``n`` loops of real ``searcher search`` subprocesses, each result checked."""

    def __init__(self, ix: Path, n: int = 8) -> None:
        self.ix, self.stop = ix, threading.Event()
        self.failures: list[str] = []
        self.done = 0
        self.whole_checked = 0  # --doc searches that saw a changed document and checked it whole
        self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()

    def _loop(self, i: int) -> None:
        seen: dict[str, set[str]] = {"seen": set(), "gone": set()}
        for k in itertools.count(i):
            if self.stop.is_set():
                return
            if k % 2:
                args = ["--json", "-n", "10000", "--doc", "mut-*.txt"]
            else:
                args = ["--json", "-n", "20", WORDS[k % len(WORDS)]]
            done = subprocess.run(
                searcher_argv("search", "--index", self.ix, *args),
                env=subprocess_env(),
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                timeout=120,
            )
            self.check(args, done, seen)
            self.done += 1

    def check(self, args: list[str], done: subprocess.CompletedProcess, seen: dict[str, set[str]]) -> None:
        """One search's output: whole, each section once, every changed document whole.

        Names of changed documents are never used again once removed, so a
        document that one search saw, the next did not, and a later one sees
        again was missing from a commit in between.
        """
        if done.returncode not in (0, 1) or done.stderr:
            self.failures.append(f"{args}: exit {done.returncode}: {done.stderr.strip()}")
            return
        try:
            hits = json.loads(done.stdout)["hits"]
        except (ValueError, KeyError) as err:
            self.failures.append(f"{args}: bad JSON ({err})")
            return
        ids = [h["id"] for h in hits]
        if len(ids) != len(set(ids)):
            self.failures.append(f"{args}: a section twice: {sorted(ids)}")
        if "--doc" in args:
            versions: dict[str, set[str]] = {}
            counts: dict[str, int] = {}
            for h in hits:
                version = next((w for w in h["text"].split() if w.startswith("v") and w[1:].isdigit()), "?")
                versions.setdefault(h["doc"], set()).add(version)
                counts[h["doc"]] = counts.get(h["doc"], 0) + 1
            for doc in versions:
                if len(versions[doc]) != 1 or counts[doc] != 2:
                    self.failures.append(f"half-written {doc}: versions {versions[doc]}, {counts[doc]} sections")
            self.whole_checked += bool(versions)
            present = set(versions)
            seen["gone"] |= seen["seen"] - present
            if present & seen["gone"]:
                self.failures.append(f"missing from a commit, then back: {sorted(present & seen['gone'])}")
            seen["seen"] |= present

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(180)


def one_off_runs(ix: Path, stop: threading.Event, codes: list[tuple[int, str]]) -> None:
    while not stop.wait(1.5):
        done = run_searcher("index", "--index", ix, "--workers", "1")
        codes.append((done.returncode, done.stderr.strip().splitlines()[-1:]))


def change_files(docs: Path, pages: list[Path], seconds: float, seed: int) -> int:
    """Add, change and remove files for ``seconds``; the number of changes."""
    rng = random.Random(seed)
    live: dict[str, int] = {}
    held: dict[Path, bytes] = {}
    made, changes = 0, 0
    deadline = time.monotonic() + seconds
    burst = 0
    while time.monotonic() < deadline:
        if burst <= 0:  # a burst of changes, then a pause the watcher may index in
            time.sleep(rng.uniform(0.3, 1.0))
            burst = rng.randint(3, 15)
        burst -= 1
        roll = rng.random()
        if roll < 0.3 or not live:
            name = f"{made:04d}"
            made += 1
            live[name] = 0
            write_whole(docs / f"mut-{name}.txt", versioned(name, 0))
        elif roll < 0.6:
            name = rng.choice(sorted(live))
            live[name] += 1
            write_whole(docs / f"mut-{name}.txt", versioned(name, live[name]))
        elif roll < 0.75:
            name = rng.choice(sorted(live))
            del live[name]
            (docs / f"mut-{name}.txt").unlink()
        elif roll < 0.85 and pages:
            page = rng.choice(pages)
            if page in held:
                page.write_bytes(held.pop(page))  # a page comes back
            else:
                held[page] = page.read_bytes()
                page.unlink()
        elif pages:
            page = rng.choice([p for p in pages if p not in held] or pages)
            if page.exists():
                with page.open("ab") as f:
                    f.write(f"\n<p>appended paragraph {changes} mutableword</p>\n".encode())
        changes += 1
        time.sleep(rng.uniform(0.0, 0.03))
    return changes


def run_concurrently(tmp_path: Path, docs: Path, seconds: float, workers: int = 1) -> dict:
    ix = tmp_path / "ix"
    pages = sorted(p for p in docs.rglob("*") if p.is_file())
    with Watch(docs, "--index", ix, debounce=0.3, workers=workers) as w:
        w.started()
        searches = Searches(ix)
        stop, codes = threading.Event(), []
        one_off = threading.Thread(target=one_off_runs, args=(ix, stop, codes), daemon=True)
        one_off.start()
        try:
            changes = change_files(docs, pages, seconds, seed=12)
            # The half-written check holds of something: some search saw a changed document.
            wait_until(lambda: searches.whole_checked, timeout=300, what="a search that sees a changed document")
        finally:
            stop.set()
            one_off.join(180)
            searches.close()
        fresh = tmp_path / "fresh"
        done = run_searcher("index", docs, "--index", fresh, "--workers", "2", timeout=600)
        assert done.returncode == 0, done.stderr
        clean = export_rows(fresh)
        wait_until(lambda: export_rows(ix) == clean, timeout=300, what="the watched index to equal a clean build")
        peak_mb = rss_kib(w.proc.pid, "VmHWM") / 1024
        assert w.signal(signal.SIGTERM) == 143
    assert not searches.failures, searches.failures[:10]
    assert codes and all(code == 0 for code, _ in codes), codes
    assert peak_mb < MEMORY_BOUND_MB
    return {
        "changes": changes,
        "searches": searches.done,
        "one_off_runs": len(codes),
        "watch_runs": len(w.runs()),
        "peak_mb": round(peak_mb, 1),
    }


def test_watcher_one_off_runs_and_searches_together(tmp_path):
    docs = tmp_path / "docs"
    small = TIERS / "small" / "html"
    n = copy_pages(small, docs, limit=40) if small.is_dir() else shipped_pages(docs)
    assert n >= 40
    figures = run_concurrently(tmp_path, docs, seconds=4)
    assert figures["searches"] >= 8 and figures["watch_runs"] >= 1
    print(figures)


@pytest.mark.slow
def test_a_minute_on_the_medium_tier(tmp_path):
    medium = TIERS / "medium" / "html"
    if not medium.is_dir():
        pytest.skip(f"no medium tier at {medium} (bench/make_corpus.sh builds it)")
    docs = tmp_path / "docs"
    copy_pages(medium, docs)
    figures = run_concurrently(tmp_path, docs, seconds=60, workers=2)
    print(figures)
