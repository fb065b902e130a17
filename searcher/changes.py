"""Whether the paths a watcher saw touched change what the index should hold.

A known file matters when its size or modification time is not what the
index's file list records.  A new file, or a folder that came, went or
moved, matters only where a scan would look (its name, the root's globs, the
ignore files on the way) or where the index holds files under it: a build
folder the ``.gitignore`` leaves out can churn without a run.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from searcher.discover import picked_up
from searcher.manifest import load_manifest


def matters(index_dir: Path, folder_roots: list[Path], files: set[str], folders: set[str]) -> bool:
    """True when indexing again could change the index after these touches."""
    manifest = load_manifest(index_dir)
    specs: dict = {}  # each folder's ignore files, read once for all the paths
    for path in files:
        entry = manifest.files.get(path) or manifest.files.get(str(Path(path).resolve()))
        if stale(path, entry) and (entry is not None or _seen(Path(path), folder_roots, manifest.globs, False, specs)):
            return True
    for folder in folders:
        inside = folder.rstrip(os.sep) + os.sep
        if any(key.startswith(inside) for key in manifest.files):
            return True
        if _seen(Path(folder), folder_roots, manifest.globs, True, specs):
            return True
    return False


def _seen(path: Path, roots: list[Path], globs: dict[str, list[str]], is_dir: bool, specs: dict) -> bool:
    """Whether a scan would see ``path``: a path under no folder root is a root of its own."""
    holding = [r for r in roots if path.is_relative_to(r)]
    return not holding or any(picked_up(r, path, globs.get(str(r), []), is_dir, specs) for r in holding)


def stale(path: str, entry: dict | None) -> bool:
    """Whether the file at ``path`` differs from ``entry``, the index's record of it (None: no record)."""
    try:
        st = os.stat(path)
    except OSError:
        return entry is not None
    same = entry is not None and (entry.get("size"), entry.get("mtime")) == (st.st_size, st.st_mtime_ns)
    return not (same and stat.S_ISREG(st.st_mode))
