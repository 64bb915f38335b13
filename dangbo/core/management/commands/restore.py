import tarfile

from django.core.management.base import BaseCommand, CommandError

from dangbo.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and media folder, then check "
        "every table and media file against its manifest. A non-empty target is refused unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database or media folder that is not empty"
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = restore_backup(archive, force=force)
        except (BackupError, OSError, tarfile.TarError) as e:
            raise CommandError(str(e))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"restored {archive} ({manifest['created_at']}): {len(manifest['tables'])} tables, {rows} rows and "
            f"{len(manifest['media'])} media files, all matching the manifest"
        )
