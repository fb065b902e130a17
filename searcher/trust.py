"""Refuse an index folder that someone else could have written.

Whoosh keeps an index's table of contents, and the stored fields of its
segments, as pickles: reading them runs whatever code they name.  An index
folder, or a file in it, that another user owns or can write is code that
user can run as whoever searches it.  Like ssh with a loose key file, the
index is refused, with the command that fixes it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from searcher.errors import UntrustedIndex

INDEX_PREFIXES = ("_MAIN_", "MAIN_")  # the table of contents, segments and lock of the index


def check_trusted(index_dir: Path) -> None:
    """Raise :class:`UntrustedIndex` when the folder or an index file in it is not private to its owner.

    Trusted owners are the current user and root; nobody but the owner may write.
    """
    try:
        names = [n for n in os.listdir(index_dir) if n.startswith(INDEX_PREFIXES)]
    except OSError:
        names = []
    for path in [index_dir, *(index_dir / n for n in sorted(names))]:
        try:
            st = os.stat(path) if path == index_dir else os.lstat(path)
        except OSError:
            continue  # gone meanwhile (a commit removed it): nothing to read
        _check(index_dir, path, st)


def _check(index_dir: Path, path: Path, st: os.stat_result) -> None:
    what = "the index folder" if path == index_dir else path.name
    why = "Whoosh runs code stored in an index"
    if st.st_uid not in (os.geteuid(), 0):
        raise UntrustedIndex(
            f"refusing index at {index_dir}: {what} is owned by another user (uid {st.st_uid}) and {why}; "
            f"fix: if you trust its owner, take it over with: sudo chown -R {_me()} {index_dir}; "
            f"else build your own with: searcher index --index NEW-FOLDER PATH"
        )
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(st.st_mode):
        mode = stat.filemode(st.st_mode)
        raise UntrustedIndex(
            f"refusing index at {index_dir}: {what} is writable by other users ({mode}) and {why}; "
            f"fix: chmod -R go-w {index_dir}"
        )


def _me() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())
