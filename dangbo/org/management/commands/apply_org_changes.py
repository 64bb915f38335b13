"""Daily: moves of units dated in the future take effect on their date (org.services.apply_scheduled_moves)."""

from django.core.management.base import BaseCommand

from dangbo.org.services import apply_scheduled_moves


class Command(BaseCommand):
    help = "Apply the moves of units whose date has come."

    def handle(self, *args, **options):
        applied = apply_scheduled_moves()
        self.stdout.write(f"{len(applied)} unit(s) moved")
