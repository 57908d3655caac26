"""Casework at scale on PostgreSQL: search, the case page and my cases.

1. A fresh PostgreSQL database (``createdb`` on 127.0.0.1:5432, user postgres; dropped at
   the end), migrated, with the demo partnership (its casework included) and ``--users``
   caseworkers, then synthetic scale written with COPY: ``--people`` people (a fifth with
   an alias, each with an address), ``--places`` places, ``--cases`` cases across the
   agencies with one to three parties and a share for one in four, ``--timeline`` timeline
   entries and ``--audit`` audit rows (their hashes are not chained: the rows are load,
   the chain is tested elsewhere). Matching keys are computed by csphub's own key
   functions, so the rows are what the hub would have written.
2. ``csphub serve`` (gunicorn ``--workers`` x ``--threads``) in a subprocess.
3. Search: one signed-in analyst searches ``--searches`` partial names and as many
   postcode districts, one after another; p50 and p95 against the target p95 < 100 ms.
4. The case page and my cases: ``--clients`` caseworkers signed in through ``/sign-in/``,
   each opening their own cases list and one of their cases in turn, pausing about
   ``--think`` seconds between pages (people reading); p50/p95 against p95 < 150 ms.
5. Baseline, same run, same clients and pacing: the stylesheet ``/static/hub.css`` (no
   database, no session).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_hub_load as load  # the hub load bench's client and server helpers

SEARCH_TARGET_MS = 100.0
PAGE_TARGET_MS = 150.0

SEED_CODE = r"""
import datetime as dt, io, json, random, sys
from csphub.hub import setup
setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from csphub.hub.access.models import Agency, Membership
from csphub.hub.casework.models import keys
from csphub.hub.casework.types import case_types
from csphub.hub.demo.seed import seed_partnership

n_users, n_people, n_places, n_cases, n_timeline, n_audit = map(int, sys.argv[1:7])
password = sys.argv[7]
call_command("migrate", interactive=False, verbosity=0)
seed_partnership()
rng = random.Random(2026)
User = get_user_model()
agencies = [a for a in Agency.objects.order_by("code") if a.code in
            ("council", "police", "housing", "youth", "health", "probation")]
hashed = make_password(password)
users = User.objects.bulk_create([
    User(username=f"worker{i:03d}", first_name="Case", last_name=f"Worker {i}", password=hashed)
    for i in range(n_users)])
Membership.objects.bulk_create([
    Membership(user=u, agency=agencies[i % len(agencies)], roles=["member"])
    for i, u in enumerate(users)])
owners = {}
for m in Membership.objects.filter(user__in=users):
    owners.setdefault(m.agency_id, []).append(m.user_id)
analyst = User.objects.create(username="searcher", password=hashed)
Membership.objects.create(user=analyst, agency=Agency.objects.get(code="police"),
                          roles=["analyst"])

GIVEN = ["Aaron","Abigail","Adam","Aisha","Alfie","Amelia","Amir","Anna","Archie","Ava",
 "Ben","Bethany","Callum","Charlotte","Chloe","Connor","Daisy","Daniel","David","Dylan",
 "Eleanor","Eli","Ella","Emily","Ethan","Evie","Faith","Finley","Freya","George","Grace",
 "Hannah","Harry","Harvey","Holly","Isaac","Isla","Jack","Jacob","James","Jessica","Joe",
 "Joshua","Kai","Katie","Kyle","Layla","Leo","Lewis","Liam","Lily","Logan","Lucy","Luke",
 "Maisie","Mason","Megan","Mia","Millie","Mohammed","Molly","Nathan","Noah","Olivia",
 "Oscar","Paige","Poppy","Reece","Riley","Rosie","Ruby","Ryan","Samuel","Sarah","Scarlett",
 "Sophie","Thomas","Tyler","William","Zara"]
STEMS = ["Ash","Brad","Brook","Carr","Clay","Cole","Crane","Dale","Dun","Ell","Fair","Fen",
 "Field","Gold","Hale","Hart","Hay","Hill","Holt","Kirk","Lang","Lee","Marsh","Mil","Moor",
 "New","Nor","Pell","Pen","Quar","Rad","Red","Rey","Rich","Rose","Row","Sand","Shaw","Star",
 "Stone","Sut","Thorn","Wad","Ward","West","Whit","Wil","Wood","York","Ayr"]
