"""The plain facts of the package's structure, kept true: small modules and functions,
Whoosh's private parts in one module, printers that know only the models, one section model."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "searcher"
MODULES = sorted(PACKAGE.rglob("*.py"))
# A private attribute of a Whoosh class or object: TOC._latest_generation, writer._commit_toc,
# matcher._ids, compound.BufferFile = ... (the last a module patch).
WHOOSH_PRIVATE = re.compile(r"\b(?:TOC|FileIndex|writer|matcher|reader|searcher|segment)\._[a-z]\w*|compound\.\w+\s*=")


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_and_functions_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno - node.lineno + 1 <= 50, node.name


def test_whoosh_private_parts_only_in_whoosh_compat() -> None:
    found = {
        str(p.relative_to(PACKAGE)): WHOOSH_PRIVATE.findall(p.read_text(encoding="utf-8"))
        for p in MODULES
        if p.name != "whoosh_compat.py"
    }
    assert {k: v for k, v in found.items() if v} == {}
    assert WHOOSH_PRIVATE.search((PACKAGE / "whoosh_compat.py").read_text(encoding="utf-8"))  # the pattern bites


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_printers_import_only_the_models_of_the_pipeline() -> None:
    pipeline = {"searcher.query", "searcher.store", "searcher.index", "searcher.hits", "searcher.rank", "whoosh"}
    for path in sorted((PACKAGE / "render").glob("*.py")):
        names = imported(path)
        assert not {n for n in names if n in pipeline or n.startswith("whoosh")}, path.name


def test_one_dataclass_for_a_section() -> None:
    sections = [
        (p.name, node.name)
        for p in MODULES
        for node in ast.walk(tree(p))
        if isinstance(node, ast.ClassDef) and "Section" in node.name
    ]
    assert sections == [("models.py", "Section")]
