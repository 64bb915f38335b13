"""Loading and withdrawing table files (the bloc office), audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangbo.core.audit import record
from dangbo.stattables import registry
from dangbo.stattables.models import TableFile


@transaction.atomic
def upload_table(*, content, file_name, effective_from, note="", actor):
    """Check the file and keep it, in force from ``effective_from``; ValidationError with every fault."""
    try:
        table = registry.parse_file(content)
    except registry.TableError as err:
        raise ValidationError(err.errors)
    if table["_end"] is not None and table["_end"] < effective_from:
        message = _("The file says it applies only until %(day)s, before the day it would come into force.")
        raise ValidationError(message % {"day": table["_end"].strftime("%d/%m/%Y")})
    data = {k: v for k, v in table.items() if not k.startswith("_")}
    tf = TableFile.objects.create(
        family=table["family"],
        code=table["code"],
        title=table["title"],
        effective_from=effective_from,
        data=data,
        file_name=file_name[:255],
        note=note.strip(),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record(
        actor=actor,
        action="stattables.upload",
        obj=tf,
        changes={"effective_from": [None, effective_from], "code": [None, tf.code]},
        note=tf.file_name,
    )
    return tf


@transaction.atomic
def withdraw_table(*, table_file, actor):
    tf = TableFile.objects.select_for_update().get(pk=table_file.pk)
    if not tf.active:
        raise ValidationError(_("This table file is already withdrawn."))
    tf.active = False
    tf.save(update_fields=["active"])
    record(actor=actor, action="stattables.withdraw", obj=tf, changes={"active": [True, False]})
    return tf
