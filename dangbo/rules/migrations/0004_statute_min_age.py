"""The minimum admission age of 18 predates Quy định 294: the Party Statute (2011), Article 1, admits
citizens "from eighteen years of age". Registering it from 19/01/2011 lets an import of historical
members check their admission age on the date they were admitted."""

import datetime

from django.db import migrations

STATUTE_FROM = datetime.date(2011, 1, 19)


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    first = RuleVersion.objects.filter(rule__key="admission.age_min_months", scope_unit__isnull=True).order_by(
        "effective_from"
    )
    first = first.first()
    if first is None or first.effective_from <= STATUTE_FROM:
        return
    RuleVersion.objects.create(
        rule_id=first.rule_id,
        value=216,
        legal_basis="Điều lệ Đảng (Đại hội XI, 2011), Điều 1: công dân Việt Nam từ mười tám tuổi trở lên",
        effective_from=STATUTE_FROM,
        effective_to=first.effective_from,
        verified=True,
    )


def unseed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    RuleVersion.objects.filter(rule__key="admission.age_min_months", effective_from=STATUTE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_seed_more_rules")]
    operations = [migrations.RunPython(seed, unseed)]


# tests/browser/conftest.py seeds the rules again after a transactional test flushed them.
seed_rules = seed
