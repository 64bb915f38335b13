from dangbo.testing import EVERYONE, STAFF, Case

CASES = [
    Case("members:list", allowed=STAFF),
    Case("members:export", allowed=STAFF),
    Case("members:correct", kwargs=lambda c: {"pk": c.m_a1_other.pk}, allowed={"bloc", "staff_a", "secretary_a1"}),
    Case(
        "members:detail",
        kwargs=lambda c: {"pk": c.m_a1.pk},
        allowed={"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"},
    ),
    Case("members:detail", kwargs=lambda c: {"pk": c.m_b1.pk}, allowed={"bloc", "inspector", "staff_b"}),
]


def _import(cast):
    from dangbo.members.models import MemberImport

    imp = MemberImport.objects.create(unit=cast.gr_a, created_by=cast.staff_a, file_name="ds.xlsx", total=0)
    return {"pk": imp.pk}


WRITERS = {"bloc", "staff_a", "secretary_a1", "staff_b"}
CASES += [
    Case("members:import", allowed=WRITERS),
    Case("members:import_template", allowed=WRITERS),
    Case("members:import_detail", kwargs=_import, allowed={"staff_a"}),
    Case("members:import_step", kwargs=_import, allowed={"staff_a"}, method="post"),
    Case("members:import_commit", kwargs=_import, allowed={"staff_a"}, method="post"),
]


def _member_with_photo(cast):
    from django.core.files.base import ContentFile

    from dangbo.members.models import Member

    member = Member.objects.get(pk=cast.m_a1.pk)
    if not member.photo:
        member.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xd9"), save=True)
    return {"pk": member.pk}


CASES += [
    Case(
        "members:photo",
        kwargs=_member_with_photo,
        allowed={"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"},
    ),
    Case(
        "members:photo_upload",
        kwargs=lambda c: {"pk": c.m_a1_other.pk},
        allowed={"bloc", "staff_a", "secretary_a1"},
        method="post",
    ),
    Case("members:wards", allowed=EVERYONE, query="?residence_province=40"),
]
