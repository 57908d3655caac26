"""Load on the hub: 50 signed-in users browsing at once against `csphub serve` on PostgreSQL.

1. A fresh PostgreSQL database (``createdb`` on 127.0.0.1:5432, user postgres), migrated,
   with the demo partnership plus synthetic volume made through the models: ``--users``
   users across the agencies, ``--meetings`` meetings (agendas, decisions) and
   ``--actions`` actions in every state, a tenth of them overdue.
2. ``csphub serve`` in a subprocess (gunicorn, ``--workers`` x ``--threads``), with the
   demo evidence store and area so the dashboard shows its priority figures (``--no-store``
   to leave them out).
3. Each user signs in with real POSTs to ``/sign-in/`` (CSRF token from the form).
4. ``--clients`` threads (one signed-in user each, keep-alive ``http.client``) request the
   dashboard, the action list and a meeting of their groups in turn for ``--seconds``:
   first with no pause between pages (a stress test: latency is then set by throughput),
   then with each user pausing about ``--think`` seconds between pages (people reading).
5. Baseline, same run, same clients, same pacing: the stylesheet ``/static/hub.css`` for
   the same time (no database, no session: the server's and this client's own floor).

Prints requests, errors, p50 and p95 per page and overall, against the target p95 < 150 ms.
The database is dropped at the end. The clients run on the same machine as the server and
share its cores.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import closing
from pathlib import Path

PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
TARGET_P95_MS = 150.0
PASSWORD = "bench-password-2026"
DEMO_AREA = "E06999001"

SEED_CODE = r"""
import datetime as dt, json, random, sys
from csphub.hub import setup
setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", interactive=False, verbosity=0)
try:  # the meetings each user may open: the meeting policy (or, before it, scope.py)
    from csphub.hub.access.policy import policy
    visible_meetings = policy("meeting").visible
except ImportError:
    from csphub.hub.access.scope import visible_meetings
from csphub.hub.access.models import Agency, Membership
from csphub.hub.actions.models import Action
from csphub.hub.demo.seed import seed_partnership
from csphub.hub.groups.models import AgendaItem, Decision, Group, Meeting

n_users, n_meetings, n_actions = map(int, sys.argv[1:4])
password = sys.argv[4]
rng = random.Random(2026)
seed_partnership()
User = get_user_model()
agencies = list(Agency.objects.order_by("code"))
groups = list(Group.objects.order_by("code"))
hashed = make_password(password)  # one Argon2 hash for all: seeding, not signing in, is timed apart
# Roles that use the dashboard, the action list and meetings (a viewer has the committee
# report only, so it would measure refusals).
roles = ["member"] * 7 + ["chair", "analyst", "coordinator"]
users = User.objects.bulk_create([
    User(username=f"bench{i:03d}", first_name="Bench", last_name=f"User {i}", password=hashed)
    for i in range(n_users)
])
Membership.objects.bulk_create([
    Membership(user=u, agency=agencies[i % len(agencies)], roles=[roles[i % len(roles)]])
    for i, u in enumerate(users)
])
now, today = timezone.now(), timezone.localdate()
meetings = Meeting.objects.bulk_create([
    Meeting(
        group=groups[i % len(groups)],
        title=f"{groups[i % len(groups)].name} {i}",
        starts_at=now + dt.timedelta(days=rng.randint(-540, 180), hours=rng.randint(0, 8)),
        location="Town Hall",
        minutes="Minutes of the meeting. " * 20,
    )
    for i in range(n_meetings)
])
for m in meetings:
    if m.starts_at < now:
        m.status = "held"
Meeting.objects.bulk_update(meetings, ["status"])
items = AgendaItem.objects.bulk_create([
    AgendaItem(meeting=m, order=j, title=f"Item {j} of {m.title}", detail="Detail. " * 10,
               exempt=rng.random() < 0.05)
    for m in meetings for j in range(4)
])
decisions = Decision.objects.bulk_create([
    Decision(meeting=it.meeting, agenda_item=it, text=f"Decision on {it.title}",
             exempt=it.exempt)
    for it in items if it.meeting.status == "held" and it.order < 2
])
members = {}
for m in Membership.objects.select_related("user"):
    members.setdefault(m.agency_id, []).append(m.user)
