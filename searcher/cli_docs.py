"""The ``searcher`` commands that show documents and hand them on: clean, sections, export, therapies."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from searcher.cli import environment, fail, index_option, print_out, utf8
from searcher.locations import default_index


@click.command("clean")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False, path_type=Path))
def clean_cmd(file: Path) -> None:
    """Print the sections of FILE (or - for stdin) as they get indexed: headings marked with #."""
    from searcher.ingest import sections_of_text
    from searcher.read import decode, read_text
    from searcher.render import sections_text

    if str(file) == "-":
        text, name = decode(sys.stdin.buffer.read(), "<stdin>"), "-"
    else:
        text, name = read_text(file), file.name
    print_out(sections_text(sections_of_text(text, name)), nl=False)


@click.command("export")
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "bulk"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one section a line; bulk: the NDJSON of an OpenSearch/Elasticsearch _bulk request.",
)
@click.option("--index-name", default="searcher", show_default=True, help="With --format bulk: the _index to load.")
@click.option(
    "--mapping", "as_mapping", is_flag=True, help="Print the cluster index mapping for these sections instead."
)
def export_cmd(index_dir: Path | None, fmt: str, index_name: str, as_mapping: bool) -> None:
    """Every section as JSON Lines, or as the body of a _bulk request; or the mapping for them."""
    from searcher import export

    out = environment().out
    if as_mapping:
        print_out(export.mapping_text())
        return
    where = index_dir or default_index()
    lines = export.bulk(where, index_name) if fmt == "bulk" else export.jsonl(where)
    for line in lines:
        out.write(line + "\n")
    out.flush()


@click.command("sections")
@click.argument("doc", required=False)
@index_option
def sections_cmd(doc: str | None, index_dir: Path | None) -> None:
    """The outline of one document (any path to it, its name, a folder or a glob) or of all."""
    from searcher.render import outline
    from searcher.store import iter_sections

    doc = utf8(doc)
    sections = list(iter_sections(index_dir or default_index(), doc))
    if not sections:
        fail(f"no document matches {doc!r}" if doc else "the index holds no sections")
    print_out(outline(sections, environment().width()))


@click.command("therapies")
@index_option
@click.option("--json", "as_json", is_flag=True, help="JSON array instead of a table.")
def therapies_cmd(index_dir: Path | None, as_json: bool) -> None:
    """Every therapy in the taxonomy, with its section and document counts and aliases."""
    from searcher.facets import facets
    from searcher.render import therapies_table, to_json

    rows = facets(index_dir or default_index())
    print_out(to_json(rows, indent=2) if as_json else therapies_table(rows))
