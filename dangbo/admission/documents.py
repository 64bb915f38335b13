"""The admission dossier's forms as Word files, filled from the candidate's and the units' data."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangbo.admission import services
from dangbo.admission.models import Vote
from dangbo.core import docx
from dangbo.org.models import OrgUnit

TEMPLATES = Path(__file__).resolve().parent / "docx"
FORMS = {
    "6": gettext_lazy("Cell resolution on admission (6-KNĐ)"),
    "9": gettext_lazy("Admission decision (9-KNĐ)"),
    "14": gettext_lazy("Cell resolution on recognition (14-KNĐ)"),
    "16": gettext_lazy("Recognition decision (16-KNĐ)"),
}
EXCLUDED = services.EXCLUSION_REASONS


def _d(day):
    return day.strftime("%d/%m/%Y") if day else "…"


def available(candidate):
    """Form codes that can be filled now (their vote or decision exists)."""
    votes = {v.level for v in candidate.votes.all() if v.passed}
    codes = []
    if Vote.Level.CELL in votes:
        codes.append("6")
    if Vote.Level.COMMITTEE in votes:
        codes.append("9")
    if Vote.Level.RECOGNITION in votes:
        codes.append("14")
        codes.append("16")
    return codes


def _issuer(cell):
    """The committee that signs decisions for the cell: its grassroots committee, or the bloc above a
    grassroots cell."""
    ids = cell.ancestor_ids(include_self=True)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    chain = [units[i] for i in ids if i in units]
    if cell.kind == OrgUnit.Kind.GRASSROOTS_CELL:
        issuer = chain[-2] if len(chain) > 1 else cell
    else:
        issuer = next((u for u in chain if u.kind in OrgUnit.GRASSROOTS_KINDS), cell)
    parent = next((u for u in reversed(chain) if u.depth < issuer.depth), issuer)
    return issuer, parent


def render(candidate, code):
    if code not in available(candidate):
        raise ValidationError(_("This form cannot be filled yet."))
    votes = {v.level: v for v in candidate.votes.filter(passed=True).order_by("date")}
    vote = votes.get(Vote.Level.RECOGNITION if code in ("14", "16") else Vote.Level.CELL)
    issuer, parent = _issuer(candidate.cell)
    day = {"6": vote.date, "9": candidate.decision_date, "14": vote.date, "16": candidate.recognition_decision_date}[
        code
    ]
    number = {"9": candidate.decision_no, "16": candidate.recognition_decision_no}.get(code, "…")
    ctx = {
        "parent_upper": parent.name.upper(),
        "issuer_upper": (candidate.cell if code in ("6", "14") else issuer).name.upper(),
        "issuer": issuer.name,
        "cell": candidate.cell.name,
        "number": number or "…",
        "place": "",
        "day": f"{day.day:02d}" if day else "…",
        "month": f"{day.month:02d}" if day else "…",
        "year": day.year if day else "…",
        "name": candidate.full_name,
        "birth": _d(candidate.birth_date),
        "hometown": candidate.hometown or "…",
        "occupation": candidate.occupation or "…",
        "vote_day": _d(vote.date),
        "cell_vote_day": _d(votes[Vote.Level.CELL].date) if Vote.Level.CELL in votes else "…",
        "committee_vote_day": _d(votes[Vote.Level.COMMITTEE].date) if Vote.Level.COMMITTEE in votes else "…",
        "denominator": vote.denominator,
        "in_favour": vote.in_favour,
        "against": vote.against,
        "percent": round(100 * vote.in_favour / vote.denominator) if vote.denominator else 0,
        "excluded": [f"{e['name']} ({EXCLUDED.get(e['reason'], e['reason'])})" for e in vote.excluded],
        "introducers": [i.member.full_name for i in candidate.introducers.select_related("member")],
        "ceremony": _d(candidate.ceremony_date),
        "decision_no": candidate.decision_no or "…",
        "decision_day": _d(candidate.decision_date),
        "probation_end": _d(services.probation_end(candidate)) if candidate.ceremony_date else "…",
        "signer": "",
    }
    return docx.render(TEMPLATES / f"{code}-KND.docx", ctx)