states = ["open"] * 4 + ["in_progress"] * 3 + ["blocked", "done", "done", "cancelled"]
Action.objects.bulk_create([
    Action(
        group=(g := groups[rng.randrange(len(groups))]),
        decision=rng.choice(decisions) if decisions and rng.random() < 0.7 else None,
        title=f"Action {i} for {g.name}",
        detail="What to do. " * 10,
        owner_agency=(a := agencies[rng.randrange(len(agencies))]),
        owner=rng.choice(members[a.pk]) if members.get(a.pk) and rng.random() < 0.8 else None,
        due=today + dt.timedelta(days=rng.randint(-20, 180)),
        state=rng.choice(states),
        exempt=rng.random() < 0.03,
    )
    for i in range(n_actions)
])
out = {"users": [], "counts": {
    "users": User.objects.count(), "meetings": Meeting.objects.count(),
    "actions": Action.objects.count(), "decisions": Decision.objects.count()}}
for u in users:
    seen = visible_meetings(u)
    if hasattr(Group, "restricted"):  # a restricted group's meeting first asks why
        seen = seen.exclude(group__restricted=True)
    pks = list(seen.order_by("-starts_at").values_list("pk", flat=True)[:20])
    out["users"].append([u.username, pks])
print(json.dumps(out))
"""


def psql(*args: str) -> None:
    subprocess.run([*args[:1], *PG, *args[1:]], check=True, capture_output=True)


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """One user's keep-alive connection and cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://localhost:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.con.request(method, path, body=body, headers=headers)
                r = self.con.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as exc:
                self.con.close()
                self.con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                # An idle keep-alive connection the server has closed: once more, afresh.
                stale = isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError)
                if attempt == 2 or not stale:
                    raise
        for value in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if r.getheader("Connection", "").lower() == "close":
            self.con.close()
        return r.status, data

    def sign_in(self, username: str, password: str) -> None:
        from urllib.parse import urlencode

        status, page = self.request("GET", "/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"sign-in page: {status}")
        body = urlencode(
            {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
        )
        status, _ = self.request("POST", "/sign-in/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign in as {username}: {status}")


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"csphub serve exited with {proc.returncode}")
        try:
            Session(port).request("GET", "/static/hub.css")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("csphub serve did not start within 60 s")


def browse(sessions, pages_of, seconds: float, think: float = 0.0) -> tuple[dict, dict]:
    """Every session requests its pages in turn until time is up, pausing a random 0.5 to
    1.5 x ``think`` seconds after each page; latencies (ms) and errors by page."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    start = threading.Barrier(len(sessions))

    def run(i: int, session: Session) -> None:
        mine: dict[str, list[float]] = defaultdict(list)
        bad: dict[str, int] = defaultdict(int)
        pages = pages_of(i)
        rng = random.Random(i)
        start.wait()
        if think:  # users arrive spread over one pause, not all in the same instant
            time.sleep(rng.uniform(0, think))
        end = time.monotonic() + seconds
        n = i  # clients start at different pages
        while time.monotonic() < end:
            label, path = pages[n % len(pages)]
            n += 1
            t = time.perf_counter()
            try:
                status, _ = session.request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 0
            mine[label].append((time.perf_counter() - t) * 1000)
            if status != 200:
                bad[label] += 1
            if think:
                time.sleep(think * rng.uniform(0.5, 1.5))
        with lock:
            for k, v in mine.items():
                latencies[k] += v
            for k, v in bad.items():
                errors[k] += v

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(title: str, latencies, errors, seconds: float, labels) -> float:
    print(f"\n{title}")
    print(f"{'page':<22}{'requests':>10}{'errors':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    everything: list[float] = []
    for label in labels:
        v = latencies.get(label, [])
        everything += v
        print(
            f"{label:<22}{len(v):>10,}{errors.get(label, 0):>8}{len(v) / seconds:>8.0f}"
            f"{pct(v, 0.5):>9.1f}{pct(v, 0.95):>9.1f}"
        )
    p95 = pct(everything, 0.95)
    print(
        f"{'overall':<22}{len(everything):>10,}{sum(errors.values()):>8}"
        f"{len(everything) / seconds:>8.0f}{pct(everything, 0.5):>9.1f}{p95:>9.1f}"
    )
    return p95


def demo_store(tmp: Path) -> Path:
    out = tmp / "demo"
    subprocess.run(
        [str(Path(sys.executable).with_name("csphub")), "demo", "--out", str(out),
         "--no-products", "--no-serve"],
        check=True, capture_output=True,
    )  # fmt: skip
    return out / "store"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-seconds", type=float, default=None, help="default: --seconds")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="also run with each user pausing about this many seconds between pages "
        "(0: only the no-pause run)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-store", action="store_true", help="no evidence store or area")
    args = parser.parse_args()
    if shutil.which("createdb") is None:
        raise SystemExit("createdb (PostgreSQL client) is needed")
    name = f"csphub_bench_{os.getpid()}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    psql("createdb", name)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="csphub-bench-") as tmp:
            env = {**os.environ, "DATABASE_URL": url, "CSPHUB_HUB_DIR": tmp}
            env.pop("CSPHUB_DEBUG", None)
            store_args: list[str] = []
            if not args.no_store:
                t = time.perf_counter()
                store = demo_store(Path(tmp))
                store_args = ["--store", str(store), "--area", DEMO_AREA]
                print(f"demo evidence store: {time.perf_counter() - t:.1f} s")
            t = time.perf_counter()
            seeded = subprocess.run(
                [sys.executable, "-c", SEED_CODE, str(args.users), str(args.meetings),
                 str(args.actions), PASSWORD],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            if seeded.returncode != 0:
                raise SystemExit(seeded.stderr)
            data = json.loads(seeded.stdout.strip().splitlines()[-1])
            print(f"database {name}: migrated and seeded in {time.perf_counter() - t:.1f} s: "
                  + ", ".join(f"{v:,} {k}" for k, v in data["counts"].items()))  # fmt: skip
            port = free_port()
            server = subprocess.Popen(
                [str(Path(sys.executable).with_name("csphub")), "serve", "--port", str(port),
                 "--workers", str(args.workers), "--threads", str(args.threads), *store_args],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            wait_until_up(server, port)
            print(
                f"csphub serve: gunicorn {args.workers} workers x {args.threads} threads "
                f"on {os.cpu_count()} cores; {args.clients} concurrent clients"
            )
            users = data["users"][: args.clients]
            sessions = [Session(port) for _ in users]
            t = time.perf_counter()
            for session, (username, _) in zip(sessions, users, strict=True):
                session.sign_in(username, PASSWORD)
            print(
                f"signed in {len(sessions)} users through /sign-in/ "
                f"({time.perf_counter() - t:.1f} s, Argon2 each)"
            )
            # Warm each worker's figures cache and templates, untimed.
            for s in sessions[: args.workers * 4]:
                s.request("GET", "/")

            def hub_pages(i: int) -> list[tuple[str, str]]:
                meetings = users[i][1] or [0]
                return [
                    ("dashboard /", "/"),
                    ("action list", "/actions/"),
                    ("meeting page", f"/meetings/{meetings[i % len(meetings)]}/"),
                ]

            labels = ["dashboard /", "action list", "meeting page"]
            css = [("/static/hub.css", "/static/hub.css")]
            base_seconds = args.baseline_seconds or args.seconds
            modes = [("no pause between pages", 0.0)]
            if args.think:
                modes.append((f"pausing about {args.think:g} s between pages", args.think))
            verdicts = []
            for mode, think in modes:
                lat, err = browse(sessions, hub_pages, args.seconds, think)
                p95 = report(
                    f"{len(sessions)} users, {mode}: hub pages, {args.seconds:.0f} s",
                    lat, err, args.seconds, labels,
                )  # fmt: skip
                b_lat, b_err = browse(sessions, lambda i: css, base_seconds, think)
                base = report(
                    f"Baseline, {mode}: the stylesheet (no database), {base_seconds:.0f} s",
                    b_lat, b_err, base_seconds, ["/static/hub.css"],
                )  # fmt: skip
                verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
                verdicts.append(
                    f"{mode}: overall p95 {p95:.1f} ms against the target < "
                    f"{TARGET_P95_MS:.0f} ms: {verdict} (the stylesheet's p95: {base:.1f} ms)"
                )
            print("\n" + "\n".join(verdicts))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", name], check=False)
        print(f"dropped database {name}")


if __name__ == "__main__":
    main()
