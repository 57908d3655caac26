"""The partnership hub: a Django site for agencies, groups, meetings, decisions and actions,
with need-to-know access and an append-only audit trail from the first model.

:func:`setup` configures Django for the command line (``csphub serve``, ``csphub demo``);
the settings read ``DATABASE_URL`` (PostgreSQL in production) and otherwise keep a SQLite
file in the hub folder (``$CSPHUB_HUB_DIR``, default ``./csphub-hub``).
"""

from __future__ import annotations

import os
from pathlib import Path


def setup(hub_dir: Path | None = None) -> None:
    """Point Django at csphub's settings (and ``hub_dir`` when given), then start it."""
    if hub_dir is not None:
        os.environ["CSPHUB_HUB_DIR"] = str(hub_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csphub.hub.settings")
    import django

    django.setup()
