"""Backups that restore: one tar.gz with the database, the media files and a manifest.

The archive holds ``manifest.json`` (format, time, database vendor, the row count and a SHA-256 of the rows
of every table, a SHA-256 of every media file), the database (``database.sqlite3``, made with SQLite's
online backup API, or ``database.pgdump``, ``pg_dump --format=custom``) and ``media/``.

The row digest is computed in SQL on each column cast to text (``quote()`` on SQLite, ``::text`` on
PostgreSQL with the session in UTC), so it depends neither on the driver nor on Django's converters: the
same function checks a database opened with plain ``sqlite3`` or ``psycopg``. On PostgreSQL the digest and
``pg_dump`` read the same exported snapshot, so the manifest describes exactly what was dumped.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    pass


# --- the digest -------------------------------------------------------------------------------------------


def _tables(cursor, vendor):
    """[(table, [columns], [primary key columns])] of the database, sorted by name."""
    found = []
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        for (table,) in sorted(cursor.fetchall()):
            cursor.execute(f"PRAGMA table_info({_q(table)})")
            info = cursor.fetchall()  # cid, name, type, notnull, default, pk
            cols = [r[1] for r in info]
            pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
            found.append((table, cols, pk))
        return found
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    for (table,) in cursor.fetchall():
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        cols = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT k.column_name FROM information_schema.table_constraints c "
            "JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name "
            "AND k.table_schema = c.table_schema AND k.table_name = c.table_name "
            "WHERE c.table_schema = current_schema() AND c.table_name = %s AND c.constraint_type = 'PRIMARY KEY' "
            "ORDER BY k.ordinal_position",
            [table],
        )
        pk = [r[0] for r in cursor.fetchall()]
        found.append((table, cols, pk))
    return sorted(found)


def _q(name):
    return '"' + name.replace('"', '""') + '"'


def database_digest(cursor, vendor):
    """``{table: {"rows": n, "sha256": hex}}`` for every table; ``cursor`` is any DB-API cursor."""
    if vendor == "postgresql":
        cursor.execute("SET TIME ZONE 'UTC'")
    digest = {}
    for table, cols, pk in _tables(cursor, vendor):
        if not cols:
            continue
        cast = "quote({})" if vendor == "sqlite" else "{}::text"
        select = ", ".join(cast.format(_q(c)) for c in cols)
        sql = f"SELECT {select} FROM {_q(table)}"
        h = hashlib.sha256()
        n = 0
        if pk:
            cursor.execute(sql + " ORDER BY " + ", ".join(_q(c) for c in pk))
            rows = iter(lambda: cursor.fetchmany(2000), [])
            for batch in rows:
                for row in batch:
                    h.update(json.dumps(row, ensure_ascii=False).encode() + b"\n")
                    n += 1
        else:  # no primary key: order in Python, independent of the server's collation
            cursor.execute(sql)
            lines = sorted(json.dumps(list(row), ensure_ascii=False) for row in cursor.fetchall())
            for line in lines:
                h.update(line.encode() + b"\n")
            n = len(lines)
        digest[table] = {"rows": n, "sha256": h.hexdigest()}
    return digest


def compare_digests(expected, actual):
    """The differences between two digests, as readable lines (empty when they agree)."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        e, a = expected.get(table), actual.get(table)
        if e is None:
            problems.append(f"{table}: not in the archive")
        elif a is None:
            problems.append(f"{table}: missing after restore")
        elif e != a:
            problems.append(f"{table}: {e['rows']} rows expected, {a['rows']} found (checksums differ)")
    return problems


# --- media ------------------------------------------------------------------------------------------------


