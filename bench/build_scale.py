"""Build a scale database: the demo bloc with N members (default 1,000,000).

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/build_scale.py --members 1000000

Uses the demo builder (same tree, names, histories) on an empty database; the
member events and the interval table are written in bulk.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangbo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from dangbo.org.models import OrgUnit  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--members", type=int, default=1_000_000)
args = parser.parse_args()

call_command("migrate", verbosity=0)
if OrgUnit.objects.exists():
    sys.exit("The database is not empty: point DATABASE_URL at a new one.")
started = time.monotonic()
call_command("load_demo", members=args.members)
print(f"built in {time.monotonic() - started:.0f} s")
