"""Stage 7, render: hits and sections for people (ripgrep's habits) and JSON for programs.

One module per kind of output: ``human`` (grouped hits, outlines, tables),
``grep`` (``-l``, ``-c``, ``--vimgrep``) and ``jsonout`` (the documented
JSON shapes); ``terminal`` holds what they share.  Printers never search and
import only :mod:`searcher.models` of the pipeline.  Text from documents is
stripped of control characters and bidirectional controls before it reaches
a terminal; JSON escapes them.
"""

from __future__ import annotations

from searcher.render.grep import counts, files, vimgrep
from searcher.render.human import (
    footer,
    hit_header,
    human,
    outline,
    sections_text,
    similar,
    snippet_lines,
    therapies_table,
)
from searcher.render.jsonout import JSON_VERSION, as_json, hit_json, section_json, similar_json, to_json
from searcher.render.terminal import safe, shown_path, snippet_text

__all__ = [
    "JSON_VERSION",
    "as_json",
    "counts",
    "files",
    "footer",
    "hit_header",
    "hit_json",
    "human",
    "outline",
    "safe",
    "section_json",
    "sections_text",
    "shown_path",
    "similar",
    "similar_json",
    "snippet_lines",
    "snippet_text",
    "therapies_table",
    "to_json",
    "vimgrep",
]