ENDS = ["ton","ley","ford","son","er","ing","worth","by","well","man","den","ham","field",
 "wood","ridge","combe","gate","low","more","stead"]
FAMILY = [s + e for s in STEMS for e in ENDS]

def copy(table, columns, rows):
    buf = io.StringIO()
    for r in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in r) + "\n")
    buf.seek(0)
    with connection.cursor() as cur:
        with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            cp.write(buf.getvalue())

def next_id(table):
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cur.fetchone()[0]

def reset(table):
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))")

now = dt.datetime.now(dt.timezone.utc)
first_place = next_id("casework_place")
districts = [f"BW{d}" for d in range(1, 21)]
place_rows, postcodes = [], []
for i in range(n_places):
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    pc = f"{rng.choice(districts)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    postcodes.append(pc)
    street = rng.choice(["ton Road", "ley Street", "field Close", "wood Avenue"])
    address = f"{rng.randint(1, 200)} {rng.choice(STEMS)}{street}"
    place_rows.append((first_place + i, "", address, "Brackwater", pc, None, None, None, "", "",
                       "", "", keys.fold(address), agencies[i % len(agencies)].pk, None,
                       now.isoformat()))
copy("casework_place", ["id","name","address","town","postcode","uprn","longitude","latitude",
     "lsoa_code","lsoa_name","ward_code","ward_name","address_key","created_agency_id",
     "created_by_id","created_at"], place_rows)
reset("casework_place")

first_person = next_id("casework_person")
people, sounds = [], {}
for i in range(n_people):
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 26000))
    gs = sounds.get(given) or sounds.setdefault(given, keys.phonetic(given))
    fs = sounds.get(family) or sounds.setdefault(family, keys.phonetic(family))
    people.append((first_person + i, given, family, dob.isoformat(), "", "", "f", "f",
                   "standard", keys.name_key(given, family), fs, gs,
                   agencies[i % len(agencies)].pk, None, now.isoformat(), now.isoformat(),
                   None))
copy("casework_person", ["id","given_name","family_name","dob","age_band","gender","child",
     "vulnerable_adult","sensitivity","name_key","family_sound","given_sound",
     "created_agency_id","created_by_id","created_at","updated_at","merged_into_id"], people)
