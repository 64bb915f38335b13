"""Every unit has a code (issue on history §6): units without one get their parent's code, a dot and their
rank among its children on two digits ("01", "01.03", "01.03.02"), in path order; a code already taken is
skipped."""

from django.db import migrations


def fill_codes(apps, schema_editor):
    OrgUnit = apps.get_model("org", "OrgUnit")
    taken = {c.lower() for c in OrgUnit.objects.exclude(code="").values_list("code", flat=True)}
    codes = dict(OrgUnit.objects.values_list("pk", "code"))
    children = {}
    for pk, parent_id in OrgUnit.objects.order_by("path", "pk").values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    changed = []

    def walk(parent_id):
        prefix = f"{codes[parent_id]}." if parent_id is not None and codes[parent_id] else ""
        n = 0
        for pk in children.get(parent_id, []):
            if not codes[pk]:
                while True:
                    n += 1
                    code = f"{prefix}{n:02d}"
                    if len(code) > 32:
                        prefix, code = "DV", f"DV{n:02d}"
                    if code.lower() not in taken:
                        break
                taken.add(code.lower())
                codes[pk] = code
                changed.append(pk)
            else:
                n += 1
        for pk in children.get(parent_id, []):
            walk(pk)

    walk(None)
    batch = []
    for pk in changed:
        batch.append(OrgUnit(pk=pk, code=codes[pk]))
    OrgUnit.objects.bulk_update(batch, ["code"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
