from django.core.management.base import BaseCommand

from dangbo.lifecycle.services import end_expired_exemptions


class Command(BaseCommand):
    help = "End the exemptions whose end date has passed (run daily); the lists also do it when opened."

    def handle(self, *args, **options):
        n = end_expired_exemptions()
        self.stdout.write(f"{n}")