reset("casework_person")
aliases = []
for k in range(n_people // 5):
    pid = first_person + rng.randrange(n_people)
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    aliases.append((pid, given, family, "alias", keys.name_key(given, family),
                    keys.phonetic(family)))
copy("casework_personalias", ["person_id","given_name","family_name","kind","name_key",
     "family_sound"], aliases)
copy("casework_personaddress", ["person_id","place_id","kind","from_date","to_date"],
     [(first_person + i, first_place + rng.randrange(n_places), "home", None, None)
      for i in range(n_people)])

types = [(c, t) for c, t in case_types().items() if not t.restricted]
first_case = next_id("casework_case")
cases, parties, shares, mine = [], [], [], {}
agreement_id = None
with connection.cursor() as cur:
    cur.execute("SELECT id FROM casework_sharingagreement ORDER BY id LIMIT 1")
    agreement_id = cur.fetchone()[0]
for i in range(n_cases):
    cid = first_case + i
    code, kind = types[i % len(types)]
    agency = agencies[i % len(agencies)]
    owner = rng.choice(owners[agency.pk])
    opened = now - dt.timedelta(days=rng.randint(0, 900))
    cases.append((cid, f"{kind.prefix}-{cid:06d}", code, f"Case {i} at {rng.choice(STEMS)} Court",
                  "Summary of the case. " * 3, kind.lifecycle.initial, agency.pk, owner, "f",
                  opened.isoformat(), None, "", "", 1, owner, opened.isoformat()))
    mine.setdefault(owner, []).append(cid)
    for role in rng.sample(["subject", "victim", "complainant", "witness"], rng.randint(1, 3)):
        parties.append((cid, first_person + rng.randrange(n_people), None, role, owner,
                        opened.isoformat()))
    if rng.random() < 0.3:
        parties.append((cid, None, first_place + rng.randrange(n_places), "place_of_concern",
                        owner, opened.isoformat()))
    if rng.random() < 0.25:
        other = rng.choice([a for a in agencies if a.pk != agency.pk])
        shares.append((cid, other.pk, agreement_id, "Works with this case", owner,
                       opened.isoformat(), None))
copy("casework_case", ["id","reference","case_type","title","summary","state","lead_agency_id",
     "owner_id","restricted","opened_at","closed_at","closure_reason","outcome","version",
     "created_by_id","updated_at"], cases)
reset("casework_case")
copy("casework_caseparty", ["case_id","person_id","place_id","role","added_by_id","added_at"],
     parties)
copy("casework_caseshare", ["case_id","agency_id","agreement_id","reason","shared_by_id",
     "shared_at","ended_at"], shares)
for start in range(0, n_timeline, 200_000):
    rows = []
    for j in range(start, min(n_timeline, start + 200_000)):
        cid = first_case + rng.randrange(n_cases)
        at = (now - dt.timedelta(minutes=rng.randint(0, 1_000_000))).isoformat()
        rows.append((cid, "note", f"Note {j}: visited, spoke to the complainant.", at, None,
                     None, at, None))
    copy("casework_timelineentry", ["case_id","kind","text","occurred_at","author_id",
         "agency_id","recorded_at","corrects_id"], rows)
with connection.cursor() as cur:
    cur.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent")
    last = cur.fetchone()[0]
    for start in range(0, n_audit, 1_000_000):
        stop = min(n_audit, start + 1_000_000)
        cur.execute(
            "INSERT INTO audit_auditevent (at, actor_name, system_run, action, object_type, "
            "object_id, object_repr, justification, path, acting_agency, request_id, subjects, "
            "recipient, legal_basis, form, seq, prev_hash, row_hash) "
            "SELECT now() - (g || ' seconds')::interval, 'worker' || mod(g, 50), '', 'view', "
            "'casework.case', mod(g, %s)::text, 'case', '', '/cases/', 'Agency', '', "
            "'[]'::jsonb, '', '', 2, %s + g, repeat('0', 64), repeat('0', 64) "
            "FROM generate_series(%s, %s) AS g",
            [max(n_cases, 1), last, start + 1, stop])
    cur.execute("ANALYZE")
counts = {}
with connection.cursor() as cur:
    for table in ("casework_person", "casework_personalias", "casework_place",
                  "casework_case", "casework_caseparty", "casework_timelineentry",
                  "audit_auditevent"):
        cur.execute(f"SELECT COUNT(*) FROM {table}")
        counts[table] = cur.fetchone()[0]
workers = [[u.username, mine.get(u.pk, [])[:10]] for u in users]
searches = [g[:3].lower() + " " + f[:4].lower() for g, f in
            ((rng.choice(GIVEN), rng.choice(FAMILY)) for _ in range(200))]
print(json.dumps({"counts": counts, "workers": workers, "names": searches,
                  "districts": districts}))
"""


def measure_searches(port: int, data: dict, searches: int) -> list[str]:
    """One signed-in analyst's searches, one after another, and the stylesheet as often;
    prints the table and returns the verdicts."""
    searcher = load.Session(port)
    searcher.sign_in("searcher", load.PASSWORD)
    rng = random.Random(7)
    queries = [("partial name", q) for q in data["names"][:searches]]
    queries += [
        ("postcode district", f"{rng.choice(data['districts'])} {rng.randint(1, 9)}")
        for _ in range(searches)
    ]
    for _, q in queries[:5]:  # warm the workers, untimed
        searcher.request("GET", "/search/?" + urlencode({"q": q}))
    timings: dict[str, list[float]] = {}
    for label, q in queries:
        t = time.perf_counter()
        status, _ = searcher.request("GET", "/search/?" + urlencode({"q": q}))
        timings.setdefault(label, []).append((time.perf_counter() - t) * 1000)
        if status != 200:
            raise SystemExit(f"search {q!r}: {status}")
    base = []
    for _ in queries:
        t = time.perf_counter()
        searcher.request("GET", "/static/hub.css")
        base.append((time.perf_counter() - t) * 1000)
    print("\nSearch, one user, one query after another")
    print(f"{'query':<22}{'queries':>9}{'p50 ms':>9}{'p95 ms':>9}")
    verdicts = []
    for label, values in timings.items():
        p95 = load.pct(values, 0.95)
        print(f"{label:<22}{len(values):>9}{load.pct(values, 0.5):>9.1f}{p95:>9.1f}")
        ok = "met" if p95 < SEARCH_TARGET_MS else "NOT met"
        verdicts.append(f"search by {label}: p95 {p95:.1f} ms < {SEARCH_TARGET_MS:.0f}: {ok}")
    print(f"{'baseline: hub.css':<22}{len(base):>9}{load.pct(base, 0.5):>9.1f}"
          f"{load.pct(base, 0.95):>9.1f}")  # fmt: skip

    return verdicts


def seed(env: dict[str, str], name: str, args: argparse.Namespace) -> dict:
    """Migrate and seed the bench database; what it made, for the measurements."""
    t = time.perf_counter()
    sizes = [args.users, args.people, args.places, args.cases, args.timeline, args.audit]
    seeded = subprocess.run(
        [sys.executable, "-c", SEED_CODE, *map(str, sizes), load.PASSWORD],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if seeded.returncode != 0:
        raise SystemExit(seeded.stderr[-4000:])
    print(f"database {name}: migrated and seeded in {time.perf_counter() - t:.0f} s")
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--timeline", type=int, default=2_000_000)
    parser.add_argument("--audit", type=int, default=10_000_000)
    parser.add_argument("--searches", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (its name is printed) to look into"
    )
    parser.add_argument(
        "--reuse", metavar="NAME", help="measure a database an earlier --keep run kept (no seeding)"
    )
    args = parser.parse_args()
    name = args.reuse or f"csphub_bench_cases_{os.getpid()}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    kept = Path(tempfile.gettempdir()) / f"{name}.json"  # what the seeding said, for --reuse
    if not args.reuse:
        load.psql("createdb", name)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="csphub-bench-") as tmp:
            env = {**os.environ, "DATABASE_URL": url, "CSPHUB_HUB_DIR": tmp}
            env.pop("CSPHUB_DEBUG", None)
            data = json.loads(kept.read_text()) if args.reuse else seed(env, name, args)
            if args.keep:
                kept.write_text(json.dumps(data))
            print(f"database {name}:")
            for table, count in data["counts"].items():
                print(f"  {table:<26}{count:>12,}")
            port = load.free_port()
            server = subprocess.Popen(
                [str(Path(sys.executable).with_name("csphub")), "serve", "--port", str(port),
                 "--workers", str(args.workers), "--threads", str(args.threads)],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            load.wait_until_up(server, port)
            print(f"csphub serve: gunicorn {args.workers} workers x {args.threads} threads")

            verdicts = measure_searches(port, data, args.searches)

            workers = [w for w in data["workers"] if w[1]][: args.clients]
            sessions = [load.Session(port) for _ in workers]
            for session, (username, _) in zip(sessions, workers, strict=True):
                session.sign_in(username, load.PASSWORD)

            def pages(i: int) -> list[tuple[str, str]]:
                mine = workers[i][1]
                return [
                    ("my cases", "/cases/?show=mine"),
                    ("case page", f"/cases/{mine[i % len(mine)]}/"),
                ]

            lat, err = load.browse(sessions, pages, args.seconds, args.think)
            p95 = load.report(
                f"{len(sessions)} caseworkers, pausing about {args.think:g} s: "
                f"{args.seconds:.0f} s",
                lat, err, args.seconds, ["my cases", "case page"],
            )  # fmt: skip
            css = [("/static/hub.css", "/static/hub.css")]
            b_lat, b_err = load.browse(sessions, lambda i: css, args.seconds, args.think)
            b95 = load.report(
                "Baseline, same pace: the stylesheet (no database)",
                b_lat, b_err, args.seconds, ["/static/hub.css"],
            )  # fmt: skip
            for label in ("my cases", "case page"):  # each page, not only the two together
                page95 = load.pct(lat.get(label, []), 0.95)
                ok = "met" if page95 < PAGE_TARGET_MS and not err.get(label) else "NOT met"
                verdicts.append(
                    f"{label} at {len(sessions)} users: p95 {page95:.1f} ms < "
                    f"{PAGE_TARGET_MS:.0f}: {ok} (both pages: {p95:.1f} ms; the stylesheet's "
                    f"p95: {b95:.1f} ms)"
                )
            print("\n" + "\n".join(verdicts))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.keep or args.reuse:
            print(f"kept database {name} (measure it again with --reuse {name})")
        else:
            subprocess.run(["dropdb", *load.PG, "--if-exists", "--force", name], check=False)
            print(f"dropped database {name}")


if __name__ == "__main__":
    main()
