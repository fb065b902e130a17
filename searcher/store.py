"""The read side of the index: open it, read its manifest, list its sections.

Kept apart from the indexer so that searching never imports the ingest stack
(BeautifulSoup and the cleaners).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as windex

from searcher.errors import IndexDamaged, IndexMissing

MANIFEST = "searcher-files.json"


def damaged_error(index_dir: Path, err: Exception) -> IndexDamaged:
    return IndexDamaged(
        f"index at {index_dir} is damaged ({type(err).__name__}: {err}); rebuild it with: searcher index --rebuild"
    )


def open_index(index_dir: Path) -> windex.Index:
    """Open an existing index for reading, or raise IndexMissing/IndexDamaged."""
    if not index_dir.is_dir() or not windex.exists_in(str(index_dir)):
        raise IndexMissing(f"no index at {index_dir}; build one with: searcher index [PATH]")
    try:
        ix = windex.open_dir(str(index_dir))
        ix.doc_count()
        return ix
    except (OSError, EOFError, ValueError, KeyError, windex.IndexError) as err:
        raise damaged_error(index_dir, err) from None
    except Exception as err:  # a truncated segment surfaces as many types
        raise damaged_error(index_dir, err) from None


def load_manifest(index_dir: Path) -> dict:
    """The roots and per-file state of the last committed run (empty if none)."""
    try:
        data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("files"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"roots": [], "files": {}}


def iter_sections(index_dir: Path) -> Iterator[dict]:
    """Every stored section, by document and line: the export format."""
    ix = open_index(index_dir)
    with ix.searcher() as s:
        rows = [dict(f) for f in s.all_stored_fields()]
    rows.sort(key=lambda r: (r["doc"], r["line_start"], r["id"]))
    for r in rows:
        yield stored_to_section(r)


def stored_to_section(r: dict) -> dict:
    """A stored Whoosh record in the documented section shape."""
    return {
        "id": r["id"],
        "doc": r["doc"],
        "title": r.get("title", ""),
        "heading": r.get("heading", ""),
        "heading_path": list(r.get("heading_path") or []),
        "kind": r.get("kind", "body"),
        "therapies": [t for t in (r.get("therapies") or "").split(",") if t],
        "line_start": r["line_start"],
        "line_end": r["line_end"],
        "text": r.get("body", ""),
    }
