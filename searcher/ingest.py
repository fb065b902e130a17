"""Read, clean, segment and tag one file: the per-file work of indexing.

It is a pure function of the file's bytes and its name, so it can run in
worker processes and its output is the same wherever it runs.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from searcher.clean import clean
from searcher.errors import SkipFile
from searcher.models import Section
from searcher.read import decode, read_bytes, strip_controls
from searcher.segment import segment
from searcher.tag import default_taxonomy

_SURROGATE = re.compile("[\ud800-\udfff]")


def sections_of_text(text: str, doc: str) -> list[Section]:
    """Clean, segment and tag a document's text (its sections tagged together).

    Control characters are dropped before the readers see the text (a
    caller may pass text that never went through :func:`decode`) and again
    after them: cleaning decodes HTML entities, which can spell control
    characters (``&#27;``).  Lone surrogates (text that was never UTF-8)
    are read as U+FFFD, as a browser reads them.
    """
    sections = segment(clean(_SURROGATE.sub("\ufffd", strip_controls(text)), doc), doc)
    for s in sections:
        s.title, s.heading, s.text = strip_controls(s.title), strip_controls(s.heading), strip_controls(s.text)
        s.heading_path = [strip_controls(h) for h in s.heading_path]
    tags = default_taxonomy().tag_document([s.heading + "\n" + s.text for s in sections])
    for s, therapies in zip(sections, tags, strict=True):
        s.therapies = therapies
    return sections


def process_bytes(data: bytes, doc: str) -> list[Section]:
    """Sections of a file's bytes; raises SkipFile when it holds no indexable text."""
    text = decode(data, doc)
    if not text.strip():
        raise SkipFile(f"{doc}: empty file")
    sections = sections_of_text(text, doc)
    if not sections:
        raise SkipFile(f"{doc}: no text left after cleaning")
    return sections


def digest(data: bytes) -> str:
    """Content hash that decides whether a file changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def process_file(path: Path, doc: str) -> tuple[str, os.stat_result, list[Section]]:
    """(content hash, stat, sections) of one file; raises SkipFile with a one-line reason.

    The stat comes from the open file the bytes were read from, so it
    describes exactly the content that was indexed.
    """
    data, st = read_bytes(path, doc)
    return digest(data), st, process_bytes(data, doc)
