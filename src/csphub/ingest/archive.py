"""Reading compressed inputs safely: zip archives opened once, members and ``.gz`` streamed.

Every read is capped by the ingest limits (members, uncompressed bytes, compression
ratio), so a zip bomb or a damaged archive costs one clear message, never the run.
"""

from __future__ import annotations

import gzip
import io
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from csphub.ingest.limits import Limits

CHUNK = 1 << 20
# Below this size a high ratio is harmless (a short file of repeated rows compresses well).
_RATIO_FLOOR = 1 << 20


class ReadLimitError(Exception):
    """A read stopped by a limit; str() says which, without the file name."""


class Archive:
    """One zip archive, opened once and shared by the threads that read its members."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._lock = threading.Lock()

    def zip(self) -> zipfile.ZipFile:
        with self._lock:
            if self._zip is None:
                self._zip = zipfile.ZipFile(self.path)
            return self._zip

    def members(self) -> list[zipfile.ZipInfo]:
        return [i for i in self.zip().infolist() if not i.is_dir()]

    def check(self, limits: Limits) -> None:
        """Refuse an archive whose listing alone breaks a limit."""
        infos = self.members()
        if len(infos) > limits.max_archive_members:
            raise ReadLimitError(
                f"{len(infos):,} members, over the limit of {limits.max_archive_members:,} "
                "(max_archive_members)"
            )
        total = sum(i.file_size for i in infos)
        if total > limits.max_archive_bytes:
            raise ReadLimitError(
                f"expands to {total:,} bytes, over the limit of {limits.max_archive_bytes:,} "
                "(max_archive_bytes)"
            )

    def read(self, member: str, limits: Limits) -> bytes:
        """A member's bytes, streamed under the limits (checked before and while reading)."""
        info = self.zip().getinfo(member)
        _check_declared(info.file_size, info.compress_size, limits)
        with self.zip().open(info) as fh:
            return read_capped(fh, info.compress_size, limits)

    def close(self) -> None:
        with self._lock:
            if self._zip is not None:
                self._zip.close()
                self._zip = None


def _check_declared(size: int, packed: int, limits: Limits) -> None:
    if size > limits.max_file_bytes:
        raise ReadLimitError(
            f"expands to {size:,} bytes, over the limit of {limits.max_file_bytes:,} "
            "(max_file_bytes)"
        )
    _check_ratio(size, packed, limits)


def _check_ratio(size: int, packed: int, limits: Limits) -> None:
    if size > _RATIO_FLOOR and size > limits.max_compression_ratio * max(packed, 1):
        raise ReadLimitError(
            f"expands {size / max(packed, 1):,.0f} times ({packed:,} to over {size:,} bytes), "
            f"over the limit of {limits.max_compression_ratio:g} (max_compression_ratio)"
        )


def read_capped(fh: IO[bytes], packed: int, limits: Limits) -> bytes:
    """Read a decompressing stream to its end in chunks, stopping at the first limit."""
    out = io.BytesIO()
    size = 0
    for chunk in _chunks(fh):
        size += len(chunk)
        if size > limits.max_file_bytes:
            raise ReadLimitError(
                f"expands to over {limits.max_file_bytes:,} bytes (max_file_bytes)"
            )
        _check_ratio(size, packed, limits)
        out.write(chunk)
    return out.getvalue()


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def gunzip_capped(data: bytes, limits: Limits) -> bytes:
    """Decompress gzip bytes under the same limits as a zip member."""
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        return read_capped(fh, len(data), limits)
