"""The partnership hub: a Django site for agencies, groups, meetings, decisions and actions,
with need-to-know access and an append-only audit trail from the first model.

:func:`setup` configures Django for the command line (``csphub serve``, ``csphub demo``);
the settings read ``DATABASE_URL`` (PostgreSQL in production) and otherwise keep a SQLite
file in the hub folder (``$CSPHUB_HUB_DIR``, default ``./csphub-hub``). The hub folder holds
the secret key and the database, so it is readable by its owner only (0700) and so are the
files the hub makes in it (0600): :func:`private_folder` and :func:`private_file`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def setup(hub_dir: Path | None = None) -> None:
    """Point Django at csphub's settings (and ``hub_dir`` when given), then start it."""
    if hub_dir is not None:
        os.environ["CSPHUB_HUB_DIR"] = str(hub_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.hub.settings")
    import django

    django.setup()


def _tighten(path: Path, mode: int) -> None:
    """``path`` to ``mode`` when others could reach it and it is ours to change."""
    info = path.stat()
    if stat.S_IMODE(info.st_mode) & ~mode and info.st_uid == os.geteuid():
        path.chmod(mode)


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner can open (0700): created so, or tightened when
    it already exists (for example made by ``csphub demo`` before the settings ran)."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only its owner can read (0600), created empty when missing. A
    SQLite database made this way stays 0600, and SQLite gives its ``-wal`` and ``-shm``
    files the database file's mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    os.close(fd)
    _tighten(path, FILE_MODE)
    return path
