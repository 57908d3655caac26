"""Find the input files behind the paths a user gives: files, folders, ``.gz`` and ``.zip``.

A :class:`Source` is one logical CSV (a plain file, a gzipped file or a zip member); it
reads its bytes only when asked, so expanding a folder of archives costs nothing.
"""

from __future__ import annotations

import gzip
import os
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

CSV_SUFFIXES = (".csv", ".csv.gz")


class SourceError(Exception):
    """A file that cannot be read at all; str() is a one-line message naming it."""


@dataclass(frozen=True)
class Source:
    """One CSV to ingest. ``name`` is how the user knows it; ``member`` is set for zips."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path.name}!{self.member}" if self.member else self.path.name

    @property
    def basename(self) -> str:
        """The CSV's own file name, without folders or ``.gz`` (used to read force/month)."""
        base = (self.member or self.path.name).rsplit("/", 1)[-1]
        return base[:-3] if base.endswith(".gz") else base

    def read_bytes(self) -> bytes:
        """The uncompressed bytes, or :class:`SourceError` naming the file."""
        try:
            if self.member is not None:
                with zipfile.ZipFile(self.path) as zf:
                    data = zf.read(self.member)
                return gzip.decompress(data) if self.member.endswith(".gz") else data
            data = self.path.read_bytes()
            if self.path.name.endswith(".gz"):
                return gzip.decompress(data)
            return data
        except (OSError, EOFError, zipfile.BadZipFile, gzip.BadGzipFile, KeyError) as exc:
            raise SourceError(f"{self.name}: cannot read: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _is_csv(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(CSV_SUFFIXES)


def _zip_members(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist() if not i.is_dir()]
    except (OSError, zipfile.BadZipFile) as exc:
        raise SourceError(f"{path.name}: not a readable zip archive: {_reason(exc)}") from None
    return [Source(path, n) for n in sorted(names) if _is_csv(n)]


def expand_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    accept: Iterable[str] | None = None,
) -> tuple[list[Source], list[str]]:
    """Expand user paths into sources, in a stable order, and one-line errors.

    Folders are searched recursively for ``.csv``, ``.csv.gz`` and ``.zip`` files; a name
    filter ``accept`` (substrings such as ``-street``) applies to files found inside folders
    and archives, never to files named explicitly.
    """
    wanted = tuple(accept) if accept is not None else None
    sources: list[Source] = []
    errors: list[str] = []

    def keep(name: str) -> bool:
        return wanted is None or any(w in name.rsplit("/", 1)[-1] for w in wanted)

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file())
            for p in found:
                if p.name.lower().endswith(".zip"):
                    _add_zip(p, keep, sources, errors)
                elif _is_csv(p.name) and keep(p.name):
                    sources.append(Source(p))
        elif path.is_file():
            if path.name.lower().endswith(".zip"):
                _add_zip(path, keep, sources, errors)
            else:
                sources.append(Source(path))
        else:
            errors.append(f"{raw}: no such file or folder")
    return sources, errors


def _add_zip(path: Path, keep, sources: list[Source], errors: list[str]) -> None:
    try:
        sources.extend(s for s in _zip_members(path) if keep(s.member or ""))
    except SourceError as exc:
        errors.append(str(exc))
