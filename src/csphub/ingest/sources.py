"""Find the input files behind the paths a user gives: files, folders, ``.gz`` and ``.zip``.

A :class:`Source` is one logical CSV (a plain file, a gzipped file or a zip member); it
reads its bytes only when asked, so expanding a folder of archives costs nothing. Each
archive is opened once and shared by its members. Whatever is found and not taken is
listed with the reason, so a folder run can say what it skipped.
"""

from __future__ import annotations

import gzip
import os
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from csphub.ingest.archive import Archive, ReadLimitError, gunzip_capped
from csphub.ingest.limits import Limits, default_limits

CSV_SUFFIXES = (".csv", ".csv.gz")


class SourceError(Exception):
    """A file that cannot be read at all; str() is a one-line message naming it."""


@dataclass(frozen=True)
class Source:
    """One CSV to ingest. ``name`` is how the user knows it; ``member`` is set for zips."""

    path: Path
    member: str | None = None
    archive: Archive | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.path.name}!{self.member}" if self.member else self.path.name

    @property
    def basename(self) -> str:
        """The CSV's own file name, without folders or ``.gz`` (used to read force/month)."""
        base = (self.member or self.path.name).rsplit("/", 1)[-1]
        return base[:-3] if base.endswith(".gz") else base

    def read_bytes(self, limits: Limits | None = None) -> bytes:
        """The uncompressed bytes, or :class:`SourceError` naming the file."""
        limits = limits or default_limits()
        try:
            if self.member is not None:
                archive = self.archive or Archive(self.path)
                try:
                    data = archive.read(self.member, limits)
                finally:
                    if self.archive is None:
                        archive.close()
            else:
                size = self.path.stat().st_size
                if size > limits.max_file_bytes:
                    raise ReadLimitError(
                        f"{size:,} bytes, over the limit of {limits.max_file_bytes:,} "
                        "(max_file_bytes)"
                    )
                data = self.path.read_bytes()
            if (self.member or self.path.name).endswith(".gz"):
                return gunzip_capped(data, limits)
            return data
        except ReadLimitError as exc:
            raise SourceError(f"{self.name}: refused: {exc}") from None
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, KeyError) as exc:
            raise SourceError(f"{self.name}: cannot read: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, gzip.BadGzipFile | zlib.error | EOFError):
        return f"the compressed data is damaged ({exc}); download the file again"
    if isinstance(exc, zipfile.BadZipFile):
        return f"the archive is damaged ({exc}); download it again"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _is_csv(name: str) -> bool:
    return name.lower().endswith(CSV_SUFFIXES)


@dataclass
class Found:
    """What a set of user paths holds: the sources to read, unreadable paths (one line
    each) and files found but not taken, with why."""

    sources: list[Source] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def find_sources(
    paths: Sequence[str | os.PathLike[str]],
    *,
    accept: Iterable[str] | None = None,
    limits: Limits | None = None,
) -> Found:
    """Expand user paths into sources, in a stable order, with errors and skipped files.

    Folders are searched recursively for ``.csv``, ``.csv.gz`` and ``.zip`` files; a name
    filter ``accept`` (substrings such as ``-street.csv``) applies to files found inside
    folders and archives, never to files named explicitly.
    """
    limits = limits or default_limits()
    wanted = tuple(accept) if accept is not None else None
    found = Found()

    def keep(name: str, shown: str) -> bool:
        base = name.rsplit("/", 1)[-1]
        if not _is_csv(base):
            found.skipped.append((shown, "not a .csv, .csv.gz or .zip file"))
            return False
        if wanted is not None and not any(w in base.lower() for w in wanted):
            found.skipped.append(
                (
                    shown,
                    "in a folder or archive, only data.police.uk names are taken ("
                    + ", ".join(f"*{w}" for w in wanted)
                    + "); give the file itself to load it",
                )
            )
            return False
        return True

    for raw in paths:
        try:
            _find_in(Path(raw), raw, keep, found, limits)
        except OSError as exc:  # an unreadable folder: one line, the other paths go on
            found.errors.append(f"{raw}: cannot read: {_reason(exc)}")
    return found


def _find_in(
    path: Path,
    raw: str | os.PathLike[str],
    keep: Callable[[str, str], bool],
    found: Found,
    limits: Limits,
) -> None:
    """Add what one user path holds to ``found``."""
    if path.is_dir():
        for p in sorted(p for p in path.rglob("*") if p.is_file()):
            if p.name.lower().endswith(".zip"):
                _add_zip(p, keep, found, limits)
            elif keep(p.name, str(p.relative_to(path.parent))):
                found.sources.append(Source(p))
    elif path.is_file():
        if path.name.lower().endswith(".zip"):
            _add_zip(path, keep, found, limits)
        else:
            found.sources.append(Source(path))
    else:
        found.errors.append(f"{raw}: no such file or folder")


def expand_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    accept: Iterable[str] | None = None,
) -> tuple[list[Source], list[str]]:
    """The sources and one-line errors of :func:`find_sources` (skipped files left out)."""
    found = find_sources(paths, accept=accept)
    return found.sources, found.errors


def _add_zip(path: Path, keep: Callable[[str, str], bool], found: Found, limits: Limits) -> None:
    archive = Archive(path)
    try:
        archive.check(limits)
        names = sorted(i.filename for i in archive.members())
    except ReadLimitError as exc:
        archive.close()
        found.errors.append(f"{path.name}: refused: {exc}")
        return
    except (OSError, zipfile.BadZipFile) as exc:
        archive.close()
        found.errors.append(f"{path.name}: not a readable zip archive: {_reason(exc)}")
        return
    taken = [n for n in names if keep(n, f"{path.name}!{n}")]
    found.sources.extend(Source(path, n, archive) for n in taken)
    if not taken:
        archive.close()


def close_sources(sources: Iterable[Source]) -> None:
    """Close the archives the sources were read from (each once)."""
    for archive in {id(s.archive): s.archive for s in sources if s.archive}.values():
        archive.close()
