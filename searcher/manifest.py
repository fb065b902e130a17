"""The manifest beside the index: its roots and what each file was when last read.

Plain JSON, written whole to a temporary file and renamed, so a reader sees
the old or the new one.  It holds the roots (canonical paths), the globs
given for each root, per file its content hash, stat and section count, the
stat of the files that were skipped (so each is warned about once until it
changes), and when the last run ended.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from searcher.errors import IndexDamaged

MANIFEST = "searcher-files.json"
# 2: canonical roots, ids and paths across roots, a root field in each record.
VERSION = 2


@dataclass
class Manifest:
    """What the last runs recorded; ``files`` and ``skipped`` are keyed by canonical path."""

    roots: list[str] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)
    skipped: dict[str, dict] = field(default_factory=dict)
    globs: dict[str, list[str]] = field(default_factory=dict)
    last_run: float | None = None
    version: int = VERSION

    def to_json(self) -> dict:
        """The saved form."""
        return {
            "version": self.version,
            "roots": sorted(self.roots),
            "globs": {r: g for r, g in sorted(self.globs.items()) if g and r in self.roots},
            "last_run": self.last_run,
            "files": self.files,
            "skipped": self.skipped,
        }


def load_manifest(index_dir: Path, damaged_ok: bool = False) -> Manifest:
    """The manifest of the index at ``index_dir``: empty when there is none.

    One that cannot be read or is not a manifest is a damaged index
    (:class:`IndexDamaged`), unless ``damaged_ok`` (a rebuild naming its roots):
    then it is taken as empty.
    """
    path = index_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError) as err:
        data = err
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        if damaged_ok:
            return Manifest()
        why = getattr(data, "strerror", None) or ("not JSON" if isinstance(data, ValueError) else "not a file list")
        raise IndexDamaged(
            f"index at {index_dir} is damaged (its file list {MANIFEST}: {why}); "
            f"rebuild it with: searcher index --rebuild --index {index_dir} PATH..."
        )
    return Manifest(
        roots=[r for r in data.get("roots") or [] if isinstance(r, str)],
        files=data["files"],
        skipped=data.get("skipped") if isinstance(data.get("skipped"), dict) else {},
        globs=data.get("globs") if isinstance(data.get("globs"), dict) else {},
        last_run=data.get("last_run"),
        version=data.get("version", 1),
    )


def save_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Write the manifest atomically (temporary file, then rename)."""
    tmp = index_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest.to_json(), indent=0, sort_keys=True), encoding="utf-8")
    os.replace(tmp, index_dir / MANIFEST)


def owning_root(key: str, roots: list[str]) -> str | None:
    """The most specific recorded root that ``key`` lies in (or is)."""
    best = None
    for r in roots:
        if (key == r or key.startswith(r.rstrip(os.sep) + os.sep)) and (best is None or len(r) > len(best)):
            best = r
    return best