def _file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def media_digest(root):
    """``{relative path: sha256}`` of every file under ``root``."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): _file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


# --- PostgreSQL helpers -----------------------------------------------------------------------------------


def pg_tool(name):
    """The path of ``pg_dump``/``pg_restore``: PG_BIN_DIR (Debian's /usr/lib/postgresql/15/bin), else PATH."""
    candidate = Path(settings.PG_BIN_DIR) / name
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found (set PG_BIN_DIR or install postgresql-client)")
    return found


def pg_env(settings_dict):
    """libpq environment variables for the database of ``settings_dict`` (no password on the command line)."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST") or options.get("host", ""),
        "PGPORT": str(settings_dict.get("PORT") or options.get("port", "")),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": settings_dict["NAME"],
        "PGSSLMODE": options.get("sslmode", ""),
    }
    env.update({k: v for k, v in values.items() if v})
    return env


def _run(cmd, env):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {proc.stderr.strip()[-2000:]}")
    return proc


# --- backup -----------------------------------------------------------------------------------------------


def _dump_sqlite(conn, workdir):
    conn.ensure_connection()
    target = workdir / SQLITE_FILE
    dest = sqlite3.connect(target)
    try:
        conn.connection.backup(dest)
    finally:
        dest.close()
    raw = sqlite3.connect(target)
    try:
        digest = database_digest(raw.cursor(), "sqlite")
    finally:
        raw.close()
    return SQLITE_FILE, digest


def _dump_postgresql(conn, workdir):
    raw = conn.get_new_connection(conn.get_connection_params())
    try:
        raw.autocommit = True
        cur = raw.cursor()
        cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot = cur.fetchone()[0]
        target = workdir / PG_FILE
        _run(
            [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={target}"],
            pg_env(conn.settings_dict),
        )  # fmt: skip
        digest = database_digest(cur, "postgresql")
        cur.execute("COMMIT")
    finally:
        raw.close()
    return PG_FILE, digest


def create_backup(path, *, using="default", media_root=None):
    """Write the archive to ``path`` (written aside, then renamed: never a half-written archive). Returns
    the manifest."""
    conn = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dangbo-backup-") as tmp:
        workdir = Path(tmp)
        if conn.vendor == "sqlite":
            db_file, digest = _dump_sqlite(conn, workdir)
        elif conn.vendor == "postgresql":
            db_file, digest = _dump_postgresql(conn, workdir)
        else:
            raise BackupError(f"backups of {conn.vendor} databases are not supported")
        media = media_digest(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "vendor": conn.vendor,
            "database_file": db_file,
            "tables": digest,
            "media": media,
        }
        (workdir / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        partial = path.with_name(path.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(workdir / MANIFEST, arcname=MANIFEST)
            tar.add(workdir / db_file, arcname=db_file)
            for rel in media:
                tar.add(media_root / rel, arcname=f"media/{rel}")
        os.replace(partial, path)
    return manifest


def prune_backups(directory, keep_days, now=None):
    """Delete the archives (``dangbo-*.tar.gz``) in ``directory`` older than ``keep_days``; returns them."""
    now = now or datetime.datetime.now().timestamp()
    removed = []
    for p in sorted(Path(directory).glob("dangbo-*.tar.gz")):
        if now - p.stat().st_mtime > keep_days * 86400:
            p.unlink()
            removed.append(p)
    return removed


# --- restore ----------------------------------------------------------------------------------------------


def read_manifest(tar):
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("not a dangbo backup: no manifest.json") from None
    manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def database_is_empty(conn):
    with conn.cursor() as cursor:
        return not conn.introspection.table_names(cursor)


def media_is_empty(root):
    root = Path(root)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def _extract(tar, members, workdir):
    """Extract only regular files inside ``workdir``: tarfile's "data" filter where Python has it (3.11.4+);
    on an older Python (Debian 12's 3.11.2) the same refusals by hand: links, devices, absolute paths, "..".
    """
    if hasattr(tarfile, "data_filter"):
        tar.extractall(workdir, members=members, filter="data")
        return
    root = Path(workdir).resolve()
    for m in members:
        target = (root / m.name).resolve()
        if not (m.isfile() or m.isdir()) or m.name.startswith("/") or not target.is_relative_to(root):
            raise BackupError(f"the archive holds an unsafe entry: {m.name}")
        m.mode = 0o755 if m.isdir() else 0o644
    tar.extractall(workdir, members=members)


def restore_backup(path, *, using="default", media_root=None, force=False):
    """Restore the archive into the database ``using`` and ``media_root``; refuses a non-empty target
    unless ``force``. Checks every table and media file against the manifest afterwards. Returns the
    manifest."""
    conn = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as tar, tempfile.TemporaryDirectory(prefix="dangbo-restore-") as tmp:
        manifest = read_manifest(tar)
        if manifest["vendor"] != conn.vendor:
            raise BackupError(f"the archive holds a {manifest['vendor']} database; this one is {conn.vendor}")
        if not force and not database_is_empty(conn):
            raise BackupError("the database is not empty (use --force to overwrite it)")
        if not force and not media_is_empty(media_root):
            raise BackupError(f"the media folder {media_root} is not empty (use --force to replace it)")
        workdir = Path(tmp)
        db_file = manifest["database_file"]
        members = [m for m in tar.getmembers() if m.name == db_file or m.name.startswith("media/")]
        _extract(tar, members, workdir)

        if conn.vendor == "sqlite":
            conn.close()
            target = Path(conn.settings_dict["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            src, dest = sqlite3.connect(workdir / db_file), sqlite3.connect(target)
            try:
                src.backup(dest)
            finally:
                src.close()
                dest.close()
        else:
            conn.close()
            cmd = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
            if force:
                cmd += ["--clean", "--if-exists"]
            _run([*cmd, f"--dbname={conn.settings_dict['NAME']}", str(workdir / db_file)], pg_env(conn.settings_dict))

        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        if (workdir / "media").is_dir():
            shutil.copytree(workdir / "media", media_root)
        else:
            media_root.mkdir()

    with conn.cursor() as cursor:
        problems = compare_digests(manifest["tables"], database_digest(cursor, conn.vendor))
    actual_media = media_digest(media_root)
    problems += [
        f"media/{rel}: differs or missing" for rel, sha in manifest["media"].items() if actual_media.get(rel) != sha
    ]
    if problems:
        raise BackupError("the restored data does not match the manifest:\n" + "\n".join(problems))
    return manifest
