"""Member-level services used by other apps. The member registry proper
(admission, transfers, exits) builds on these."""

from django.db import transaction

from dangbo.core.audit import record
from dangbo.members.intervals import rebuild_intervals
from dangbo.members.models import Member, MemberEvent


@transaction.atomic
def reassign_members(*, members, to_unit, date, decision_no="", actor, note="", kind=MemberEvent.Kind.UNIT_CHANGED):
    """Move ``members`` (a queryset) to ``to_unit`` with one event each, in bulk."""
    moved = list(members.select_related("unit"))
    events = [
        MemberEvent(
            member=m,
            kind=kind,
            date=date,
            from_unit_id=m.unit_id,
            to_unit=to_unit,
            status_after=m.status,
            decision_no=decision_no,
            actor=actor if getattr(actor, "pk", None) else None,
            note=note,
        )
        for m in moved
    ]
    MemberEvent.objects.bulk_create(events, batch_size=1000)
    Member.objects.filter(pk__in=[m.pk for m in moved]).update(unit=to_unit)
    rebuild_intervals([m.pk for m in moved])
    if moved:
        record(
            actor=actor,
            action="members.reassign",
            obj=to_unit,
            unit=to_unit,
            changes={"members": [None, len(moved)]},
            note=note or decision_no,
        )
    return len(moved)


# Fields of the dossier that a correction may change (DOMAIN.md §2: no self-correction; a change
# needs the competent committee's written approval, recorded with the change).
CORRECTABLE = [
    "full_name",
    "other_names",
    "sex",
    "birth_date",
    "birth_place",
    "national_id",
    "hometown",
    "residence_province",
    "residence_ward",
    "residence_address",
    "occupation",
    "ethnicity",
    "religion",
    "general_education",
    "qualification",
    "theory_level",
    "position",
]


@transaction.atomic
def correct_member(*, member, changes, approval_document, approval_date, actor):
    """Apply ``changes`` (field → new value) to the dossier with the approving document.

    Writes a CORRECTED event naming the document and an audit row with old → new.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from dangbo.core.audit import diff, snapshot

    if not approval_document.strip():
        raise ValidationError(_("A correction needs the number of the approving document."))
    before = snapshot(member, CORRECTABLE)
    for field, value in changes.items():
        if field not in CORRECTABLE:
            raise ValidationError(_("%(field)s cannot be corrected here.") % {"field": field})
        if field == "full_name":
            member.set_name(value)
        else:
            setattr(member, field, value)
    changed = diff(before, snapshot(member, CORRECTABLE))
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    member.national_id = member.national_id or None
    member.full_clean()
    member.save()
    MemberEvent.objects.create(
        member=member,
        kind=MemberEvent.Kind.CORRECTED,
        date=approval_date,
        decision_no=approval_document.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
        note=", ".join(str(member._meta.get_field(f).verbose_name) for f in changed),
    )
    record(
        actor=actor,
        action="members.correct",
        obj=member,
        unit=member.unit,
        changes=changed,
        note=approval_document.strip(),
    )
    return changed


@transaction.atomic
def set_photo(*, member, image, actor):
    """Store ``image`` (an uploaded file Pillow can open) as the member's photo: re-encoded as JPEG at
    most 600×800, without the original's metadata (location, camera)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import ImageOps

    from dangbo.core.uploads import open_image

    with open_image(image) as im:  # refused before decoding when it has too many pixels
        im.draft("RGB", (1200, 1600))  # a JPEG is decoded at a reduced scale, not in full
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((600, 800))
        out = io.BytesIO()
        im.save(out, "JPEG", quality=85)
    old = member.photo.name
    member.photo.save("photo.jpg", ContentFile(out.getvalue()), save=True)
    if old:
        member.photo.storage.delete(old)
    record(actor=actor, action="members.photo", obj=member, unit=member.unit, changes={"photo": [bool(old), True]})
