"""Demo data of new-member development: candidates at every stage in the demo committee's cells, the
probationers already in the registry as candidates on probation, and 2026 targets so that the progress
page reads like the seeds ("237 admitted = 53% of the plan")."""

import datetime

from django.db.models import Count

from dangbo.admission.models import Candidate, DossierItem, Introducer, Target, Vote
from dangbo.members.models import Member, MemberEvent
from dangbo.org.models import OrgUnit

YEAR = 2026
STAGES = ["candidate", "candidate", "dossier_complete", "cell_approved", "committee_approved", "decided"]
NAMES = [
    ("Nguyễn Thị Minh Thư", "F", "Chuyên viên"),
    ("Trần Quốc Bảo", "M", "Kế toán viên"),
    ("Lê Hoàng Yến", "F", "Chuyên viên"),
    ("Phạm Đức Thắng", "M", "Cán sự"),
    ("Võ Thị Kim Ngân", "F", "Chuyên viên"),
    ("Đặng Minh Khoa", "M", "Chuyên viên"),
]
PAPERS = [DossierItem.Kind.APPLICATION, DossierItem.Kind.HISTORY, DossierItem.Kind.VERIFICATION,
          DossierItem.Kind.MASS_COMMENTS, DossierItem.Kind.RESIDENCE_COMMENTS]  # fmt: skip


def build(builder):
    rng = builder.rng
    finance = builder.units["finance"]
    cells = list(OrgUnit.objects.active().in_subtree(finance).filter(kind__in=OrgUnit.CELL_KINDS).order_by("path"))
    for i, (name, sex, job) in enumerate(NAMES):
        cell = cells[i % len(cells)]
        stage = STAGES[i]
        officials = list(Member.objects.filter(unit=cell, status=Member.Status.OFFICIAL).order_by("pk")[:3])
        c = Candidate(
            cell=cell,
            sex=sex,
            birth_date=datetime.date(rng.randint(1994, 2002), rng.randint(1, 12), rng.randint(1, 28)),
            occupation=job,
            hometown="Đồng Tháp",
            helper=officials[0] if officials else None,
            certificate_no=f"CN-{rng.randint(1000, 9999)}",
            certificate_date=datetime.date(2026, 3, 20),
            stage=stage,
        )
        c.set_name(name)
        if stage == "decided":
            c.decision_no, c.decision_date, c.decision_received = (
                "312-QĐ/ĐU",
                datetime.date(2026, 10, 20),
                datetime.date(2026, 10, 22),
            )
        c.save()
        for k, paper in enumerate(PAPERS[: 2 if i == 0 else 5]):
            DossierItem.objects.create(candidate=c, kind=paper, received_on=datetime.date(2026, 4, 1 + k))
        if i > 0:
            for m in officials[1:3]:
                Introducer.objects.create(candidate=c, member=m, together_since=datetime.date(2020, 1, 1))
        levels = {
            "cell_approved": ["cell"],
            "committee_approved": ["cell", "committee"],
            "decided": ["cell", "committee"],
        }
        for level in levels.get(stage, []):
            n = len(Member.objects.filter(unit=cell, status=Member.Status.OFFICIAL))
            Vote.objects.create(
                candidate=c,
                level=level,
                date=datetime.date(2026, 9, 10 if level == "cell" else 25),
                denominator=n if level == "cell" else 7,
                in_favour=n if level == "cell" else 6,
                threshold=[2, 3],
                passed=True,
            )
    # The probationers of the registry are candidates on probation (their pipeline began before the system).
    for m in Member.objects.filter(status=Member.Status.PROBATIONARY, unit__path__startswith=finance.path):
        c = Candidate(
            cell=m.unit,
            sex=m.sex,
            birth_date=m.birth_date,
            occupation=m.position,
            stage="probation",
            member=m,
            decision_no=f"{rng.randint(100, 400)}-QĐ/ĐU",
            decision_date=m.admission_date - datetime.timedelta(days=20),
            ceremony_date=m.admission_date,
        )
        c.set_name(m.full_name)
        c.save()
    # 2026 targets: the bloc's plan makes this year's admissions about 53 % of it (the first seed).
    bloc = builder.bloc
    admitted = MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED, date__year=YEAR).count()
    Target.objects.create(unit=bloc, year=YEAR, count=max(1, round(admitted / 0.53)))
    per_unit = (
        MemberEvent.objects.filter(kind=MemberEvent.Kind.ADMITTED, date__year=YEAR)
        .values("to_unit__path")
        .annotate(n=Count("pk"))
    )
    grassroots = {u.path: u for u in OrgUnit.objects.active().grassroots()}
    counts = {}
    for row in per_unit:
        path = "/".join(row["to_unit__path"].split("/")[:3]) + "/"
        if path in grassroots:
            counts[path] = counts.get(path, 0) + row["n"]
    for path, n in sorted(counts.items()):
        Target.objects.create(unit=grassroots[path], year=YEAR, count=n + rng.randint(0, 3))
