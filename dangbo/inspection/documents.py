"""The discipline decision (quyết định thi hành kỷ luật) and the inspection conclusion (thông báo kết luận)
as Word files, from the templates written by ``docx/make_templates.py``."""

from pathlib import Path

from dangbo.core import docx
from dangbo.inspection import services
from dangbo.inspection.models import Body, Case, Subject, Vote

TEMPLATES = Path(__file__).resolve().parent / "docx"
# Document text is Vietnamese whatever the reader's language: it is a party document.
SUBJECT_NAMES = {
    Subject.COMMITTEE: "Ban Chấp hành",
    Subject.STANDING: "Ban Thường vụ",
    Subject.COMMISSION: "Ủy ban Kiểm tra",
    Subject.CELL: "Chi bộ",
}
BODY_NAMES = {
    Body.CELL: "T/M CHI BỘ\nBÍ THƯ",
    Body.COMMITTEE: "T/M ĐẢNG ỦY",
    Body.STANDING: "T/M BAN THƯỜNG VỤ",
    Body.COMMISSION: "T/M ỦY BAN KIỂM TRA\nCHỦ NHIỆM",
    Body.CELL_COMMITTEE: "T/M CHI ỦY",
}
KIND_WORDS = {
    Case.Kind.REGULAR: "giám sát thường xuyên",
    Case.Kind.THEMATIC: "giám sát chuyên đề",
    Case.Kind.THEMATIC_INSPECTION: "kiểm tra",
    Case.Kind.VIOLATION: "kiểm tra khi có dấu hiệu vi phạm",
    Case.Kind.IMPLEMENTATION: "kiểm tra việc thực hiện nghị quyết",
}


def _d(day):
    return day.strftime("%d/%m/%Y") if day else "…"


def _head(unit, number, day):
    parent = unit.parent if unit.parent_id else unit
    return {
        "parent_upper": parent.name.upper(),
        "issuer_upper": unit.name.upper(),
        "number": number or "…",
        "place": "",
        "day": f"{day.day:02d}" if day else "…",
        "month": f"{day.month:02d}" if day else "…",
        "year": day.year if day else "…",
        "signer": "",
    }


def _render(name, ctx):
    return docx.render(TEMPLATES / name, ctx)


def decision(case):
    from dangbo.inspection.models import FORM_NOTE

    member = case.member
    votes = [
        {
            "stage": "đề nghị" if v.stage == Vote.Stage.PROPOSAL else "quyết định",
            "day": _d(v.held_on),
            "in_favour": v.in_favour,
            "total": v.total,
            "percent": round(100 * v.in_favour / v.total) if v.total else 0,
        }
        for v in case.votes.filter(passed=True)
    ]
    ctx = {
        **_head(case.deciding_unit, case.decision_no, case.decided_on),
        "object_kind": "đảng viên" if member else "tổ chức đảng",
        "object_name": f"đồng chí {member.full_name}" if member else case.org.name,
        "unit": member.unit.name if member else "",
        "unit_or_issuer": member.unit.name if member else case.org.name,
        "violation": case.violation,
        "violation_day": _d(case.violation_on),
        "heard": _d(case.heard_on) if case.heard_on else "",
        "votes": votes,
        "form_upper": FORM_NOTE[case.form].upper(),
        "effective_day": _d(case.effective_on),
        "appeal_days": (services.appeal_deadline(case) - (case.received_on or case.decided_on)).days,
        "signer_role": BODY_NAMES[case.deciding_body],
    }
    return _render("quyet-dinh-ky-luat.docx", ctx)


def conclusion(case):
    targets = case.targets.select_related("org", "member")
    ctx = {
        **_head(case.subject_unit, case.conclusion_no, case.concluded_on),
        "kind": KIND_WORDS[case.kind],
        "issuer": f"{SUBJECT_NAMES[case.subject]} {case.subject_unit.name}",
        "decision_no": case.decision_no,
        "started": _d(case.started_on),
        "leader": case.team_leader or "…",
        "object": case.unit.name,
        "title": case.title,
        "orgs": [t.org.name for t in targets if t.org_id],
        "members": [t.member.full_name for t in targets if t.member_id],
        "conclusion": case.conclusion,
        "recommendations": [r.text for r in case.recommendations.all()],
        "signer_role": "T/M " + SUBJECT_NAMES[case.subject].upper(),
    }
    return _render("thong-bao-ket-luan.docx", ctx)
