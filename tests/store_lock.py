"""Hold an evidence store open for writing in another process, as a running ingest does."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = (
    "import sys\n"
    "from csphub.store import open_store\n"
    "store = open_store(sys.argv[1])\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"
    "store.close()\n"
)


@contextmanager
def held_for_writing(store_dir: Path, *, release_after: float | None = None) -> Iterator[None]:
    """The store is held by a writer in a child process until the block ends (or until
    ``release_after`` seconds have passed)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(store_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "held"
    timer = None
    if release_after is not None:
        timer = threading.Timer(release_after, proc.stdin.close)
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        if not proc.stdin.closed:
            proc.stdin.close()
        proc.wait(timeout=30)
        proc.stdout.close()
