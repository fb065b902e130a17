"""The benchmark: searcher against a plain Whoosh + BeautifulSoup baseline on real HTML.

``bench/run.py`` is the entry point.  The pieces, one concern each:
``measure`` (child processes, RSS, timing, medians), ``corpus`` (the tiers and
the queries), ``settings`` (how many runs of what), ``scenarios`` (ingest,
reindex, warm and cold queries of one tier), ``targets`` (the goals, as data)
and ``report`` (tables printed from the JSON results).
"""
