"""`csphub serve`: migrates the hub's database and serves it with gunicorn until stopped."""

from __future__ import annotations

import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

CSPHUB = Path(sys.executable).with_name("csphub")


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.request("GET", path)
        r = con.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode()
    finally:
        con.close()


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60  # start-up, not speed: generous for a loaded machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"csphub serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            get(port, "/static/hub.css")
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("csphub serve did not answer within 60 s")


@pytest.mark.slow
def test_serve_migrates_then_serves_the_hub_until_terminated(tmp_path):
    port = free_port()
    hub = tmp_path / "hub"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite in hub
    proc = subprocess.Popen(
        [str(CSPHUB), "serve", "--port", str(port), "--hub-dir", str(hub), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(proc, port)
        status, _, page = get(port, "/sign-in/")
        assert status == 200
        assert "<form" in page and 'name="username"' in page
        status, headers, _ = get(port, "/")  # the dashboard needs a signed-in user
        assert status == 302 and headers["location"].startswith("/sign-in/?next=")
        status, _, _ = get(port, "/no-such-page/")
        assert status == 404
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err  # a clean stop on SIGTERM
    assert f"Serving the hub at http://localhost:{port}/" in err
    # Migrated before serving: the hub's tables are in the SQLite file of --hub-dir.
    with closing(sqlite3.connect(hub / "hub.sqlite3")) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"auth_user", "actions_action", "groups_meeting", "audit_auditevent"} <= tables


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_busy_port_is_one_line_that_names_it_and_exit_status_2(tmp_path, command):
    with closing(socket.socket()) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = {
            "serve": ["serve", "--hub-dir", str(tmp_path / "hub")],
            "demo": ["demo", "--serve", "--out", str(tmp_path / "demo")],
        }[command]
        done = subprocess.run(
            [str(CSPHUB), *args, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"port {port}" in lines[0] and "already in use" in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "demo").exists()  # the demo says so before generating anything
    assert not (tmp_path / "hub").exists()  # nor is a hub created or migrated
