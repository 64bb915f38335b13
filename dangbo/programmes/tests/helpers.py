"""Fixtures shared by this app's tests and access cases."""

import datetime
from decimal import Decimal

from dangbo.documents.models import Document
from dangbo.programmes import services
from dangbo.programmes.models import Indicator

D = datetime.date
INC = Indicator.Direction.INCREASE
DEC = Indicator.Direction.DECREASE


def resolution(cast):
    return Document.objects.get_or_create(
        number="57-NQ/TW",
        defaults={
            "kind": Document.Kind.RESOLUTION,
            "title": "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
            "issued_on": D(2024, 12, 22),
            "issuer": "Bộ Chính trị",
            "unit": cast.bloc,
        },
    )[0]


START, END = D(2026, 1, 1), D(2026, 12, 31)


def bloc_programme(cast, *, starts_on=START, ends_on=END):
    """A bloc programme: two indicators (a rate that rises, a count that falls) and two tasks."""
    p = services.create_programme(
        unit=cast.bloc,
        title="Chương trình thực hiện Nghị quyết 57-NQ/TW",
        document=resolution(cast),
        adopted_on=D(2025, 12, 15),
        starts_on=starts_on,
        ends_on=ends_on,
        report_due_days=10,
        actor=None,
    )
    services.add_indicator(
        programme=p,
        name="Văn bản xử lý trên môi trường mạng",
        measure="%",
        baseline=Decimal(40),
        target=Decimal(90),
        direction=INC,
        actor=None,
    )
    services.add_indicator(
        programme=p,
        name="Hồ sơ giấy lưu hành",
        measure="hồ sơ",
        baseline=Decimal(200),
        target=Decimal(50),
        direction=DEC,
        actor=None,
    )
    services.add_task(
        programme=p, title="Ban hành kế hoạch chuyển đổi số", owner_unit=cast.bloc, due_on=D(2026, 3, 31), actor=None
    )
    services.add_task(
        programme=p,
        title="Triển khai sổ tay đảng viên điện tử",
        owner_unit=cast.bloc,
        due_on=D(2026, 12, 31),
        actor=None,
    )
    return p


def adopted(cast, unit=None, parent=None):
    parent = parent or bloc_programme(cast)
    return services.adopt_programme(parent=parent, unit=unit or cast.gr_a, adopted_on=D(2026, 1, 10), actor=None)


def report(child, period_start=START, values=(50, 180), state="draft", **kw):
    inds = list(child.indicators.all())
    r = services.save_report(
        programme=child,
        period_start=period_start,
        values={i: Decimal(v) for i, v in zip(inds, values, strict=False)},
        tasks=kw.pop("tasks", {}),
        narrative="Đã triển khai",
        actor=None,
        **kw,
    )
    if state in ("submitted", "accepted", "returned"):
        r = services.submit_report(report=r, actor=None)
    if state == "accepted":
        r = services.review_report(report=r, accept=True, actor=None)
    if state == "returned":
        r = services.review_report(report=r, accept=False, note="Bổ sung số liệu", actor=None)
    return r


DEADLINE = D(2027, 1, 15)


def contest(cast, unit=None, *, deadline=DEADLINE, quota=2):
    return services.create_event(
        unit=unit or cast.bloc,
        kind="contest",
        title="Hội thi báo cáo viên, tuyên truyền viên giỏi năm 2027",
        starts_on=D(2027, 2, 1),
        ends_on=D(2027, 2, 2),
        registration_deadline=deadline,
        quota_per_unit=quota,
        actor=None,
    )
