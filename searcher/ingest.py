"""Read, clean, segment and tag one file: the per-file work of indexing.

It is a pure function of the file's bytes and its name, so it can run in
worker processes and its output is the same wherever it runs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from searcher.clean import clean
from searcher.errors import SkipFile
from searcher.models import Section
from searcher.read import decode
from searcher.segment import segment
from searcher.tag import default_taxonomy

TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")


def sections_of_text(text: str, doc: str) -> list[Section]:
    """Clean, segment and tag a document's text."""
    sections = segment(clean(text, doc), doc)
    taxonomy = default_taxonomy()
    for s in sections:
        s.therapies = taxonomy.tag(s.heading + "\n" + s.text)
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


def process_file(path: Path, doc: str) -> tuple[str, list[Section]]:
    """(content hash, sections) of one file; raises SkipFile with a one-line reason."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SkipFile(f"{doc}: cannot read ({err.strerror or err})") from None
    return digest(data), process_bytes(data, doc)
