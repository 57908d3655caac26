"""``csphub serve``: migrate the hub's database, then serve the hub with gunicorn."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import click

from csphub.cli.output import note


def prepare(
    hub_dir: Path | None = None, store: Path | None = None, area: str | None = None
) -> None:
    """Set the hub's environment (before Django reads its settings), start Django and
    bring the database up to date."""
    if store is not None:
        os.environ["CSPHUB_STORE"] = str(store)
    if area is not None:
        os.environ["CSPHUB_AREA"] = area
    from csphub.hub import setup

    setup(hub_dir)
    from django.core.management import call_command
    from django.db import connections

    from csphub.hub.audit.roles import migration_alias

    # As the owner role when CSPHUB_MIGRATE_DATABASE_URL is set (then the app role of
    # DATABASE_URL is granted its rights: only SELECT and INSERT on the audit trail).
    call_command("migrate", database=migration_alias(), interactive=False, verbosity=0)
    connections.close_all()  # no connection may cross the fork into the workers


def port_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` is taken, tried the way gunicorn binds (SO_REUSEADDR, so a
    port left in TIME_WAIT by a stopped server counts as free)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def exit_if_port_in_use(host: str, port: int) -> None:
    """One line naming the port and what to do, and exit status 2 (a usage problem),
    instead of gunicorn's retries and traceback."""
    if port_in_use(host, port):
        click.echo(
            f"Error: port {port} on {host} is already in use; "
            f"choose another with --port (for example --port {port + 1}).",
            err=True,
        )
        sys.exit(2)


def run_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve ``csphub.hub.wsgi`` until stopped (Ctrl+C or SIGTERM), in this process."""
    from gunicorn.app.base import BaseApplication

    from csphub.hub.wsgi import application

    class Hub(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": threads,
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 60,
                "graceful_timeout": 10,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Hub().run()


def exec_gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Replace this process with a fresh interpreter that runs :func:`run_gunicorn`.

    The ``csphub`` command has imported DuckDB and Arrow, whose native threads must not
    be forked into the workers (they abort when the workers stop); a fresh interpreter
    imports only Django and the hub. Same process id, so Ctrl+C and SIGTERM reach gunicorn.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    code = (
        "import sys; from csphub.cli.serve import run_gunicorn; "
        "run_gunicorn(sys.argv[1], *map(int, sys.argv[2:]))"
    )
    os.execv(
        sys.executable, [sys.executable, "-c", code, host, str(port), str(workers), str(threads)]
    )


def url_of(host: str, port: int) -> str:
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::") else host
    return f"http://{shown}:{port}/"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--hub-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The hub folder (SQLite file, secret key) [default: $CSPHUB_HUB_DIR or ./csphub-hub]."
    " Unused for the database when DATABASE_URL is set.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes (each runs --threads threads).",
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=4, show_default=True, help="Threads a worker."
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Evidence store for the dashboard and the TTCG agenda [default: $CSPHUB_STORE or "
    "./csphub-data].",
)
@click.option(
    "--area", default=None, help="The partnership's area code in the store [$CSPHUB_AREA]."
)
def serve(
    host: str,
    port: int,
    hub_dir: Path | None,
    workers: int,
    threads: int,
    store: Path | None,
    area: str | None,
) -> None:
    """Serve the partnership hub: migrate its database, then run it with gunicorn.

    The database is PostgreSQL when DATABASE_URL is set (production), otherwise a SQLite
    file in the hub folder. Behind TLS set CSPHUB_HTTPS=1; set CSPHUB_SECRET_KEY (or keep
    the generated one in the hub folder) and CSPHUB_ALLOWED_HOSTS for a public name.

    Two PostgreSQL roles (recommended): CSPHUB_MIGRATE_DATABASE_URL names the role that
    owns the tables, and migrations run as it; DATABASE_URL names the role the hub runs
    as, granted after each migration SELECT, INSERT, UPDATE and DELETE on the hub's
    tables but only SELECT and INSERT on the audit trail, so it cannot change, delete
    or truncate audit rows nor lift the triggers that refuse that.
    """
    exit_if_port_in_use(host, port)
    prepare(hub_dir, store, area)
    serve_prepared(host, port, workers, threads)


def serve_prepared(host: str, port: int, workers: int, threads: int) -> None:
    """Print where the hub is, then serve it (Django already set up and migrated)."""
    from django.conf import settings

    exit_if_port_in_use(host, port)

    db = settings.DATABASES["default"]
    where = (
        f"PostgreSQL database {db['NAME']}"
        if "postgresql" in db["ENGINE"]
        else f"SQLite file {db['NAME']}"
    )
    migrated = "migrated"
    if owner := settings.DATABASES.get("owner"):
        migrated = f"migrated as role {owner['USER']}; the hub runs as role {db['USER']}"
    note(f"The hub's database: {where} ({migrated}).")
    if settings.CSPHUB_AREA:
        note(f"Evidence: store {settings.CSPHUB_STORE}, area {settings.CSPHUB_AREA}.")
    else:
        note("Evidence: none (set --store and --area for the dashboard's figures).")
    note(
        f"Serving the hub at {url_of(host, port)} ({workers} workers x {threads} threads); "
        "press Ctrl+C to stop."
    )
    exec_gunicorn(host, port, workers, threads)
