"""Index management: what an index holds and how stale it is, and forgetting a root.

``status`` reads the manifest and checks the files on disk against it (by
size and mtime, as a run would); ``forget`` removes one root's sections in
one commit under the write lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from searcher.discover import canonical, scan
from searcher.errors import IndexMissing, SearcherError
from searcher.lock import lock_wait_seconds
from searcher.manifest import Manifest, load_manifest, owning_root, save_manifest
from searcher.store import open_index

STATUS_VERSION = 1


def status(index_dir: Path) -> dict:
    """The index's roots, files, sections, last run and stale files, as plain data."""
    manifest = load_manifest(index_dir)
    try:
        ix = open_index(index_dir, allow_empty=True)
        with ix.reader() as reader:
            sections = reader.doc_count()
    except IndexMissing:
        if not manifest.roots:
            raise
        sections = 0
    roots = [_root_status(manifest, r) for r in sorted(manifest.roots)]
    return {
        "version": STATUS_VERSION,
        "index": str(Path(os.path.abspath(index_dir))),
        "last_run": manifest.last_run,
        "roots": roots,
        "files": sum(r["files"] for r in roots),
        "sections": sections,
        "skipped": sum(len(r["skipped"]) for r in roots),
        "stale": sum(len(r["stale"]["new"]) + len(r["stale"]["changed"]) + len(r["stale"]["gone"]) for r in roots),
    }


def _root_status(manifest: Manifest, root: str) -> dict:
    mine = {k: e for k, e in manifest.files.items() if owning_root(k, manifest.roots) == root}
    skipped = {k: e for k, e in manifest.skipped.items() if owning_root(k, manifest.roots) == root}
    new, changed = [], []
    found = scan([root], manifest.globs).files if os.path.exists(root) else []
    for f in found:
        if owning_root(f.key, manifest.roots) != root:
            continue
        known = mine.get(f.key) or skipped.get(f.key)
        try:
            st = f.path.stat()
        except OSError:
            continue
        if known is None:
            new.append(f.key)
        elif (known.get("size"), known.get("mtime")) != (st.st_size, st.st_mtime_ns):
            changed.append(f.key)
    seen = {f.key for f in found}
    return {
        "root": root,
        "exists": os.path.exists(root),
        "globs": manifest.globs.get(root, []),
        "files": len(mine),
        "sections": sum(int(e.get("sections", 0)) for e in mine.values()),
        "skipped": [{"path": k, "reason": e.get("reason", "")} for k, e in sorted(skipped.items())],
        "stale": {"new": sorted(new), "changed": sorted(changed), "gone": sorted(k for k in mine if k not in seen)},
    }


def resolve_root(manifest: Manifest, given: str) -> str:
    """The recorded root that ``given`` names (any spelling of it), else a SearcherError listing the roots."""
    candidates = {str(canonical(given)), os.path.abspath(given), given}
    for root in manifest.roots:
        if root in candidates:
            return root
    known = ", ".join(sorted(manifest.roots)) or "none"
    raise SearcherError(f"{given} is not an indexed root (the roots are: {known}); see: searcher status")


def forget(index_dir: Path, given: str, lock_wait: float | None = None) -> dict:
    """Remove one root's sections and its entries; the other roots stay as they are."""
    from searcher.stored import record_term
    from searcher.writer import IndexWriter, locked

    wait = lock_wait_seconds() if lock_wait is None else lock_wait
    if not (index_dir / "searcher-files.json").exists():
        open_index(index_dir, allow_empty=True)  # says what is wrong with the folder
    with locked(index_dir, wait):
        manifest = load_manifest(index_dir)
        root = resolve_root(manifest, given)
        mine = [k for k in manifest.files if owning_root(k, manifest.roots) == root]
        sections = sum(int(manifest.files[k].get("sections", 0)) for k in mine)
        with IndexWriter(index_dir) as writer:
            for key in mine:
                writer.delete(record_term(key))
            writer.commit()
        before = list(manifest.roots)
        manifest.roots = [r for r in manifest.roots if r != root]
        manifest.files = {k: e for k, e in manifest.files.items() if k not in mine}
        manifest.skipped = {k: e for k, e in manifest.skipped.items() if owning_root(k, before) != root}
        manifest.globs.pop(root, None)
        save_manifest(index_dir, manifest)
    return {"root": root, "files": len(mine), "sections": sections}
