import datetime

from django.core.management.base import BaseCommand

from dangbo.meetings.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the day's cell-meeting reminders (run once a day, e.g. from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, **options):
        day = datetime.date.fromisoformat(options["date"]) if options.get("date") else None
        self.stdout.write(f"{send_reminders(day)} reminders sent.")
