"""Naming a document: the one matcher behind ``--doc``, ``sections DOC`` and the like.

A document can be named by any form the output prints: its path from the
current folder, its absolute path, its path inside its root, its file name,
a folder holding it, or a glob over any of these.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DocRef:
    """One indexed file: its absolute path, its root and its name inside the root."""

    path: str
    root: str
    doc: str


def from_here(path: str, cwd: str | None = None) -> str:
    """``path`` as it opens from the current folder: relative below it, absolute elsewhere."""
    try:
        rel = os.path.relpath(path, cwd or os.getcwd())
    except (ValueError, OSError):
        return path
    return path if rel == ".." or rel.startswith(".." + os.sep) else rel


def _below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


class DocMatcher:
    """Does a document answer to ``pattern``?"""

    def __init__(self, pattern: str, cwd: str | None = None) -> None:
        self.pattern = pattern
        self.cwd = cwd or os.getcwd()
        self.is_glob = glob.has_magic(pattern)
        plain = os.path.normpath(pattern) if pattern else pattern
        self.plain = plain
        absolute = os.path.normpath(os.path.join(self.cwd, os.path.expanduser(pattern)))
        # What the name means from here, links followed as the roots' were.
        self.absolute = absolute if self.is_glob else os.path.realpath(absolute)

    def __call__(self, ref: DocRef) -> bool:
        here = from_here(ref.path, self.cwd)
        name = os.path.basename(ref.path)
        if self.is_glob:
            return any(fnmatch.fnmatchcase(form, self.pattern) for form in (ref.doc, here, name, ref.path)) or (
                fnmatch.fnmatchcase(ref.path, self.absolute)
            )
        if name == self.pattern or _below(ref.path, self.absolute):
            return True
        return any(_below(form, self.plain) for form in (ref.doc, here))


def matching(pattern: str, refs: Iterable[DocRef], cwd: str | None = None) -> list[DocRef]:
    """The documents among ``refs`` that answer to ``pattern``."""
    match = DocMatcher(pattern, cwd)
    return [r for r in refs if match(r)]


def refs_from_terms(files: Iterable[str], roots: Iterable[str]) -> list[DocRef]:
    """Documents from the index's file and root terms: each file in the deepest root that holds it."""
    roots = sorted(set(roots), key=len, reverse=True)
    out = []
    for path in files:
        root = next((r for r in roots if path.startswith(r.rstrip("/") + "/")), os.path.dirname(path))
        out.append(DocRef(path, root, path[len(root.rstrip("/")) + 1 :]))
    return out
