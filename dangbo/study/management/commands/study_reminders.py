from django.core.management.base import BaseCommand

from dangbo.study.services import send_reminders


class Command(BaseCommand):
    help = "Send the day's study-campaign reminders to members not yet finished and their secretaries (daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminder rounds sent.")
