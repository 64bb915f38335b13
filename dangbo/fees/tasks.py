"""Background tasks of the fees app (django-tasks; run by `manage.py worker`)."""

import datetime

from django_tasks import task


@task()
def compute_month_dues(unit_id, month_iso):
    """Compute the dues of ``unit_id``'s subtree for the month ``month_iso`` (YYYY-MM-DD); the number computed."""
    from dangbo.fees import services
    from dangbo.org.models import OrgUnit

    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        return 0
    return services.compute_dues(unit, datetime.date.fromisoformat(month_iso))
