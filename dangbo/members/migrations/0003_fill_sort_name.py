import unicodedata

from django.db import migrations


def _fold(text):
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.replace("đ", "d").replace("Đ", "D").lower().split())


def fill(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    batch = []
    for m in Member.objects.only("pk", "full_name").iterator(chunk_size=2000):
        words = _fold(m.full_name).split()
        m.sort_name = " ".join(words[-1:] + words[:-1])
        batch.append(m)
        if len(batch) >= 2000:
            Member.objects.bulk_update(batch, ["sort_name"])
            batch = []
    Member.objects.bulk_update(batch, ["sort_name"])


class Migration(migrations.Migration):
    dependencies = [("members", "0002_add_member_sort_name")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
