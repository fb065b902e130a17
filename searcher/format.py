"""Whether an index was written with today's schema and analysis.

Whoosh compares fields without their analyzers, so an index of an older
searcher (another tokenizer, no identifier parts, no accent folding) would
pass for current.  Here a field is described by its type, its flags and each
part of its analyzer with its settings (the version of searcher's own filter
among them), and two schemas are the same when every field's description is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.fields import FieldType, Schema

from searcher.schema import make_schema


def _setting(value: object) -> object:
    if isinstance(value, re.Pattern):
        return value.pattern
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value))
    if callable(value):
        return getattr(value, "__qualname__", type(value).__name__)
    return value


def _part(item: object) -> tuple:
    settings = sorted((k, _setting(v)) for k, v in vars(item).items() if not k.startswith("_"))
    return (type(item).__qualname__, tuple(settings))


def field_signature(ftype: FieldType) -> tuple:
    """What decides how a field is indexed and stored."""
    analyzer = getattr(ftype, "analyzer", None)
    items = getattr(analyzer, "items", None) or ([analyzer] if analyzer is not None else [])
    flags = (ftype.stored, ftype.unique, ftype.scorable, type(ftype.format).__name__ if ftype.format else None)
    return (type(ftype).__name__, flags, tuple(_part(i) for i in items))


def signature(schema: Schema) -> dict[str, tuple]:
    """Every field's :func:`field_signature`, by name."""
    return {name: field_signature(schema[name]) for name in schema.names()}


@lru_cache(maxsize=1)
def _today() -> dict[str, tuple]:
    return signature(make_schema())


def is_current(schema: Schema) -> bool:
    """True when ``schema`` indexes every field as today's :func:`make_schema` does."""
    return signature(schema) == _today()
