"""The baseline: the plain pipeline a developer would write in an afternoon.

    python bench/baseline.py ingest HTML_DIR INDEX_DIR
    python bench/baseline.py query INDEX_DIR QUERY...

One Whoosh document per page: BeautifulSoup("html.parser").get_text() of the
whole page, the schema of Whoosh's quick start (TEXT uses the default
StandardAnalyzer), one writer with default settings, one commit.  Queries go
through the default QueryParser on the page text.  Nothing here is tuned.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bs4 import BeautifulSoup
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser


def make_schema() -> Schema:
    return Schema(path=ID(stored=True, unique=True), title=TEXT(stored=True), content=TEXT)


def ingest(html_dir: Path, index_dir: Path) -> int:
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), make_schema())
    writer = ix.writer()
    pages = 0
    for path in sorted(html_dir.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8", errors="replace"), "html.parser")
        title = soup.title.get_text() if soup.title else path.stem
        writer.add_document(path=path.relative_to(html_dir).as_posix(), title=title, content=soup.get_text())
        pages += 1
    writer.commit()
    return pages


class Searcher:
    """An open index and a parser, for the warm query measurement."""

    def __init__(self, index_dir: Path) -> None:
        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def search(self, text: str, limit: int = 10) -> list[tuple[str, str]]:
        results = self.searcher.search(self.parser.parse(text), limit=limit)
        return [(hit["path"], hit["title"]) for hit in results]

    def close(self) -> None:
        self.searcher.close()


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "ingest":
        pages = ingest(Path(argv[1]), Path(argv[2]))
        print(f"{pages} pages indexed", file=sys.stderr)
        return 0
    if len(argv) >= 3 and argv[0] == "query":
        s = Searcher(Path(argv[1]))
        hits = s.search(" ".join(argv[2:]))
        for path, title in hits:
            print(path, " ".join(title.split()), sep="\t")
        return 0 if hits else 1
    print("usage: baseline.py ingest HTML_DIR INDEX_DIR | baseline.py query INDEX_DIR QUERY...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
