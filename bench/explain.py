"""The plans of the queries behind each operation of bench/run.py, for looking into a slow one.

    DATABASE_URL=... .venv/bin/python bench/explain.py [--analyze] [operation number ...]

Runs each path once (product, raw SQL, admin) with the queries captured, then prints every query
with its time and its plan: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (with --analyze: ANALYZE,
BUFFERS) on PostgreSQL.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.run import OPERATIONS  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--analyze", action="store_true", help="PostgreSQL: run the queries (EXPLAIN ANALYZE, BUFFERS)")
parser.add_argument("operations", nargs="*", type=int, help="1-based, all by default")
args = parser.parse_args()

if connection.vendor == "sqlite":
    prefix = "EXPLAIN QUERY PLAN "
else:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if args.analyze else "EXPLAIN "
for number, (name, *paths) in enumerate(OPERATIONS, 1):
    if args.operations and number not in args.operations:
        continue
    for label, fn in zip(["product", "raw SQL", "admin"], paths, strict=True):
        if fn is None:
            continue
        fn()  # warm
        with CaptureQueriesContext(connection) as ctx:
            fn()
        print(f"\n===== {number}. {name}: {label}, {len(ctx.captured_queries)} queries")
        for q in ctx.captured_queries:
            print(f"\n-- {float(q['time']) * 1000:.1f} ms\n{q['sql']}")
            with connection.cursor() as c:
                c.execute(prefix + q["sql"].replace("%", "%%"))
                for row in c.fetchall():
                    print("   ", " | ".join(str(v) for v in row))
