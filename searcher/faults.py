"""Fault injection for the reliability tests: one named hook, ``SEARCHER_TEST_PAUSE``.

The process prints ``searcher-test-pause: <point>`` on stderr, then waits for
a line on stdin, so a test can kill it there, or change files or commit to
the index and let it go on.  Indexing points: ``lock-wait`` (another run
holds the lock; this one is about to wait), ``scan`` (files found, none
read), ``parse`` (first file parsed), ``before-commit``, ``in-commit`` (new
segment written, table of contents not yet), ``after-commit`` (manifest not
yet saved).  Reading points: ``open`` (the newest commit's number known, its
table of contents not yet read) and ``opened`` (its segments open, nothing
read from them yet).
"""

from __future__ import annotations

import os
import sys

VARIABLE = "SEARCHER_TEST_PAUSE"


def pause(point: str) -> None:
    """Stop at ``point`` when ``$SEARCHER_TEST_PAUSE`` names it."""
    if os.environ.get(VARIABLE) == point:
        print(f"searcher-test-pause: {point}", file=sys.stderr, flush=True)
        sys.stdin.readline()


def pause_in_commit(writer) -> None:
    """Make ``writer``'s commit stop at ``in-commit``: segment written, table of contents not yet."""
    if os.environ.get(VARIABLE) != "in-commit":
        return
    from searcher.whoosh_compat import before_toc

    before_toc(writer, lambda: pause("in-commit"))
