"""The watcher and what a scan leaves out: changes to ignored files cost no run;
a change to an ignore file is a change to what is indexed."""

from __future__ import annotations

import json
import time

from tests.watching import Watch, note, write


def found(cli, ix, word: str) -> list[str]:
    result = cli("search", "--json", "--index", ix, word)
    assert result.exit_code in (0, 1), result.stderr
    return sorted(h["doc"] for h in json.loads(result.stdout)["hits"])


def test_ignored_files_cost_no_run_and_an_ignore_file_change_is_indexed(cli, tmp_path) -> None:
    docs, ix = tmp_path / "docs", tmp_path / "ix"
    write(docs / "keep.txt", note("Keep", "keepword"))
    write(docs / ".gitignore", "build/\n*.log.txt\n")
    with Watch(docs, "--index", ix, "--glob", "!drafts/**", debounce=0.3) as w:
        w.started()
        write(docs / "build" / "out.txt", note("Build", "buildword"))  # in an ignored folder
        write(docs / "run.log.txt", note("Log", "logword"))  # ignored by its name
        write(docs / "drafts" / "d.txt", note("Draft", "draftword"))  # left out by --glob
        time.sleep(1.5)  # five quiet periods: a run for these would have started by now
        write(docs / "new.txt", note("New", "newword"))
        assert w.wait_runs(1)[0] == {"added": 1, "changed": 0, "removed": 0, "skipped": 0, "sections": 1}
        write(docs / ".gitignore", "*.log.txt\n")  # build/ is indexed from now on
        runs = w.wait_runs(2)
        assert runs[1]["added"] == 1, runs
    assert found(cli, ix, "buildword") and found(cli, ix, "newword")
    assert not found(cli, ix, "logword") and not found(cli, ix, "draftword")
