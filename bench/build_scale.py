"""Build a scale database: the demo bloc with N members (default 1,000,000).

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/build_scale.py --members 1000000

Uses the demo builder (same tree, names, histories) on an empty database; the
member events and the interval table are written in bulk (card numbers past the demo's
range are fitted to the column, see fit_card_numbers). Migrates with bench.settings,
so the admin's tables exist too, and ends with ANALYZE so that the planner knows the sizes.

With --reuse, a database built by this script for N members from the same demo builder (and
the same migrations) is left as it is (exit 0); any other exits with status 3 and
bench/run-all.sh rebuilds it. The build's stamp is kept in a table of its own, bench_build.
"""

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402

from dangbo.members.models import Member, MemberQuerySet  # noqa: E402
from dangbo.org.models import OrgUnit  # noqa: E402

CARD_MAX = Member._meta.get_field("card_number").max_length


def fit_card_numbers(members):
    """The demo numbers cards "48.NNNNNN" upwards from a random start, 1 to 40 apart: past about
    35,000 members they outgrow the 9-character column (SQLite stores them anyway, PostgreSQL
    refuses). Overflowing numbers move to the next prefixes (48.1234567 -> 49.234567), which
    keeps them distinct and the same on both databases."""
    for m in members:
        if m.card_number and len(m.card_number) > CARD_MAX:
            prefix, _dot, number = m.card_number.partition(".")
            n = int(number)
            m.card_number = f"{int(prefix) + n // 1_000_000:02d}.{n % 1_000_000:06d}"
            assert len(m.card_number) <= CARD_MAX, m.card_number


_bulk_create = MemberQuerySet.bulk_create


def bulk_create(self, objs, *args, **kwargs):
    if self.model is Member:
        objs = list(objs)
        fit_card_numbers(objs)
    return _bulk_create(self, objs, *args, **kwargs)


MemberQuerySet.bulk_create = bulk_create

ROOT = Path(__file__).resolve().parent.parent


def build_stamp():
    """What the data depends on: the demo builder and the apps' demo hooks, this script, the migrations present."""
    h = hashlib.sha256()
    for path in sorted([*ROOT.glob("dangbo/demo/**/*.py"), *ROOT.glob("dangbo/*/demo.py"), Path(__file__).resolve()]):
        h.update(path.read_bytes())
    h.update(" ".join(sorted(p.name for p in ROOT.glob("dangbo/*/migrations/0*.py"))).encode())
    return h.hexdigest()[:16]


def built_with():
    """(stamp, members) recorded by the build that made this database, or None."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT stamp, members FROM bench_build")
            return cursor.fetchone()
    except DatabaseError:
        return None


parser = argparse.ArgumentParser()
parser.add_argument("--members", type=int, default=1_000_000)
parser.add_argument("--reuse", action="store_true", help="keep a database that already holds N members")
args = parser.parse_args()

stamp = build_stamp()
call_command("migrate", verbosity=0)
if OrgUnit.objects.exists():
    if not args.reuse:
        sys.exit("The database is not empty: point DATABASE_URL at a new one.")
    found = built_with()
    if found != (stamp, args.members):
        print(f"{connection.vendor}: built for {found or 'unknown'}, wanted {(stamp, args.members)}: rebuild")
        sys.exit(3)
    print(f"{connection.vendor}: reusing the database with {args.members:,} members (build {stamp})")
    sys.exit(0)
started = time.monotonic()
call_command("load_demo", members=args.members)
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE bench_build (stamp varchar(16) NOT NULL, members integer NOT NULL)")
    cursor.execute("INSERT INTO bench_build VALUES (%s, %s)", [stamp, args.members])
    cursor.execute("ANALYZE")
print(f"{connection.vendor}: built in {time.monotonic() - started:.0f} s")
