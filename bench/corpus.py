"""The corpus: where the tiers are (built on first use), their pages and sizes, and the queries.

A corpus folder holds ``<tier>/html`` (the pages, as the Debian packages
install them) and ``<tier>/text`` (one ``.txt`` of each page's text, for the
index ÷ text size figure).  bench/make_corpus.sh builds it (Debian packages,
needs apt and root) into ``$SEARCHER_BENCH_CACHE/corpus-real``, default
``~/.cache/searcher-bench/corpus-real``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import log

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TIERS = ("small", "medium", "large")


def cache_dir() -> Path:
    """Where the built corpus is kept between runs."""
    env = os.environ.get("SEARCHER_BENCH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "searcher-bench"


def has_tiers(corpus: Path, tiers: list[str]) -> bool:
    """Whether ``corpus`` holds the html and text folders of every tier named."""
    return all((corpus / t / "html").is_dir() and (corpus / t / "text").is_dir() for t in tiers)


def ensure_corpus(corpus: Path | None, tiers: list[str]) -> Path:
    """The corpus folder, built with bench/make_corpus.sh when a tier is missing."""
    corpus = corpus or cache_dir() / "corpus-real"
    if has_tiers(corpus, tiers):
        return corpus
    if REPO in corpus.resolve().parents:
        raise SystemExit(f"refusing to build the corpus inside the repository: {corpus}")
    log(f"corpus missing at {corpus}; building it with bench/make_corpus.sh (Debian packages, a few minutes)")
    corpus.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(BENCH / "make_corpus.sh"), str(corpus)], check=True)
    return corpus


def folder_bytes(path: Path) -> int:
    """The summed size of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def html_files(root: Path) -> list[Path]:
    """Every ``.html`` file under ``root``, sorted (none when ``root`` does not exist)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.html") if p.is_file())


def excluded(rel: str, patterns: list[str]) -> bool:
    """Whether the page at ``rel`` (inside a tier's html/) matches one of the ``--exclude`` globs."""
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns)


def copy_tier(src: Path, text: Path, dest: Path, exclude: list[str]) -> dict:
    """Copy a tier's pages to ``dest`` without the excluded ones; its page count and sizes."""
    shutil.copytree(src, dest)
    dropped = []
    for p in html_files(dest):
        rel = p.relative_to(dest).as_posix()
        if excluded(rel, exclude):
            p.unlink()
            dropped.append(rel)
    pages = html_files(dest)
    dropped_text = [(text / rel).with_suffix(".txt") for rel in dropped]
    return {
        "pages": len(pages),
        "html_bytes": sum(p.stat().st_size for p in pages),
        "text_bytes": folder_bytes(text) - sum(p.stat().st_size for p in dropped_text if p.is_file()),
        "excluded": dropped,
    }


@dataclass
class Query:
    """One line of queries.txt."""

    line: str
    text: str
    section: str | None = None
    therapies: list[str] = field(default_factory=list)

    def cli_args(self) -> list[str]:
        """The query as ``searcher search`` arguments."""
        args = ["--section", self.section] if self.section else []
        for t in self.therapies:
            args += ["--therapy", t]
        return [*args, "--", self.text]


_OPTION = re.compile(r'^--(section|therapy)\s+("[^"]*"|\S+)\s+')


def load_queries(path: Path) -> list[Query]:
    """The queries of ``path``: one a line, optional leading --section/--therapy, # comments."""
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
