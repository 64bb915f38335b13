from django.core.management.base import BaseCommand

from dangbo.documents.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the recipients who have not opened a document the number of days after its distribution set by "
        "the rule documents.reminder_days (run once a day, e.g. from cron)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} reminders sent.")
