"""Migrations apply on a copy of the previous release's demo database (issue 18, "Upgrades").

The previous release is the commit named in ``deploy/PREVIOUS_RELEASE`` (the last one that landed before
this release's work). Its tree is taken with ``git archive`` into a temporary folder, its own
``migrate`` and ``load_demo`` build its demo database on SQLite, and then this release's ``migrate``
runs on a copy of that file: every migration must apply, ``check`` must pass, and the rows the old
demo held must still be there.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.production

ROOT = Path(__file__).resolve().parents[2]
PY = str(Path(sys.executable))


def _env(db):
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE_URL", "PYTEST"))}
    return {**keep, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "1", "DANGBO_ENV_FILE": "/dev/null"}


def _run(args, cwd, env, timeout=900):
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _counts(db, tables):
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_migrations_apply_on_the_previous_releases_demo_database():
    ref = (ROOT / "deploy" / "PREVIOUS_RELEASE").read_text().split()[0]
    if subprocess.run(["git", "cat-file", "-e", f"{ref}^{{commit}}"], cwd=ROOT).returncode != 0:
        pytest.skip(f"the previous release {ref} is not in this clone's history")
    tmp = Path(tempfile.mkdtemp(prefix="dangbo-upgrade-"))
    try:
        old = tmp / "previous"
        old.mkdir()
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        os.symlink(ROOT / "node_modules", old / "node_modules")
        db = tmp / "previous.sqlite3"
        env = _env(db)
        _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], old, env)
        _run([PY, "manage.py", "load_demo"], old, env, timeout=1200)
        tables = ["members_member", "members_memberevent", "org_orgunit", "meetings_meeting", "rules_ruleversion"]
        before = _counts(db, tables)
        copy = tmp / "upgraded.sqlite3"
        shutil.copy(db, copy)
        env = _env(copy)
        _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], ROOT, env)
        _run([PY, "manage.py", "check"], ROOT, env)
        plan = _run([PY, "manage.py", "migrate", "--plan"], ROOT, env).stdout
        assert "No planned migration operations" in plan, plan
        after = _counts(copy, tables)
        for table in tables[:-1]:
            assert after[table] == before[table], (table, before[table], after[table])
        assert before["members_member"] > 1000
        # The rules of the years before 2025 were added by this release's migrations.
        assert after["rules_ruleversion"] > before["rules_ruleversion"]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
