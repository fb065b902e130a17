"""Where the index and the documents are when the user names neither."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_CORPUS = Path("corpus")


def default_index() -> Path:
    """``$SEARCHER_INDEX``, else ``./index``."""
    return Path(os.environ.get("SEARCHER_INDEX") or "index")


def roots_to_index(index_dir: Path, paths: list[Path], only: bool = False) -> list[Path] | None:
    """The roots a ``searcher index`` run reads: the named ones; with none, the
    roots indexed before (None), or ``./corpus`` for a new index."""
    from searcher.errors import SearcherError
    from searcher.manifest import load_manifest

    if paths:
        return paths
    if only:
        raise SearcherError("--only needs the files or folders to keep (see: searcher status)")
    if load_manifest(index_dir).roots:
        return None
    if not DEFAULT_CORPUS.is_dir():
        raise SearcherError("nothing to index: name a file or folder (there is no ./corpus)")
    return [DEFAULT_CORPUS]
