"""searcher: an offline search engine for a folder of articles.

Kept import-free so that `searcher search` pays only for what it uses.
"""

__version__ = "0.1.0"
