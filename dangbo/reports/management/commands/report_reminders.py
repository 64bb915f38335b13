from django.core.management.base import BaseCommand

from dangbo.reports.services import send_reminders


class Command(BaseCommand):
    help = "Remind grassroots staff of periodic reports due or overdue (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent.")
