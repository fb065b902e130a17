"""Stage 4, tag: which therapies a section discusses, from a taxonomy kept as data.

Acronyms match case-sensitively as whole words ("MI is" yes, "mid" no);
spellings match case-insensitively, with space or hyphen between their words
and an optional plural "s".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from searcher.errors import UnknownTherapy

TAXONOMY_PATH = Path(__file__).with_name("data") / "therapies.json"
_WORD = re.compile(r"[^\W_]+")
NAME_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Therapy:
    """One canonical therapy with the words that name it."""

    id: str
    name: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every way to name it on the command line, lower-cased."""
        return (self.id, self.name.lower(), *(a.lower() for a in self.acronyms), *self.aliases)


def _alias_pattern(alias: str) -> str:
    words = re.split(r"[\s-]+", alias.strip())
    return r"[\s-]+".join(re.escape(w) for w in words)


@dataclass(frozen=True)
class Taxonomy:
    """The therapies and the compiled patterns that find them in text."""

    therapies: tuple[Therapy, ...]

    @classmethod
    def load(cls, path: Path = TAXONOMY_PATH) -> Taxonomy:
        """Read a taxonomy JSON file (``{"therapies": [...]}``)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            tuple(
                Therapy(
                    t["id"], t["name"], tuple(t.get("acronyms", ())), tuple(a.lower() for a in t.get("aliases", ()))
                )
                for t in data["therapies"]
            )
        )

    @cached_property
    def _patterns(self) -> list[tuple[str, frozenset[str], frozenset[str], re.Pattern[str], re.Pattern[str] | None]]:
        """Per therapy: its id, the words any mention must start with, and its patterns."""
        compiled = []
        for t in self.therapies:
            spelled = sorted({t.name.lower(), *t.aliases}, key=len, reverse=True)
            alias_re = re.compile(r"(?<![\w-])(?:" + "|".join(map(_alias_pattern, spelled)) + r")s?(?![\w-])", re.I)
            acro_re = (
                re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, t.acronyms)) + r")s?(?![\w-])")
                if t.acronyms
                else None
            )
            first_words = frozenset(words[0] for words in map(_WORD.findall, spelled) if words)
            acronyms = frozenset(t.acronyms) | frozenset(a + "s" for a in t.acronyms)
            compiled.append((t.id, first_words, acronyms, alias_re, acro_re))
        return compiled

    @cached_property
    def query_names(self) -> tuple[dict[tuple[str, ...], str], dict[str, str], int]:
        """Names to find in a query: word tuples of spellings and long acronyms
        (any case), two-letter acronyms (capitals only), the longest tuple."""
        spelled: dict[tuple[str, ...], str] = {}
        exact: dict[str, str] = {}
        for t in self.therapies:
            for alias in (t.name.lower(), *t.aliases, *(a.lower() for a in t.acronyms if len(a) > 2)):
                spelled.setdefault(tuple(NAME_WORD.findall(alias)), t.id)
            for acronym in t.acronyms:
                if len(acronym) <= 2:
                    exact.setdefault(acronym, t.id)
        return spelled, exact, max(map(len, spelled), default=1)

    def tag(self, text: str) -> list[str]:
        """Ids of the therapies that ``text`` names, in taxonomy order.

        A therapy's patterns run only when the text holds one of the words its
        names start with, which spares most regex searches.
        """
        words = set(_WORD.findall(text))
        lowered = {w.lower() for w in words}
        lowered |= {w[:-1] for w in lowered if w.endswith("s")}  # a one-word name in the plural
        found = []
        for tid, first_words, acronyms, alias_re, acro_re in self._patterns:
            if (acro_re and not acronyms.isdisjoint(words) and acro_re.search(text)) or (
                not first_words.isdisjoint(lowered) and alias_re.search(text)
            ):
                found.append(tid)
        return found

    def resolve(self, name: str) -> str:
        """Map a canonical name, id, acronym or alias (any case) to the therapy id."""
        wanted = " ".join(re.split(r"[\s_-]+", name.strip().lower()))
        for t in self.therapies:
            if wanted in {" ".join(re.split(r"[\s_-]+", n)) for n in t.names}:
                return t.id
        import difflib

        names = {n: t.id for t in self.therapies for n in t.names}
        close = [names[n] for n in difflib.get_close_matches(wanted, names, n=3, cutoff=0.75)]
        hint = f"did you mean {', '.join(dict.fromkeys(close))}? " if close else ""
        known = ", ".join(t.id for t in self.therapies)
        raise UnknownTherapy(f"unknown therapy {name!r}; {hint}known: {known}")


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped in the package, loaded once."""
    return Taxonomy.load()
