"""Backups that restore: back up the test cast with some rows and a media file, restore the archive into a
fresh database and media folder in another process, and compare every table's row count and checksum.
Runs on SQLite and on PostgreSQL (the suite's PostgreSQL stage), where it needs pg_dump and pg_restore."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dangbo.core import backup
from dangbo.core.audit import record_read
from dangbo.core.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed rows


def _pg_tools_or_skip():
    try:
        backup.pg_tool("pg_dump"), backup.pg_tool("pg_restore")
    except backup.BackupError as e:
        pytest.skip(f"PostgreSQL client tools absent: {e}")


def _fill(media_root):
    from dangbo.testing import build_cast

    cast = build_cast()
    for i in range(30):
        Notification.objects.create(user=cast.staff_a, title=f"Thông báo {i} — Đảng ủy", body='ñ ắ ư\n"x"')
    record_read(user=cast.bloc_user, member=cast.m_a1, view="detail")
    photo = Path(media_root) / "members" / "photos" / "a1.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 4)
    return cast, photo


def _raw_digest(vendor, target):
    """The digest of the restored database read with the plain driver, not Django."""
    if vendor == "sqlite":
        raw = sqlite3.connect(target)
        try:
            return backup.database_digest(raw.cursor(), "sqlite")
        finally:
            raw.close()
    import psycopg

    env = backup.pg_env(target)
    with psycopg.connect(
        dbname=target["NAME"], host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"), autocommit=True,
    ) as raw:  # fmt: skip
        return backup.database_digest(raw.cursor(), "postgresql")


@pytest.fixture
def fresh_target(tmp_path):
    """(environment for a manage.py process using a fresh empty database, what _raw_digest needs)."""
    env = {**os.environ, "MEDIA_ROOT": str(tmp_path / "restored-media"), "DJANGO_SETTINGS_MODULE": "dangbo.settings"}
    if connection.vendor == "sqlite":
        db = tmp_path / "restored.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
        yield env, db
        return
    _pg_tools_or_skip()
    name = f"dangbo_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    target = {**connection.settings_dict, "NAME": name}
    pg = backup.pg_env(target)
    host, port = pg.get("PGHOST", ""), pg.get("PGPORT", "")
    user, password = pg.get("PGUSER", ""), pg.get("PGPASSWORD", "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    query = "&".join(f"{k}={v}" for k, v in (("host", host), ("port", port)) if v)
    env["DATABASE_URL"] = f"postgres://{auth}/{name}" + (f"?{query}" if query else "")
    yield env, target
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args], env=env, capture_output=True, text=True
    )


def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_file(tmp_path, fresh_target):
    if connection.vendor == "postgresql":
        _pg_tools_or_skip()
    env, target = fresh_target
    cast, photo = _fill(settings.MEDIA_ROOT)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "media/members/photos/a1.jpg" in names and manifest["database_file"] in names
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["core_notification"]["rows"] == 30
    assert manifest["tables"]["members_member"]["rows"] == 5
    assert manifest["tables"]["core_readlog"]["rows"] == 1
    # The manifest describes the source as it is.
    with connection.cursor() as cursor:
        assert backup.database_digest(cursor, connection.vendor) == manifest["tables"]

    proc = _manage(env, "restore", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert "all matching the manifest" in proc.stdout

    # Checked here again with the plain driver: every table, its count and its rows' checksum.
    restored = _raw_digest(connection.vendor, target)
    assert restored == manifest["tables"]
    assert (Path(env["MEDIA_ROOT"]) / "members/photos/a1.jpg").read_bytes() == photo.read_bytes()

    # A second restore into the now non-empty target is refused, and --force overwrites it.
    proc = _manage(env, "restore", str(archive))
    assert proc.returncode != 0 and "not empty" in proc.stderr
    proc = _manage(env, "restore", "--force", str(archive))
    assert proc.returncode == 0, proc.stderr
    assert _raw_digest(connection.vendor, target) == manifest["tables"]


def test_restore_refuses_a_non_empty_database_and_leaves_it_alone(tmp_path):
    if connection.vendor == "postgresql":
        _pg_tools_or_skip()
    cast, _photo = _fill(settings.MEDIA_ROOT)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    Notification.objects.create(user=cast.staff_a, title="after the backup")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    assert Notification.objects.filter(title="after the backup").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    bad = tmp_path / "x.tar.gz"
    with tarfile.open(bad, "w:gz") as tar:
        f = tmp_path / "hello.txt"
        f.write_text("hi")
        tar.add(f, arcname="hello.txt")
    with pytest.raises(CommandError, match="no manifest"):
        call_command("restore", str(bad))
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "junk.tar.gz"))


def test_a_tampered_restore_is_reported(tmp_path):
    """The check after a restore compares against the manifest: a row changed in between is named."""
    expected = {"t": {"rows": 2, "sha256": "a"}, "u": {"rows": 1, "sha256": "b"}}
    actual = {"t": {"rows": 2, "sha256": "c"}}
    assert backup.compare_digests(expected, actual) == [
        "t: 2 rows expected, 2 found (checksums differ)",
        "u: missing after restore",
    ]


def test_old_archives_are_pruned(tmp_path):
    old, new, other = tmp_path / "dangbo-1.tar.gz", tmp_path / "dangbo-2.tar.gz", tmp_path / "keep.tar.gz"
    for p in (old, new, other):
        p.write_bytes(b"x")
    os.utime(old, (0, 0))
    os.utime(other, (0, 0))
    assert backup.prune_backups(tmp_path, keep_days=30) == [old]
    assert new.exists() and other.exists()


@pytest.mark.parametrize("with_filter", [True, False], ids=["python-with-data-filter", "python-3.11.2"])
def test_extraction_takes_only_plain_files_inside_the_folder(tmp_path, monkeypatch, with_filter):
    """Debian 12's Python (3.11.2) has no tarfile "data" filter: the same refusals are made by hand."""
    if not with_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    good = tmp_path / "good.tar.gz"
    src = tmp_path / "photo.jpg"
    src.write_bytes(b"\xff\xd8photo")
    with tarfile.open(good, "w:gz") as tar:
        tar.add(src, arcname="media/members/photo.jpg")
    out = tmp_path / "out"
    with tarfile.open(good) as tar:
        backup._extract(tar, tar.getmembers(), out)
    assert (out / "media/members/photo.jpg").read_bytes() == b"\xff\xd8photo"

    for name, kind in (("media/../../escaped.txt", tarfile.REGTYPE), ("media/link", tarfile.SYMTYPE)):
        bad = tmp_path / "bad.tar.gz"
        with tarfile.open(bad, "w:gz") as tar:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            info.size = 0
            tar.addfile(info, io.BytesIO(b""))
        with tarfile.open(bad) as tar, pytest.raises((backup.BackupError, tarfile.FilterError)):
            backup._extract(tar, tar.getmembers(), tmp_path / "out2")
        assert not (tmp_path / "escaped.txt").exists() and not (tmp_path / "out2" / "media" / "link").exists()
