"""Background tasks of the member registry (django-tasks; run by `manage.py worker`)."""

from django_tasks import task


@task()
def commit_member_import(import_id):
    """Write every row of an import the user asked to commit (``importer.request_commit``), or nothing."""
    from dangbo.members import importer
    from dangbo.members.models import MemberImport

    imp = MemberImport.objects.select_related("commit_requested_by").filter(pk=import_id).first()
    if imp is None or imp.state != MemberImport.State.COMMITTING:
        return None  # deleted, or done by an earlier run
    return importer.commit_import(imp, actor=imp.commit_requested_by).state
