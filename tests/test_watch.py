"""Watch mode: a real ``searcher index --watch`` subprocess on a real folder.

Each test changes files for real and waits (polling, generous timeout) for
what the watcher reports and for what a search then finds; nothing asserts
on how long anything took.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess

import pytest

from tests.test_reliability import export_rows, run_searcher, searcher_argv, subprocess_env
from tests.watching import Watch, generation, note, rss_kib, wait_until, write


def found(cli, ix, word: str) -> list[str]:
    result = cli("search", "--json", "--index", ix, word)
    assert result.exit_code in (0, 1), result.stderr
    hits = json.loads(result.stdout)["hits"]
    assert result.exit_code == (0 if hits else 1)  # 0 when something matched, 1 when nothing did
    return sorted(h["doc"] for h in hits)


def clean_build(docs, tmp_path) -> list[dict]:
    fresh = tmp_path / f"fresh-{len(list(tmp_path.glob('fresh-*')))}"
    done = run_searcher("index", docs, "--index", fresh, "--workers", "1")
    assert done.returncode == 0, done.stderr
    return export_rows(fresh)


@pytest.fixture
def docs(tmp_path):
    d = tmp_path / "docs"
    write(d / "a.txt", note("Alpha Notes", "alphaword"))
    write(d / "sub" / "b.md", note("# Beta Notes", "betaword"))
    return d


def test_add_change_delete_rename(cli, docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix) as w:
        w.started()
        assert found(cli, ix, "alphaword") == ["a.txt"]

        write(docs / "c.txt", note("Gamma Notes", "gammaword"))
        assert w.wait_runs(1)[-1] == {"added": 1, "changed": 0, "removed": 0, "skipped": 0, "sections": 1}
        assert found(cli, ix, "gammaword") == ["c.txt"]

        write(docs / "a.txt", note("Alpha Notes", "deltaword"))
        assert w.wait_runs(2)[-1]["changed"] == 1
        assert found(cli, ix, "deltaword") == ["a.txt"]
        assert found(cli, ix, "alphaword") == []

        (docs / "sub" / "b.md").unlink()
        assert w.wait_runs(3)[-1]["removed"] == 1
        assert found(cli, ix, "betaword") == []

        (docs / "c.txt").rename(docs / "sub" / "renamed.txt")
        assert w.wait_runs(4)[-1] == {"added": 1, "changed": 0, "removed": 1, "skipped": 0, "sections": 1}
        assert found(cli, ix, "gammaword") == ["sub/renamed.txt"]

        # An editor's save: write a hidden temporary file, rename it over the document.
        write(docs / ".a.txt.swp", note("Alpha Notes", "epsilonword"))
        os.replace(docs / ".a.txt.swp", docs / "a.txt")
        assert w.wait_runs(5)[-1]["changed"] == 1
        assert found(cli, ix, "epsilonword") == ["a.txt"]
        assert export_rows(ix) == clean_build(docs, tmp_path)


def test_polling_sees_changes_too(cli, docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix, "--poll") as w:
        w.started()
        assert "(polling)" in w.lines[-1]
        write(docs / "sub" / "deeper" / "p.txt", note("Polled Notes", "polledword"))
        w.wait_runs(1)
        assert found(cli, ix, "polledword") == ["sub/deeper/p.txt"]


def test_a_burst_is_one_run_and_one_commit(cli, docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix, debounce=2.0) as w:  # a margin for a machine that stalls the writer
        w.started()
        before = generation(ix)
        # Files made and removed again within a burst cost nothing: no run, no commit.
        for i in range(30):
            write(docs / f"tmp{i}.txt", note(f"Temporary {i}", "tempword"))
        for i in range(30):
            (docs / f"tmp{i}.txt").unlink()
        (docs / "ignored.bin").write_bytes(b"not a document")
        # Then a burst of 200 files, some made and gone within it.
        for i in range(200):
            write(docs / "burst" / f"n{i:03d}.txt", note(f"Burst Note {i}", "burstword", f"number{i}"))
            if i % 10 == 0:
                write(docs / "burst" / f"gone{i}.txt", note("Gone", "goneword"))
                (docs / "burst" / f"gone{i}.txt").unlink()
        runs = w.wait_runs(1)
        assert runs == [{"added": 200, "changed": 0, "removed": 0, "skipped": 0, "sections": 200}]
        assert generation(ix) == before + 1
    result = cli("search", "--json", "-n", "500", "--index", ix, "burstword")
    assert json.loads(result.stdout)["total"] == 200
    assert found(cli, ix, "tempword") == [] and found(cli, ix, "goneword") == []


def test_search_and_one_off_index_beside_the_watcher(cli, docs, tmp_path):
    """While a watch run holds the lock, a search sees the last commit and a one-off run waits its turn."""
    ix = tmp_path / "ix"
    env = subprocess_env(SEARCHER_TEST_PAUSE="before-commit")
    with Watch(docs, "--index", ix, env=env) as w:
        w.wait_line("searcher-test-pause: before-commit")
        w.release()  # the first run
        w.started()
        write(docs / "c.txt", note("Gamma Notes", "gammaword"))
        at = w.wait_line("searcher-test-pause: before-commit", after=len(w.lines) - 1)
        assert at > 0
        one_off = subprocess.Popen(
            searcher_argv("index", "--index", ix, "--workers", "1"),
            env=subprocess_env(SEARCHER_LOCK_WAIT="60"),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert found(cli, ix, "alphaword") == ["a.txt"]
        assert found(cli, ix, "gammaword") == []  # not committed yet
        write(docs / "d.txt", note("Delta Notes", "deltaword"))  # for the one-off run or the next watch run
        released = [2]  # the pauses of the first run and of the run that held the lock

        def releasing(condition):
            """``condition``, letting each watch run that pauses from now on go on."""

            def check():
                pauses = sum(line == "searcher-test-pause: before-commit" for line in list(w.lines))
                while released[0] < pauses:
                    w.release()
                    released[0] += 1
                return condition()

            return check

        w.release()  # the run that holds the lock
        wait_until(releasing(lambda: one_off.poll() is not None), what="the one-off run")
        assert one_off.returncode == 0, one_off.stderr.read()
        assert found(cli, ix, "gammaword") == ["c.txt"]
        wait_until(releasing(lambda: found(cli, ix, "deltaword") == ["d.txt"]), what="deltaword indexed")
        # Whoever indexed d.txt, the watcher stays consistent and running.
        write(docs / "e.txt", note("Epsilon Notes", "epsilonword"))
        wait_until(releasing(lambda: found(cli, ix, "epsilonword") == ["e.txt"]), what="epsilonword indexed")
        assert w.proc.poll() is None
    assert export_rows(ix) == clean_build(docs, tmp_path)


def test_kill_9_mid_commit_leaves_the_last_good_index(cli, docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix, env=subprocess_env(SEARCHER_TEST_PAUSE="in-commit")) as w:
        w.wait_line("searcher-test-pause: in-commit")
        w.release()
        w.started()
        before = export_rows(ix)
        write(docs / "c.txt", note("Gamma Notes", "gammaword"))
        write(docs / "a.txt", note("Alpha Notes", "changedword"))
        w.wait_line("searcher-test-pause: in-commit", after=len(w.lines) - 1)
        w.proc.kill()
        w.proc.wait(60)
    assert export_rows(ix) == before
    assert found(cli, ix, "alphaword") == ["a.txt"]
    done = run_searcher("index", "--index", ix, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert export_rows(ix) == clean_build(docs, tmp_path)


def test_root_removed_and_recreated(cli, docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix) as w:
        w.started()
        shutil.rmtree(docs)
        w.wait_line("no longer there")
        assert found(cli, ix, "alphaword") == ["a.txt"]  # its sections stay while it is gone
        write(docs / "new.txt", note("New Notes", "newword"))
        w.wait_line("back; watching it again")
        w.wait_runs(1)
        assert found(cli, ix, "newword") == ["new.txt"]
        assert found(cli, ix, "alphaword") == []
        # Watched again: a change inside the new folder is seen.
        write(docs / "deep" / "later.txt", note("Later Notes", "laterword"))
        w.wait_runs(2)
        assert found(cli, ix, "laterword") == ["deep/later.txt"]
        assert sum("no longer there" in line for line in w.lines) == 1
    assert export_rows(ix) == clean_build(docs, tmp_path)


def assert_no_traceback(lines: list[str]) -> None:
    assert not any("Traceback" in line for line in lines), lines


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "searcher: terminated"), (signal.SIGINT, 130, "searcher: interrupted")],
)
def test_signal_when_idle(docs, tmp_path, signum, code, said):
    with Watch(docs, "--index", tmp_path / "ix") as w:
        w.started()
        assert w.signal(signum) == code
        assert w.lines[-1] == said
        assert_no_traceback(w.lines)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_run_leaves_the_last_good_index(cli, docs, tmp_path, signum, code):
    ix = tmp_path / "ix"
    run_searcher("index", docs, "--index", ix, "--workers", "1")
    before = export_rows(ix)
    with Watch(docs, "--index", ix, env=subprocess_env(SEARCHER_TEST_PAUSE="parse")) as w:
        w.started()  # nothing to parse in the first run
        write(docs / "c.txt", note("Gamma Notes", "gammaword"))
        w.wait_line("searcher-test-pause: parse")
        assert w.signal(signum) == code
        assert_no_traceback(w.lines)
    assert export_rows(ix) == before
    done = run_searcher("index", "--index", ix, "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert found(cli, ix, "gammaword") == ["c.txt"]


def test_sigterm_during_the_first_run(docs, tmp_path):
    ix = tmp_path / "ix"
    with Watch(docs, "--index", ix, env=subprocess_env(SEARCHER_TEST_PAUSE="before-commit")) as w:
        w.wait_line("searcher-test-pause: before-commit")
        assert w.signal(signal.SIGTERM) == 143
        assert w.lines[-1] == "searcher: terminated"
        assert_no_traceback(w.lines)


def test_memory_stays_flat_over_2000_changes(docs, tmp_path):
    ix = tmp_path / "ix"
    live = [docs / f"m{i:03d}.txt" for i in range(100)]
    for p in live:
        write(p, note(f"Memory Note {p.stem}", "memword", "round0"))
    expected = 0
    with Watch(docs, "--index", ix, debounce=0.1) as w:
        w.started()
        pid, warm = w.proc.pid, 0
        made = len(live)
        for r in range(1, 21):  # 20 bursts of 100 changes: 80 changed, 10 added, 10 removed
            for p in live[10:90]:
                write(p, note(f"Memory Note {p.stem}", "memword", f"round{r} " + "filler " * (r % 7)))
            for _ in range(10):
                p = docs / f"m{made:03d}.txt"
                made += 1
                write(p, note(f"Memory Note {p.stem}", "memword", f"new in round{r}"))
                live.append(p)
            for p in live[:10]:
                p.unlink()
            live = live[10:]
            expected += 100
            wait_until(
                lambda n=expected: sum(x["added"] + x["changed"] + x["removed"] for x in w.runs()) >= n,
                what=f"round {r} indexed",
            )
            if r == 3:
                warm = rss_kib(pid)
        grown = rss_kib(pid) - warm
        assert sum(x["added"] + x["changed"] + x["removed"] for x in w.runs()) == 2000
    assert grown < 20 * 1024, f"RSS grew {grown} KiB over 1700 changes"


@pytest.mark.parametrize("option", [("--poll",), ("--debounce", "2")])
def test_watch_options_without_watch_are_an_error(cli, docs, tmp_path, option):
    result = cli("index", docs, "--index", tmp_path / "ix", *option)
    assert result.exit_code == 2 and result.stderr == f"searcher: {option[0]} goes with --watch\n"
    assert not (tmp_path / "ix").exists()
