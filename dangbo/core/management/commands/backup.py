import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangbo.core.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Write one tar.gz holding the database (SQLite online backup or pg_dump --format=custom), the media "
        "files and a manifest of row counts and checksums per table. Default: BACKUP_DIR/dangbo-<time>.tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="where to write the archive")
        parser.add_argument(
            "--keep-days", type=int, help="then delete the archives in BACKUP_DIR older than this many days"
        )

    def handle(self, *args, archive=None, keep_days=None, **options):
        if archive is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            archive = Path(settings.BACKUP_DIR) / f"dangbo-{stamp}.tar.gz"
        try:
            manifest = create_backup(archive)
        except BackupError as e:
            raise CommandError(str(e))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"{archive}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} media files"
        )
        if keep_days is not None:
            for p in prune_backups(settings.BACKUP_DIR, keep_days):
                self.stdout.write(f"deleted {p}")
