"""The one mapping between a :class:`Section` and the record the index stores for it.

The writer turns sections into records with :func:`to_record`; every reader
of the index (search hits, similar, export, outlines) turns a stored record
back with :func:`from_stored`.  Other modules name a stored field only to
look records up (``file``, ``doc``, the line numbers), never to build a section.
"""

from __future__ import annotations

from collections.abc import Mapping

from searcher.models import Section


def record_term(key: str) -> str:
    """A file's path as the index stores it: bytes that are not UTF-8 spelled ``\\xNN``."""
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def to_record(section: Section, file: str, root: str) -> dict:
    """The Whoosh record of ``section`` of the file ``file`` (its path as :func:`record_term` spells it).

    A record's id is the file's path and the section's slug, so it is unique
    across roots and the same on every run.
    """
    return {
        "id": file + section.id[len(section.doc) :],
        "file": file,
        "root": record_term(root),
        "doc": section.doc,
        "title": section.title,
        "heading": section.heading,
        "section": " ".join(section.heading_path),
        "heading_path": section.heading_path,
        "kind": section.kind,
        "therapies": ",".join(section.therapies),
        "line_start": section.line_start,
        "line_end": section.line_end,
        "anchor": section.anchor,
        "body": section.text,
    }


def from_stored(record: Mapping) -> Section:
    """The section a stored record holds (fields an older index lacks take their defaults)."""
    get = record.get
    return Section(
        id=record["id"],
        doc=record["doc"],
        title=get("title", ""),
        heading=get("heading", ""),
        heading_path=list(get("heading_path") or []),
        kind=get("kind", "body"),
        text=get("body", ""),
        line_start=record["line_start"],
        line_end=record["line_end"],
        therapies=[t for t in (get("therapies") or "").split(",") if t],
        anchor=get("anchor", ""),
        path=get("file", ""),
        root=get("root", ""),
    )
