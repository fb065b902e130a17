"""Reliability, bad documents: each case is a real folder in ``tmp_path``.

Every bad document is either indexed correctly or skipped with one warning
line that names it; the run completes; the good documents beside it come out
exactly as they do from a folder that holds only them; memory stays bounded.

The helpers here (subprocess runs, paused runs, dropping root's permission
override) are shared with ``test_reliability_faults.py``.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from searcher.index import update_index
from tests.conftest import section_rows

GOOD = {
    "good-notes.txt": (
        "Sleep Hygiene Basics\n\nKeep a regular bedtime and wake time every day.\n\n"
        "What Helps\n\nDaylight in the morning and a dark, quiet room at night.\n"
    ),
    "good-page.html": (
        "<html><head><title>Breathing</title></head><body><h1>Breathing Exercises</h1>"
        "<p>Slow breathing calms the body.</p><h2>Box Breathing</h2>"
        "<p>Breathe in for four counts, hold for four, out for four.</p></body></html>"
    ),
    "sub/good-deep.md": "Journaling Prompts\n\nWrite three things that went well today and why.\n",
}
SUMMARY = re.compile(r"^\d+ added, \d+ changed, \d+ removed, \d+ unchanged, \d+ skipped; \d+ sections indexed in ")
MEMORY_BOUND_MB = 500


# Shared helpers -------------------------------------------------------------


def write_good(folder: Path) -> Path:
    """The good documents, written into ``folder``."""
    for name, text in GOOD.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def export_rows(index_dir: Path) -> list[dict]:
    """Every stored section, in export order, without what depends on the folder it came from.

    The id becomes the path inside the root (``doc#slug``), so that indexes
    of two copies of a folder compare equal.
    """
    rows = []
    for row in section_rows(index_dir):
        root = row.pop("root")
        row.pop("path")
        row["id"] = row["id"].removeprefix(root.rstrip("/") + "/")
        rows.append(row)
    return rows


def clean_run_rows(folder: Path, index_dir: Path) -> list[dict]:
    """The records a fresh index of ``folder`` holds."""
    update_index(index_dir, [folder], workers=1)
    return export_rows(index_dir)


def subprocess_env(**extra: str) -> dict[str, str]:
    """This environment without any SEARCHER_ setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHER_")}
    env.update(extra)
    return env


def searcher_argv(*args) -> list[str]:
    """The real command line, run as ``python -m searcher``."""
    return [sys.executable, "-m", "searcher", *map(str, args)]


def run_searcher(*args, env: dict | None = None, preexec_fn=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``searcher ARGS`` in a subprocess; text stdout and stderr."""
    return subprocess.run(
        searcher_argv(*args),
        env=env or subprocess_env(),
        preexec_fn=preexec_fn,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


class PausedRun:
    """A ``searcher`` subprocess stopped at a ``SEARCHER_TEST_PAUSE`` point."""

    def __init__(self, *args, point: str, env: dict | None = None, preexec_fn=None) -> None:
        env = dict(env or subprocess_env())
        env["SEARCHER_TEST_PAUSE"] = point
        self.proc = subprocess.Popen(
            searcher_argv(*args),
            env=env,
            preexec_fn=preexec_fn,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.before: list[str] = []
        marker = f"searcher-test-pause: {point}\n"
        for line in self.proc.stderr:
            if line == marker:
                return
            self.before.append(line)
        _, err = self.proc.communicate()
        raise AssertionError(f"run ended (status {self.proc.returncode}) before {point}:\n{''.join(self.before)}{err}")

    def release(self) -> None:
        """Let the run go on without waiting for it."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def resume(self, timeout: float = 120) -> tuple[int, str]:
        """Let the run go on; its exit status and the stderr it printed after the pause.

        Its stdout is kept in ``self.stdout``.
        """
        self.stdout, err = self.proc.communicate("\n", timeout=timeout)
        return self.proc.returncode, err

    def kill(self) -> None:
        """``kill -9`` the run and reap it (its own children may still hold its pipes)."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            pipe.close()
        assert self.proc.returncode == -signal.SIGKILL

    def close(self) -> None:
        if self.proc.poll() is None:
            self.kill()


def without_permission_override() -> None:
    """preexec_fn: as root, give up the right to ignore file modes, so a mode
    of 000 or 555 stops the child as it stops anybody else."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def peak_rss_mb(proc: subprocess.Popen) -> tuple[int, float]:
    """Reap ``proc``; its exit status and its own peak resident set in MB."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def assert_clean_stderr(stderr: str) -> list[str]:
    """Only warning lines and the summary on stderr; returns the warnings."""
    lines = stderr_lines(stderr)
    stray = [line for line in lines if not line.startswith("searcher: warning: ") and not SUMMARY.match(line)]
    assert not stray, f"unexpected stderr lines: {stray}"
    return [line for line in lines if line.startswith("searcher: warning: ")]


def assert_skipped(stderr: str, name: str) -> None:
    """Exactly one warning, naming ``name``."""
    warnings = assert_clean_stderr(stderr)
    assert len(warnings) == 1 and name in warnings[0], warnings


# Fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[dict]:
    """The good documents' records from a folder holding only them."""
    base = tmp_path_factory.mktemp("reference")
    return clean_run_rows(write_good(base / "docs"), base / "index")


@pytest.fixture
def docs(tmp_path) -> Path:
    """A folder holding the good documents; each test adds its bad one."""
    return write_good(tmp_path / "docs")


@pytest.fixture
def index_docs(cli, docs, tmp_path, reference):
    """Index ``docs`` with the real CLI; check the run and the good documents."""

    def run(*extra: str):
        result = cli("index", docs, "--index", tmp_path / "index", "--workers", "1", *extra)
        assert result.exit_code == 0, result.stderr
        rows = export_rows(tmp_path / "index")
        assert [r for r in rows if r["doc"] in GOOD] == reference
        return result, {r["doc"]: r for r in rows if r["doc"] not in GOOD}, rows

    return run


def bad_rows(rows: list[dict], doc: str) -> list[dict]:
    return [r for r in rows if r["doc"] == doc]


# Empty, blank, markup only, binary ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"   \n\t\n \r\n\x0c\n"),
        ("blank-utf16.txt", "  \n \n".encode("utf-16")),
        ("markup-only.html", b"<html><head></head><body><div><span></span></div><br/><p> </p></body></html>"),
        ("markup-only.txt", b"<p></p>\n<div> <br/> </div>\n< li >\n"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20),
        ("program.html", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 20),
        ("noise.md", bytes((i * 7919) % 256 for i in range(6000))),
        ("nul-in-text.txt", b"Heading\nsome text\x00with a NUL\n" * 10),
    ],
)
def test_no_text_is_skipped_with_one_warning(index_docs, docs, name, data):
    (docs / name).write_bytes(data)
    result, bad, _ = index_docs()
    assert_skipped(result.stderr, name)
    assert not bad


# Encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("utf16-le.txt", "Calm Skills\nUTF sixteen text, café crème and naïve.\n".encode("utf-16"), "café crème"),
        ("utf16-be.txt", b"\xfe\xff" + "Calm Skills\nBig endian text, déjà vu.\n".encode("utf-16-be"), "déjà vu"),
        ("utf8-bom.txt", "\ufeffCalm Skills\nA byte order mark, then café.\n".encode(), "then café"),
        ("latin1.txt", "Calm Skills\nCafé naïve façade, garçon.\n".encode("latin-1"), "Café naïve façade, garçon."),
        ("cp1252.txt", "Calm Skills\n“Quoted” text – costs 5 €.\n".encode("cp1252"), "“Quoted” text – costs 5 €."),
        # 0x81 and 0x8d have no character in cp1252: the rest must still decode.
        (
            "cp1252-gaps.txt",
            b"Calm Skills\nCaf\xe9 na\xefve \x93quoted\x94 \x81\x8d odd bytes.\n",
            "Café naïve “quoted”",
        ),
    ],
)
def test_encoded_text_is_indexed(index_docs, docs, name, data, expected):
    (docs / name).write_bytes(data)
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    assert expected in bad[name]["text"]


def test_invalid_utf8_keeps_the_valid_text(index_docs, docs, cli, tmp_path):
    # Mostly UTF-8 with a few broken bytes: the valid words stay as they are.
    data = (
        "Calm Skills\nThe café serves crème brûlée; ".encode() + b"broken \xc3\x28 and \xff\xfe\xfd bytes; " + b"end.\n"
    )
    (docs / "broken.txt").write_bytes(data)
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    text = bad["broken.txt"]["text"]
    assert "The café serves crème brûlée;" in text
    assert "end." in text
    found = cli("search", "--json", "--index", tmp_path / "index", "brûlée")
    assert [h["doc"] for h in json.loads(found.stdout)["hits"]] == ["broken.txt"]


