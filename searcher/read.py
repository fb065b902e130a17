"""Stage 1, read: file bytes to text, whatever the common encoding.

Binary, special and unreadable files raise :class:`SkipFile` with a one-line
reason so the caller can warn and go on.  The text that comes out holds no
terminal escape sequences or control characters: they mean nothing in an
article and must never reach a terminal from the index.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

from searcher.errors import SkipFile

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x7fELF", b"\x1f\x8b")
# Control bytes that mean nothing in text of any kind.  Not counted: the ones
# real text holds (white space, bell, backspace, escape, shift out and in, as
# in captured terminal output, old e-mail and pasted logs), and NUL, which
# alone makes a file binary.
_STRAY = bytes(range(1, 7)) + bytes(range(16, 27)) + bytes(range(28, 32))
# Escape sequences (CSI, OSC with its text, other ESC pairs) and the control
# characters that are neither white space nor line breaks.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]"
)
# Vertical tab, form feed and the file, group and record separators are white
# space in text; a parser of HTML refuses them.
_SEPARATORS = re.compile(r"[\x0b\x0c\x1c-\x1e]")
# Overstrike, as nroff writes bold (X\bX) and underline (_\bX): one letter shown.
_OVERSTRIKE = re.compile(r"[^\x08\n](?:\x08[^\x08\n])+")
# Bidirectional embeddings, overrides and isolates: they can make a printed line
# read differently from what it holds.  Kept in the index and in JSON (escaped).
SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")  # every kind of white space
HAS_WORD = re.compile(r"\w")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_FALLBACK = "searcher-cp1252"


def _cp1252_bytes(err: UnicodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 are read as windows-1252."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return bad.decode("windows-1252", errors="replace"), err.end


codecs.register_error(_FALLBACK, _cp1252_bytes)


def _overstruck(m: re.Match) -> str:
    shown = m.group()[::2]
    return shown.replace("_", "")[-1:] or "_"


def strip_controls(text: str, bidi: bool = False) -> str:
    """``text`` without terminal escape sequences and control characters.

    White-space controls (form feed, vertical tab) become spaces; overstruck
    letters keep the one a terminal shows.  ``bidi``: also drop
    the bidirectional controls, for text printed to people.
    """
    if "\b" in text:
        text = _OVERSTRIKE.sub(_overstruck, text)
    text = _SEPARATORS.sub(" ", _TERMINAL.sub("", text))
    return _BIDI.sub("", text) if bidi else text


def fold_space(text: str) -> str:
    """Every run of white space (no-break and zero-width spaces too) as one space, none at the ends."""
    return SPACES.sub(" ", text).strip()


def escape_bidi(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with the bidirectional controls written as ``\\uXXXX``."""
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _declared(data: bytes) -> str | None:
    """The encoding an HTML or XML document declares, if it is one that can be read."""
    from bs4.dammit import EncodingDetector

    name = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    try:
        if name and "<".encode(name) == b"<":
            return codecs.lookup(name).name
    except LookupError:
        pass
    return None


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode ``data``: a BOM wins, then UTF-8, then a declared encoding.

    Bytes that are not UTF-8 are read as windows-1252 (a superset of
    Latin-1), one broken sequence at a time, so a mostly UTF-8 file keeps
    its UTF-8 text and a legacy file keeps every accented letter.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return strip_controls(data.decode(encoding))
            except UnicodeDecodeError as err:
                raise SkipFile(f"{name}: not valid {encoding} ({err.reason})") from None
    head = data[:8192]
    if head.startswith(_MAGIC) or b"\x00" in head:
        raise SkipFile(f"{name}: binary file")
    if head and sum(head.count(c) for c in _STRAY) > len(head) // 20:
        raise SkipFile(f"{name}: binary file")
    try:
        return strip_controls(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    declared = _declared(data)
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return strip_controls(data.decode(declared))
        except UnicodeDecodeError:
            pass
    return strip_controls(data.decode("utf-8", errors=_FALLBACK))


def read_bytes(path: Path, name: str | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat, taken from the same open file.

    A folder, pipe, socket or device raises :class:`SkipFile` at once (a pipe
    is opened without waiting for a writer), as does a file that vanished or
    cannot be read.
    """
    name = name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise SkipFile(f"{name}: cannot read ({err.strerror or err})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SkipFile(f"{name}: not a regular file")
        os.set_blocking(fd, True)
        chunks = []
        while chunk := os.read(fd, max(st.st_size + 1, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks), st
    except OSError as err:
        raise SkipFile(f"{name}: cannot read ({err.strerror or err})") from None
    finally:
        os.close(fd)


def read_text(path: Path, name: str | None = None) -> str:
    """Read ``path`` as text; raise :class:`SkipFile` if it is not indexable text."""
    name = name or str(path)
    data, _ = read_bytes(path, name)
    text = decode(data, name)
    if not text.strip():
        raise SkipFile(f"{name}: empty file")
    return text
