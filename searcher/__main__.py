"""``python -m searcher``: the same command as ``searcher``."""

from searcher.cli import main

if __name__ == "__main__":
    main(prog_name="searcher")