# Size and depth --------------------------------------------------------------------


NESTED = "<div>" * 50_000 + "Deep Heading<p>deepword inside</p>" + "</div>" * 50_000
UNCLOSED_NESTED = "<ul><li>" * 50_000 + "deepword at the bottom"


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("nested.html", NESTED, "deepword inside"),
        ("nested.txt", NESTED, "deepword inside"),
        ("deep-unclosed.html", UNCLOSED_NESTED, "deepword at the bottom"),
        ("deep-unclosed.txt", UNCLOSED_NESTED, "deepword at the bottom"),
    ],
)
def test_50000_nested_tags(index_docs, docs, name, text, words):
    (docs / name).write_text(text)
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []  # read, not skipped: nothing lost to the depth
    assert words in bad[name]["text"]


# Broken markup ------------------------------------------------------------------------

UNCLOSED_TAGS = (
    "<html><body><h1>Unclosed Heading<p>first para with tagword <b>bold <i>italic<p>second para"
    "<ul><li>item one<li>item two <a href='x'>link text<table><tr><td>cell text"
)


def test_unclosed_tags(index_docs, docs):
    (docs / "unclosed.html").write_text(UNCLOSED_TAGS)
    result, _, rows = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    text = " ".join(r["heading"] + " " + r["text"] for r in bad_rows(rows, "unclosed.html"))
    for words in ("Unclosed Heading", "tagword bold italic", "second para", "item one", "link text", "cell text"):
        assert words in text
    assert "<" not in text and ">" not in text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("comment.html", "<html><body><h1>Heading</h1><p>kept words <!-- hidden commentword to the end"),
        ("comment.txt", "Heading\nkept words here\n<!-- a comment never closed\n"),
    ],
)
def test_unclosed_comment(index_docs, docs, name, text):
    (docs / name).write_text(text)
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    assert "kept words" in bad[name]["text"]
    assert "!--" not in bad[name]["text"]
    assert "commentword" not in bad[name]["text"]


# Files that change under the run -------------------------------------------------------------


@pytest.mark.parametrize("point", ["scan", "parse"])  # victim.txt sorts last: not read yet at either
@pytest.mark.parametrize("change", ["deleted", "unreadable", "fifo", "folder"])
def test_file_changed_between_scan_and_read(docs, tmp_path, reference, change, point):
    victim = docs / "victim.txt"
    victim.write_text("Victim Heading\nvictimword text\n")
    run = PausedRun(
        "index",
        docs,
        "--index",
        tmp_path / "index",
        "--workers",
        "1",
        point=point,
        preexec_fn=without_permission_override,
    )
    try:
        if change == "deleted":
            victim.unlink()
        elif change == "unreadable":
            victim.chmod(0)
        elif change == "fifo":
            victim.unlink()
            os.mkfifo(victim)
        else:
            victim.unlink()
            victim.mkdir()
        status, err = run.resume(timeout=60)
    finally:
        run.close()
    assert status == 0, err
    assert_skipped(err, "victim.txt")
    rows = export_rows(tmp_path / "index")
    assert [r for r in rows if r["doc"] in GOOD] == reference
    assert not bad_rows(rows, "victim.txt")


