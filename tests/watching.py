"""A real ``searcher index --watch`` subprocess, and waiting for what it says."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from searcher.store import INDEX_NAME
from tests.test_reliability import searcher_argv, subprocess_env

RUN_LINE = re.compile(
    r"^\d\d:\d\d:\d\d (?P<added>\d+) added, (?P<changed>\d+) changed, (?P<removed>\d+) removed"
    r"(?:, (?P<skipped>\d+) skipped)?; (?P<sections>\d+) sections? in \d+\.\d\ds$"
)
TIMEOUT = 60.0


def wait_until(condition: Callable[[], object], timeout: float = TIMEOUT, what: str = "condition") -> object:
    """Poll ``condition`` with short sleeps until it is true; fail after a generous ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def generation(index_dir: Path) -> int:
    """The number of the index's last commit."""
    return TOC._latest_generation(FileStorage(str(index_dir)), INDEX_NAME)


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A process's resident memory (or peak, ``VmHWM``) in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


class Watch:
    """``searcher index --watch`` on a real folder; stderr collected line by line."""

    def __init__(self, *args, env: dict | None = None, debounce: float = 0.2, workers: int = 1) -> None:
        self.proc = subprocess.Popen(
            searcher_argv("index", "--watch", "--debounce", debounce, "--workers", workers, *args),
            env=env or subprocess_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def runs(self) -> list[dict[str, int]]:
        """The summary line of each run after the first, as numbers."""
        out = []
        for line in list(self.lines):
            m = RUN_LINE.match(line)
            if m:
                out.append({k: int(v or 0) for k, v in m.groupdict().items()})
        return out

    def wait_line(self, text: str, after: int = 0) -> int:
        """Index of the first line from ``after`` on that holds ``text``."""

        def find():
            for i, line in enumerate(list(self.lines)[after:], after):
                if text in line:
                    return i + 1
            if self.proc.poll() is not None:
                raise AssertionError(f"watcher ended ({self.proc.returncode}): {self.lines}")
            return None

        return wait_until(find, what=f"{text!r} in {self.lines}") - 1

    def started(self) -> Watch:
        self.wait_line("Ctrl-C to stop")
        return self

    def wait_runs(self, n: int) -> list[dict[str, int]]:
        """Wait until at least ``n`` watch runs have been reported."""
        return wait_until(lambda: len(self.runs()) >= n and self.runs(), what=f"{n} runs in {self.lines}")

    def release(self) -> None:
        """Let a process stopped at a test pause point go on."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()

    def signal(self, signum: int = signal.SIGTERM, timeout: float = TIMEOUT) -> int:
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout)
        self.reader.join(timeout)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(TIMEOUT)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe:
                with contextlib.suppress(OSError):
                    pipe.close()

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def note(title: str, word: str, extra: str = "") -> str:
    """A small text document: a heading, a paragraph with ``word``."""
    return f"{title}\n\n{word} is written here for the watcher {extra}.\n"


__all__ = ["Watch", "generation", "note", "os", "rss_kib", "wait_until", "write"]
