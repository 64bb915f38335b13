"""Recount the unit tallies (UnitTally) from the members table, in bounded batches."""

from django.core.management.base import BaseCommand
from django.db import transaction

from dangbo.members import tallies


class Command(BaseCommand):
    help = "Recount the members per unit and category (UnitTally) from the members table."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=20000, help="members read per query")

    def handle(self, *args, batch_size, **options):
        with transaction.atomic():
            n = tallies.rebuild(batch_size=batch_size)
        self.stdout.write(f"{n} tallies")