@pytest.mark.parametrize("kind", ["unreadable", "fifo"])
def test_unreadable_or_special_file_at_scan(docs, tmp_path, reference, kind):
    victim = docs / "special.txt"
    if kind == "unreadable":
        victim.write_text("Heading\nhidden text\n")
        victim.chmod(0)
    else:
        os.mkfifo(victim)
    try:
        done = run_searcher(
            "index",
            docs,
            "--index",
            tmp_path / "index",
            "--workers",
            "1",
            preexec_fn=without_permission_override,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"searcher index hung on a {kind} file")
    assert done.returncode == 0, done.stderr
    assert_skipped(done.stderr, "special.txt")
    assert [r for r in export_rows(tmp_path / "index") if r["doc"] in GOOD] == reference


def test_a_special_file_named_as_a_root_is_warned_about_as_what_it_is(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    done = run_searcher("index", fifo, "--index", tmp_path / "index", "--workers", "1", timeout=60)
    assert done.returncode == 0, done.stderr
    assert_skipped(done.stderr, "pipe.txt")
    assert "no such file" not in done.stderr, done.stderr  # it is there: it is not a regular file


# Links and names ------------------------------------------------------------------------------


def test_symlink_loops_are_skipped(index_docs, docs):
    (docs / "loop-a.txt").symlink_to("loop-b.txt")
    (docs / "loop-b.txt").symlink_to("loop-a.txt")
    (docs / "self.md").symlink_to("self.md")
    (docs / "sub" / "up").symlink_to("..")  # a folder loop
    result, bad, _ = index_docs()
    warnings = assert_clean_stderr(result.stderr)
    assert sorted(w.split("/")[-1].split(":")[0] for w in warnings) == ["loop-a.txt", "loop-b.txt", "self.md"]
    assert not bad


def test_symlinks_out_of_the_root_are_not_followed(index_docs, docs, tmp_path, cli):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret Heading\noutsideword private text\n")
    (docs / "leak.txt").symlink_to(outside / "secret.txt")
    (docs / "leak-relative.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (docs / "leakdir").symlink_to(outside)
    result, bad, _ = index_docs()
    warnings = assert_clean_stderr(result.stderr)
    assert len(warnings) == 2
    assert any("leak.txt" in w for w in warnings) and any("leak-relative.txt" in w for w in warnings)
    assert not bad
    found = cli("search", "--index", tmp_path / "index", "outsideword")
    assert found.exit_code == 1


def test_non_ascii_and_spaced_names(index_docs, docs, cli, tmp_path, monkeypatch):
    names = ["with space.txt", "Ünïcödé résumé 日本.txt", "sub dir/inner file.md", "emoji 🙂 notes.md"]
    for i, name in enumerate(names):
        path = docs / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Named Heading {i}\nnameword{i} text about naming\n")
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    assert sorted(bad) == sorted(names)
    for i, name in enumerate(names):
        found = cli("search", "--json", "--index", tmp_path / "index", "--doc", name, f"nameword{i}")
        assert found.exit_code == 0, found.stderr
        assert [h["doc"] for h in json.loads(found.stdout)["hits"]] == [name]
    monkeypatch.chdir(docs)  # paths print as they open from here
    outline = cli("sections", "--index", tmp_path / "index", "sub dir/*")
    assert outline.exit_code == 0 and outline.stdout.startswith("sub dir/inner file.md: ")


def test_names_that_are_not_utf8(index_docs, docs, cli, tmp_path):
    name = os.fsdecode(b"latin1-caf\xe9.txt")
    (docs / name).write_text("Bytes Heading\nbytesword text\n")
    result, bad, _ = index_docs()
    assert assert_clean_stderr(result.stderr) == []
    (doc,) = bad
    assert doc.startswith("latin1-caf") and doc.endswith(".txt")
    doc.encode("utf-8")  # stored names are always valid text
    found = cli("search", "--index", tmp_path / "index", "bytesword")
    assert found.exit_code == 0, found.stderr
    # A second run finds nothing changed.
    again = cli("index", "--index", tmp_path / "index", "--workers", "1")
    assert again.exit_code == 0 and again.stderr.startswith("0 added, 0 changed, 0 removed, 4 unchanged")


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_names_with_control_characters_stay_on_one_line(index_docs, docs, cli, tmp_path, monkeypatch):
    (docs / "two\nlines.txt").write_text("Odd Name\noddnameword text\n")
    (docs / "esc\x1b]0;owned\x07.txt").write_text("")
    result, _, _ = index_docs()
    warnings = assert_clean_stderr(result.stderr)
    assert len(warnings) == 1 and "esc" in warnings[0] and not CONTROL.search(result.stderr)
    monkeypatch.chdir(docs)  # paths print as they open from here
    found = cli("search", "--index", tmp_path / "index", "oddnameword")
    assert found.exit_code == 0
    header = found.stdout.splitlines()[0]
    assert header.startswith("two") and "lines.txt:" in header
    assert not CONTROL.search(found.stdout)


# Many files -----------------------------------------------------------------------------------


def test_10000_tiny_files(docs, tmp_path, reference):
    many = docs / "many"
    many.mkdir()
    for i in range(10_000):
        (many / f"f{i:05d}.txt").write_text(f"Note {i}\ntinyword{i} text\n")
    proc = subprocess.Popen(
        searcher_argv("index", docs, "--index", tmp_path / "index"),
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "stderr").open("w"),
    )
    status, peak = peak_rss_mb(proc)
    stderr = (tmp_path / "stderr").read_text()
    assert status == 0, stderr
    assert assert_clean_stderr(stderr) == []
    assert stderr.startswith("10003 added, 0 changed, 0 removed, 0 unchanged, 0 skipped")
    assert peak < MEMORY_BOUND_MB, f"peak RSS {peak:.0f} MB"
    rows = export_rows(tmp_path / "index")
    assert [r for r in rows if r["doc"] in GOOD] == reference
    assert sorted(r["doc"] for r in rows if r["doc"] not in GOOD) == [f"many/f{i:05d}.txt" for i in range(10_000)]
    found = run_searcher("search", "--json", "--index", tmp_path / "index", "tinyword4321")
    assert [h["doc"] for h in json.loads(found.stdout)["hits"]] == ["many/f04321.txt"]


# The 20 MB one-line file is indexed in the background from the start of the
# module, beside the other cases, and checked last.


@pytest.fixture(scope="module", autouse=True)
def big_file_run(tmp_path_factory):
    """``searcher index`` of the good documents and a 20 MB file of one line, started at once."""
    base = tmp_path_factory.mktemp("big")
    docs = write_good(base / "docs")
    words = b"anxiety therapy sleep the mindfulness of and treatment recovery patients cognitive "
    (docs / "one-line.txt").write_bytes(words * (20_000_000 // len(words)) + b"needleword\n")
    with (base / "stderr").open("w") as stderr:
        proc = subprocess.Popen(
            searcher_argv("index", docs, "--index", base / "index", "--workers", "1"),
            env=subprocess_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    yield base, proc
    if proc.returncode is None:
        proc.kill()
        proc.wait()


def test_20mb_one_line_file_in_bounded_memory(big_file_run, reference):
    base, proc = big_file_run
    status, peak = peak_rss_mb(proc)
    stderr = (base / "stderr").read_text()
    assert status == 0, stderr
    assert assert_clean_stderr(stderr) == []
    assert peak < MEMORY_BOUND_MB, f"peak RSS {peak:.0f} MB"
    rows = export_rows(base / "index")
    assert [r for r in rows if r["doc"] in GOOD] == reference
    big = bad_rows(rows, "one-line.txt")
    assert big and sum(len(r["text"]) for r in big) >= 19_000_000
    found = run_searcher("search", "--json", "--index", base / "index", "needleword")
    assert found.returncode == 0, found.stderr
    assert [h["doc"] for h in json.loads(found.stdout)["hits"]] == ["one-line.txt"]
