"""The demo partnership hub that ``csphub demo`` creates in ``OUT/hub`` (SQLite).

It is built in a child process (``python -m csphub.cli.demo_hub HUB_DIR``) so that its
Django settings are the demo's own whatever the calling process has set up (a test run,
a ``DATABASE_URL`` in the environment); the child prints what it made as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    agency: str
    roles: str  # role names, comma-separated


@dataclass(frozen=True)
class DemoHub:
    hub_dir: Path
    database: Path
    created: int
    password: str
    users: tuple[DemoUser, ...]


def hub_environment(hub_dir: Path, store: Path | None = None) -> dict[str, str]:
    """The environment of the demo hub: SQLite in ``hub_dir``, never DATABASE_URL; with
    ``store``, the evidence store its places are located in (their LSOA and ward)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["CSPHUB_HUB_DIR"] = str(hub_dir.resolve())
    if store is not None:
        env["CSPHUB_STORE"] = str(store.resolve())
    env["DJANGO_SETTINGS_MODULE"] = "csphub.hub.settings"
    return env


def create_demo_hub(hub_dir: Path, store: Path | None = None) -> DemoHub:
    """Migrate the demo hub's database and seed the demo partnership (idempotent); with
    ``store`` (the demo's evidence store, closed) its places get their LSOA and ward."""
    hub_dir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "csphub.cli.demo_hub", str(hub_dir.resolve())],
        env=hub_environment(hub_dir, store),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the demo hub could not be created:\n{done.stderr.strip()}")
    data = json.loads(done.stdout)
    return DemoHub(
        hub_dir=hub_dir,
        database=Path(data["database"]),
        created=data["created"],
        password=data["password"],
        users=tuple(DemoUser(**u) for u in data["users"]),
    )


def _main(hub_dir: str) -> None:
    from csphub.hub import setup

    setup(Path(hub_dir))
    from django.conf import settings
    from django.core.management import call_command

    from csphub.hub.access.models import role_table
    from csphub.hub.demo.seed import seed_partnership

    call_command("migrate", interactive=False, verbosity=0)
    seeded = seed_partnership()
    table = role_table()
    users = [
        {
            "username": username,
            "name": name,
            "agency": agency,
            "roles": ", ".join(table[r.strip()][0] for r in roles.split(",") if r.strip()),
        }
        for username, name, agency, roles in seeded.users
    ]
    out = {
        "database": str(settings.DATABASES["default"]["NAME"]),
        "created": seeded.created,
        "password": seeded.password,
        "users": users,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    _main(sys.argv[1])
