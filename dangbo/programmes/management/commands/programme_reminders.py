from django.core.management.base import BaseCommand

from dangbo.programmes.services import send_reminders


class Command(BaseCommand):
    help = "Send the day's reminders of progress reports coming due and of overdue reports and tasks (run daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent.")
