"""E-mail saved as text: its header lines and signature are text, its subject the title."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from searcher.text import Line

_MAIL_HEADER = re.compile(r"^(?:from|to|cc|bcc|date|sent|subject|reply-to|organization|message-id):\s", re.I)


def read_mail(lines: list[Line | None]) -> str:
    """An e-mail's lines as text, never headings: its header lines (From:, To:, Subject: ...),
    its body and its signature (under "-- ").  Its subject is the title ("" for no e-mail)."""
    heads = 0
    while heads < len(lines) and lines[heads] is not None and _MAIL_HEADER.match(lines[heads].text):
        heads += 1
    names = {lines[i].text.split(":", 1)[0].lower() for i in range(heads)}
    if heads < 2 or not names & {"from", "to", "subject"}:
        return ""
    subjects = [ln.text.split(":", 1)[1].strip() for ln in lines[:heads] if ln.text.lower().startswith("subject:")]
    for i, ln in enumerate(lines):
        if ln is not None and ln.source.rstrip() == "--":  # the signature's separator
            lines[i] = None
        elif ln is not None and ln.kind in ("line", "heading"):
            ln.kind = "para"  # a letter has no headings: one section under its subject
    return subjects[0] if subjects else ""
