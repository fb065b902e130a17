"""The floor for a cold query: import Whoosh, open the index, parse, search, print.

    python bench/cold_whoosh.py INDEX_DIR QUERY...

Run on searcher's own index, so the difference to ``searcher search --json``
is what searcher adds on top of Whoosh (imports, correction, expansion,
two-pass ranking, snippets, JSON).
"""

import sys

from whoosh import index
from whoosh.qparser import QueryParser

ix = index.open_dir(sys.argv[1])
with ix.searcher() as searcher:
    query = QueryParser("body", ix.schema).parse(" ".join(sys.argv[2:]))
    for hit in searcher.search(query, limit=10):
        print(hit["id"])
