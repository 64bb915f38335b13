"""Home-page card for staff: overdue steps of inspections and supervisions, appeals being handled and
state-discipline notices past their deadline, in their scope."""

from django.utils import timezone

from dangbo.accounts.access import is_staff_user
from dangbo.inspection.access import cases_visible_to, discipline_visible_to, notices_visible_to
from dangbo.inspection.models import Appeal, Case, Step


def home_panels(request):
    user = request.user
    if not is_staff_user(user):
        return []
    today = timezone.localdate()
    overdue = (
        Step.objects.filter(case__in=cases_visible_to(user), done_on__isnull=True, due_on__lt=today)
        .filter(case__state=Case.State.RUNNING)
        .count()
    )
    appeals = Appeal.objects.filter(case__in=discipline_visible_to(user), outcome=Appeal.Outcome.PENDING).count()
    notices = notices_visible_to(user).filter(notified_on__isnull=True, due_on__lt=today).count()
    if not (overdue or appeals or notices):
        return []
    return [{"template": "inspection/_panel.html", "overdue": overdue, "appeals": appeals, "notices": notices}]
