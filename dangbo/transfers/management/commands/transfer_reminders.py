from django.core.management.base import BaseCommand

from dangbo.transfers.services import send_reminders


class Command(BaseCommand):
    help = "Send the day's transfer deadline reminders (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent.")
