from itertools import groupby

from django.db import migrations


def fill(apps, schema_editor):
    # Same derivation as dangbo.members.intervals.rebuild_intervals, on historical models.
    MemberEvent = apps.get_model("members", "MemberEvent")
    MemberInterval = apps.get_model("members", "MemberInterval")
    events = MemberEvent.objects.order_by("member_id", "date", "id").values_list(
        "member_id", "date", "to_unit_id", "status_after"
    )
    rows = []
    for member_id, member_events in groupby(events.iterator(chunk_size=5000), key=lambda e: e[0]):
        unit_id = status = current = None
        for _m, day, to_unit_id, status_after in member_events:
            unit_id = to_unit_id or unit_id
            status = status_after or status
            if unit_id is None or status is None:
                continue
            if current is not None:
                if current.valid_from == day:
                    rows.pop()
                else:
                    current.valid_to = day
            current = MemberInterval(member_id=member_id, unit_id=unit_id, status=status, valid_from=day)
            rows.append(current)
    MemberInterval.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_add_member_interval")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
