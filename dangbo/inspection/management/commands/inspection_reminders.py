from django.core.management.base import BaseCommand

from dangbo.inspection.reminders import send


class Command(BaseCommand):
    help = "Remind of overdue inspection steps, discipline deferrals ending and state-discipline notices due (daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send()}")
