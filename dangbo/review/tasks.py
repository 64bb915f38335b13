"""Background tasks of the review (django-tasks; the database backend's worker runs them: `manage.py db_worker`)."""

from django_tasks import task


@task()
def fill_period(period_id):
    """The member reviews of a period being opened, in batches (``services.fill_members``)."""
    from dangbo.review.services import fill_members

    return fill_members(period_id)
