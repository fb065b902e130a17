"""The parallel ingest path produces exactly the records of a single-process run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searcher import workers as index_module
from searcher.workers import PARALLEL_MIN_FILES

TOPICS = [
    ("PostgreSQL transactions", "transaction isolation", "Read committed is the default isolation level."),
    ("git branching", "git rebase", "Rebasing replays commits on top of another base tip."),
    ("pandas grouping", "dataframe groupby", "A groupby splits the frame, applies a function, combines."),
    ("Django models", "model field", "Each field is a class attribute mapped to a column."),
    ("SQLAlchemy sessions", "session commit", "The session is a workspace for your objects."),
    ("Python tutorial", "list comprehension", "A list comprehension is a concise way to build lists."),
    ("Recovery notes", "CBT and DBT", "Cognitive behavioral therapy and mindfulness help; so does MI."),
]


def _page(i: int) -> str:
    title, key, sentence = TOPICS[i % len(TOPICS)]
    nav = '<nav><a href="index.html">Home</a> | <a href="next.html">Next</a></nav>'
    items = "".join(f"<li>Item {j} of page {i}: {key} &amp; more<ul><li>nested {j}</li></ul></li>" for j in range(3))
    sections = "".join(
        f"<h2>{key.title()} part {j}</h2><p>{sentence} Page {i}, part {j}.</p>"
        f"<h3>Details {j}</h3><p>Use <code>{key.split()[0]}()</code> with care &mdash; see "
        f"<a href='x.html'>the reference</a>.<br>Second line {j}.</p>"
        for j in range(1 + i % 4)
    )
    return (
        f"<!DOCTYPE html><html><head><title>{title} {i}</title><style>p {{color: red}}</style>"
        f"<script>var x = '<p>not text</p>';</script></head><body>{nav}"
        f"<h1>{title} {i}</h1><p>Intro to {key} on page {i}.</p>{sections}<ul>{items}</ul>"
        f"<footer>Copyright 2024</footer></body></html>\n"
    )


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    count = PARALLEL_MIN_FILES + 12
    for i in range(count):
        sub = root / f"part{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"page{i:03d}.html").write_text(_page(i), encoding="utf-8")
    # Odd inputs travel through the workers too: legacy encoding, plain text, nothing to index.
    (root / "legacy.html").write_bytes(
        "<html><body><h1>Caf\xe9</h1><p>na\xefve r\xe9sum\xe9</p></body></html>".encode("cp1252")
    )
    (root / "notes.txt").write_text("Notes\n\nWhat is CBT?\nA < li > therapy that works.\n", encoding="utf-8")
    (root / "empty.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    return root


def _export(cli, index_dir: Path) -> list[dict]:
    result = cli("export", "--index", index_dir)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _summary(stderr: str) -> str:
    """The last summary line without its time."""
    return stderr.strip().splitlines()[-1].rsplit(" in ", 1)[0]


def test_parallel_and_single_process_ingest_export_the_same_records(cli, pages: Path, tmp_path: Path, monkeypatch):
    pools = []
    real_pool = index_module.ProcessPoolExecutor

    def counting_pool(*args, **kwargs):
        pools.append(kwargs.get("max_workers"))
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(index_module, "ProcessPoolExecutor", counting_pool)

    single = cli("index", "--index", tmp_path / "ix1", "--workers", "1", pages)
    assert single.exit_code == 0, single.output
    assert pools == []
    parallel = cli("index", "--index", tmp_path / "ix2", "--workers", "2", pages)
    assert parallel.exit_code == 0, parallel.output
    assert pools == [2], "the parallel path did not run"

    one, two = _export(cli, tmp_path / "ix1"), _export(cli, tmp_path / "ix2")
    assert len(one) > 2 * PARALLEL_MIN_FILES
    assert one == two
    # The summary lines agree too (files added, skipped, sections), apart from the time.
    assert _summary(single.stderr) == _summary(parallel.stderr)
    docs = {r["doc"] for r in one}
    assert "legacy.html" in docs and "notes.txt" in docs and "empty.html" not in docs
