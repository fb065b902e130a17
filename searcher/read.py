"""Stage 1, read: file bytes to text, whatever the common encoding.

Binary and unreadable files raise :class:`SkipFile` with a one-line reason so
the caller can warn and go on.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from bs4 import UnicodeDammit

from searcher.errors import SkipFile

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode ``data``: a BOM wins, then UTF-8, then UnicodeDammit's guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as err:
                raise SkipFile(f"{name}: not valid {encoding} ({err.reason})") from None
    head = data[:8192]
    if head.startswith(_MAGIC) or b"\x00" in head:
        raise SkipFile(f"{name}: binary file")
    if head and sum(head.count(c) for c in _CONTROL) > len(head) // 20:
        raise SkipFile(f"{name}: binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    dammit = UnicodeDammit(data, ["utf-8", "windows-1252"], is_html=False)
    if dammit.unicode_markup is None:
        raise SkipFile(f"{name}: unknown text encoding")
    return dammit.unicode_markup


def read_text(path: Path, name: str | None = None) -> str:
    """Read ``path`` as text; raise :class:`SkipFile` if it is not indexable text."""
    name = name or str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SkipFile(f"{name}: cannot read ({err.strerror or err})") from None
    text = decode(data, name)
    if not text.strip():
        raise SkipFile(f"{name}: empty file")
    return text
