"""Finding the files to index: walk each root, honour globs and ignore files, links.

Roots are canonical (absolute, links resolved), so one folder is one root
however it is named, and every file's key is its canonical path.  A file is
indexed once however many names it has: a link inside a root to a file the
walk also finds is reported, not indexed again; a link out of its root, a
broken one or a loop is skipped with a warning.  ``.gitignore`` and
``.ignore`` files (gitignore rules, through ``pathspec``) are honoured in
every folder of a root; ``--glob`` patterns (ripgrep's: ``!`` excludes, the
last match wins) override them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pathspec import GitIgnoreSpec

from searcher.errors import printable

# What a folder scan picks up; a file named on the command line is always tried.
TEXT_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
IGNORE_FILES = (".gitignore", ".ignore")  # later files win, as in ripgrep

Warn = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found under a root: its key (canonical path), where to read it, and its name in the root."""

    key: str
    path: Path
    doc: str
    root: str


@dataclass
class Scan:
    """The files under the roots, and the links that name a file already found."""

    files: list[SourceFile] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def canonical(path: Path | str) -> Path:
    """``path`` absolute with every link resolved: the one name of a root."""
    return Path(os.path.realpath(os.path.abspath(os.fsdecode(path))))


class Globs:
    """ripgrep's ``--glob``: a pattern includes, ``!pattern`` excludes, the last that matches decides."""

    def __init__(self, globs: Iterable[str] = ()) -> None:
        self.globs = list(globs)
        lines = [g[1:] if g.startswith("!") else "!" + g for g in self.globs]
        self.spec = GitIgnoreSpec.from_lines(lines) if lines else None
        self.has_includes = any(not g.startswith("!") for g in self.globs)

    def decide(self, rel: str, is_dir: bool = False) -> bool | None:
        """True to keep, False to leave out, None when no glob speaks for ``rel``."""
        if self.spec is None:
            return None
        include = self.spec.check_file(rel + "/" if is_dir else rel).include
        if include is None:
            return None if is_dir or not self.has_includes else False
        return not include


def _ignore_spec(folder: Path) -> GitIgnoreSpec | None:
    lines: list[str] = []
    for name in IGNORE_FILES:
        try:
            lines += (folder / name).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
    return GitIgnoreSpec.from_lines(lines) if lines else None


class _Walker:
    """One root's walk, with the ignore files of every folder seen so far."""

    def __init__(self, root: Path, globs: Globs, warn: Warn) -> None:
        self.root, self.globs, self.warn = root, globs, warn
        self.specs: dict[str, GitIgnoreSpec | None] = {}

    def ignored(self, rel: str, is_dir: bool) -> bool:
        decided = self.globs.decide(rel, is_dir)
        if decided is not None:
            return not decided
        parts = rel.split("/")
        for depth in range(len(parts) - 1, -1, -1):  # the nearest ignore file speaks first
            spec = self.specs.get("/".join(parts[:depth]))
            if spec is None:
                continue
            found = spec.check_file("/".join(parts[depth:]) + ("/" if is_dir else "")).include
            if found is not None:
                return found
        return False

    def walk(self) -> Iterator[Path]:
        for dirpath, dirnames, filenames in os.walk(self.root, onerror=self._error):
            here = Path(dirpath)
            base = here.relative_to(self.root).as_posix()
            base = "" if base == "." else base
            self.specs[base] = _ignore_spec(here)
            prefix = f"{base}/" if base else ""
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not self.ignored(prefix + d, is_dir=True)
            )
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                    continue
                if not self.ignored(prefix + name, is_dir=False):
                    yield here / name

    def _error(self, err: OSError) -> None:
        self.warn(f"{err.filename}: {err.strerror}")


def _target(path: Path, root: Path, warn: Warn) -> Path | None:
    """The real file a found path names, or None (with a warning) for a bad link."""
    if not path.is_symlink():
        return path
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        warn(f"{path}: broken or looping link, skipped")
        return None
    if not target.is_relative_to(root):
        warn(f"{path}: link points outside {root}, skipped")
        return None
    return target


def picked_up(
    root: Path, path: Path, globs: Iterable[str] = (), is_dir: bool = False, specs: dict | None = None
) -> bool:
    """Whether a scan of the folder ``root`` would pick up the file (or look into the
    folder) at ``path``: its name, the globs and the ignore files of every folder on the way
    (read once per folder into ``specs`` when the caller keeps one for many paths)."""
    rel = path.relative_to(root).parts
    if not rel or any(part.startswith(".") for part in rel):
        return False
    if not is_dir and not path.name.lower().endswith(TEXT_SUFFIXES):
        return False
    walker = _Walker(root, Globs(globs), lambda message: None)
    specs = {} if specs is None else specs
    for depth in range(len(rel)):
        folder = root.joinpath(*rel[:depth])
        if folder not in specs:
            specs[folder] = _ignore_spec(folder)
        walker.specs["/".join(rel[:depth])] = specs[folder]
        if walker.ignored("/".join(rel[: depth + 1]), is_dir=is_dir or depth < len(rel) - 1):
            return False
    return True


def scan(roots: Iterable[Path | str], globs: dict[str, list[str]] | None = None, warn: Warn = lambda m: None) -> Scan:
    """Every indexable file under the roots, each real file once."""
    found: dict[str, tuple[SourceFile, bool]] = {}  # real path -> (file, reached through a link)
    result = Scan()
    for given in roots:
        root = canonical(given)
        if root.is_dir():
            walker = _Walker(root, Globs((globs or {}).get(str(root), ())), warn)
            candidates: Iterable[tuple[Path, Path]] = ((p, root) for p in walker.walk())
        elif os.path.lexists(root):  # a file, or a pipe or device that reading skips, saying what it is
            candidates = [(root, root.parent)]
        else:
            warn(f"{given}: no such file or folder")
            continue
        for path, base in candidates:
            target = _target(path, base, warn)
            if target is None:
                continue
            source = SourceFile(str(path), path, printable(path.relative_to(base).as_posix()), str(base))
            _add(found, result, str(target), source, path != target)
    result.files = sorted((f for f, _ in found.values()), key=lambda f: f.key)
    result.links.sort()
    return result


def _add(found: dict, result: Scan, real: str, source: SourceFile, is_link: bool) -> None:
    """Keep one name per real file: the file's own name before any link to it."""
    seen = found.get(real)
    if seen is None:
        found[real] = (source, is_link)
    elif seen[1] and not is_link:
        found[real] = (source, is_link)
        result.links.append(seen[0].key)
    elif source.key != seen[0].key:
        result.links.append(source.key)
