"""Personal data (Nghị định 13/2023/NĐ-CP): a member downloads everything about them; the bloc office
exports everything about one member; both are written to the audit log."""

import datetime
import json

from django.urls import reverse

from dangbo.core.audit import record, record_read
from dangbo.core.models import AuditLog
from dangbo.core.notify import notify


def _json(resp):
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")
    assert resp["Content-Disposition"].startswith("attachment;")
    return json.loads(resp.content)


def test_a_member_downloads_their_own_record(cast, login):
    notify(users=[cast.member_a1], title="Họp chi bộ tháng 12", kind="meetings.notice")
    notify(users=[cast.staff_a], title="someone else's", kind="x")
    record_read(user=cast.secretary_a1, member=cast.m_a1, view="detail")
    record(actor=cast.staff_a, action="member.correct", obj=cast.m_a1, unit=cast.cell_a1, changes={"phone": ["", "1"]})
    data = _json(login(cast.member_a1).get(reverse("core:my_data")))
    assert data["member"]["id"] == cast.m_a1.pk and data["member"]["full_name"] == "Lê Thị Hoa"
    assert data["user"]["username"] == "member_a1"
    assert "password" not in data["user"]
    titles = [n["title"] for n in data["related"]["core.Notification"]]
    assert titles == ["Họp chi bộ tháng 12"]
    assert {r["role"] for r in data["related"]["accounts.RoleAssignment"]} == {"member"}
    # Who opened or changed the dossier: when and what, without naming the official.
    assert data["dossier_reads"] and "user" not in data["dossier_reads"][0]
    assert data["dossier_changes"][0]["action"] == "member.correct" and "actor" not in data["dossier_changes"][0]
    assert "secretary_a1" not in json.dumps(data) and "staff_a" not in json.dumps(data)
    assert AuditLog.objects.filter(action="personal_data.export_own", actor=cast.member_a1).count() == 1


def test_staff_without_a_member_record_get_their_account_data(cast, login):
    data = _json(login(cast.staff_b).get(reverse("core:my_data")))
    assert data["member"] is None and data["user"]["username"] == "staff_b"


def test_the_bloc_office_exports_everything_about_one_member(cast, login):
    from dangbo.members.models import MemberEvent

    record_read(user=cast.secretary_a1, member=cast.m_a1, view="detail")
    MemberEvent.objects.create(member=cast.m_a1, kind="admitted", date=datetime.date(2015, 5, 19), decision_no="12-QĐ")
    MemberEvent.objects.create(member=cast.m_b1, kind="admitted", date=datetime.date(2016, 5, 19), decision_no="99-QĐ")
    data = _json(login(cast.bloc_user).get(reverse("core:member_data", args=[cast.m_a1.pk])))
    assert data["member"]["national_id"] == cast.m_a1.national_id
    assert data["dossier_reads"][0]["user"] == str(cast.secretary_a1)
    assert [e["decision_no"] for e in data["related"]["members.MemberEvent"]] == ["12-QĐ"]
    entry = AuditLog.objects.get(action="personal_data.export")
    assert entry.actor == cast.bloc_user and entry.object_id == str(cast.m_a1.pk)
    # The member page links to it for the bloc office only.
    page = login(cast.bloc_user).get(reverse("members:detail", args=[cast.m_a1.pk])).content.decode()
    assert reverse("core:member_data", args=[cast.m_a1.pk]) in page
    page = login(cast.staff_a).get(reverse("members:detail", args=[cast.m_a1.pk])).content.decode()
    assert reverse("core:member_data", args=[cast.m_a1.pk]) not in page
    assert login(cast.staff_a).get(reverse("core:member_data", args=[cast.m_a1.pk])).status_code == 404
    assert login(cast.bloc_user).get(reverse("core:member_data", args=[999999])).status_code == 404
