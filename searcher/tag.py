"""Stage 4, tag: which therapies a section discusses, from a taxonomy kept as data.

Acronyms match case-sensitively as whole words ("MI is" yes, "mid" no);
spellings match case-insensitively, with space or hyphen between their words
and an optional plural "s".  A two- or three-letter acronym names a therapy
only in a document about treatment, or beside a word of treatment.
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
    includes: tuple[str, ...] = ()  # the therapies it stands over (MAT: methadone, buprenorphine, ...)

    @property
    def names(self) -> tuple[str, ...]:
        """Every way to name it on the command line, lower-cased."""
        return (self.id, self.name.lower(), *(a.lower() for a in self.acronyms), *self.aliases)


def _alias_pattern(alias: str) -> str:
    words = re.split(r"[\s-]+", alias.strip())
    return r"[\s-]+".join(re.escape(w) for w in words)


SHORT_ACRONYM = 3  # letters: NA, MI, MET, CBT name other things too ("NA values", "HH24:MI")
_NEAR = 1  # words either side of a short acronym that may show it names a therapy ("NA meetings")


@dataclass(frozen=True, slots=True)
class _Matcher:
    """How to find one therapy: the words its spellings start with, its acronyms, its patterns."""

    id: str
    first_words: frozenset[str]
    acronyms: frozenset[str]
    spelled: re.Pattern[str]
    long_acronyms: re.Pattern[str] | None
    short_acronyms: re.Pattern[str] | None


def _acronym_pattern(acronyms: list[str]) -> re.Pattern[str] | None:
    if not acronyms:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, acronyms)) + r")s?(?![\w-])")


@dataclass(frozen=True)
class Taxonomy:
    """The therapies and the compiled patterns that find them in text."""

    therapies: tuple[Therapy, ...]
    context_words: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = TAXONOMY_PATH) -> Taxonomy:
        """Read a taxonomy JSON file (``{"therapies": [...], "context_words": [...]}``)."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            tuple(
                Therapy(
                    t["id"],
                    t["name"],
                    tuple(t.get("acronyms", ())),
                    tuple(a.lower() for a in t.get("aliases", ())),
                    tuple(t.get("includes", ())),
                )
                for t in data["therapies"]
            ),
            frozenset(w.lower() for w in data.get("context_words", ())),
        )

    def family(self, therapy_id: str) -> tuple[str, ...]:
        """The therapy and the ones it stands over: what naming it reaches."""
        by_id = {t.id: t for t in self.therapies}
        found = by_id.get(therapy_id)
        return (therapy_id, *(i for i in (found.includes if found else ()) if i in by_id))

    @cached_property
    def _matchers(self) -> list[_Matcher]:
        """Per therapy: its id, the words any mention must start with, and its patterns."""
        compiled = []
        for t in self.therapies:
            spelled = sorted({t.name.lower(), *t.aliases}, key=len, reverse=True)
            alias_re = re.compile(r"(?<![\w-])(?:" + "|".join(map(_alias_pattern, spelled)) + r")s?(?![\w-])", re.I)
            first_words = frozenset(words[0] for words in map(_WORD.findall, spelled) if words)
            acronyms = frozenset(t.acronyms) | frozenset(a + "s" for a in t.acronyms)
            long = _acronym_pattern([a for a in t.acronyms if len(a) > SHORT_ACRONYM])
            short = _acronym_pattern([a for a in t.acronyms if len(a) <= SHORT_ACRONYM])
            compiled.append(_Matcher(t.id, first_words, acronyms, alias_re, long, short))
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

    def _near_context(self, text: str, match: re.Match[str]) -> bool:
        """True when a word of treatment stands within a few words of an acronym."""
        before = _WORD.findall(text[max(0, match.start() - 60) : match.start()])[-_NEAR:]
        after = _WORD.findall(text[match.end() : match.end() + 60])[:_NEAR]
        return not self.context_words.isdisjoint(w.lower() for w in before + after)

    def _short_acronym(self, m: _Matcher, text: str, about_treatment: bool) -> bool:
        if m.short_acronyms is None:
            return False
        if about_treatment:
            return m.short_acronyms.search(text) is not None
        return any(self._near_context(text, hit) for hit in m.short_acronyms.finditer(text))

    def _spelled(self, text: str) -> list[str]:
        """Ids of the therapies whose names are spelled out in ``text``."""
        lowered = {w.lower() for w in _WORD.findall(text)}
        lowered |= {w[:-1] for w in lowered if w.endswith("s")}  # a one-word name in the plural
        return [m.id for m in self._matchers if not m.first_words.isdisjoint(lowered) and m.spelled.search(text)]

    def tag(self, text: str, about_treatment: bool = True) -> list[str]:
        """Ids of the therapies that ``text`` names, in taxonomy order.

        ``about_treatment``: whether the document is about treatment; when it
        is not, a short acronym counts only beside a word of treatment.  A
        therapy's patterns run only when the text holds one of the words its
        names start with, which spares most regex searches.
        """
        return self._tag(text, set(self._spelled(text)), about_treatment)

    def _tag(self, text: str, spelled: set[str], about_treatment: bool) -> list[str]:
        words = set(_WORD.findall(text))
        return [m.id for m in self._matchers if m.id in spelled or self._acronym(m, text, words, about_treatment)]

    def _acronym(self, m: _Matcher, text: str, words: set[str], about_treatment: bool) -> bool:
        """True when one of the therapy's acronyms names it in ``text``."""
        if m.acronyms.isdisjoint(words):
            return False
        if m.long_acronyms is not None and m.long_acronyms.search(text):
            return True
        return self._short_acronym(m, text, about_treatment)

    def tag_document(self, texts: list[str]) -> list[list[str]]:
        """Tags of each section text of one document.

        A document is about treatment when some therapy is spelled out in it
        ("Narcotics Anonymous", "methadone"); only then do its short acronyms
        tag wherever they stand.  "NA values" in a pandas page does not.
        """
        spelled = [set(self._spelled(t)) for t in texts]
        about = any(spelled)
        return [self._tag(t, names, about) for t, names in zip(texts, spelled, strict=True)]

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
