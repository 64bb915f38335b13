"""Committee and consultation figures of a subtree for a period (core.figures), over the subtree as it stood
on the period's last day (``dangbo.org.dated``): a cell moved away after the period still counts where it
stood (seed 002's "bổ sung, kiện toàn cấp ủy thuộc 19 chi, đảng bộ cơ sở")."""

from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.committees import services, stats
from dangbo.committees.models import GoodModel, Proposal, Session
from dangbo.core.figures import Figure
from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit


def period_figures(unit, start, end):
    units = OrgUnit.objects.filter(pk__in=subtree_on(unit, end))
    make_up = stats.composition(end, units)
    committees = _("Committees and cadres")
    consult = _("Consultations and proposals")
    proposals = Proposal.objects.filter(unit_id__in=units.values("pk"))
    sessions = (
        Session.objects.filter(held_on__gte=start, held_on__lte=end)
        .filter(Q(unit_id__in=units.values("pk")) | Q(invited__in=units.values("pk")))
        .distinct()
    )
    overdue = proposals.filter(due_on__lt=end).filter(Q(answered_on__isnull=True) | Q(answered_on__gt=end))
    overdue = overdue.filter(submitted_on__lte=end)
    return [
        Figure(
            "committees.reinforced_units",
            _("Organizations whose committee was reinforced"),
            len(services.reinforced_units(units, start, end)),
            committees,
        ),
        Figure("committees.units_with_committee", _("Organizations with a committee"), make_up["units"], committees),
        Figure("committees.committee_members", _("Committee members"), make_up["members"], committees),
        Figure(
            "committees.women_percent", _("Women among committee members"), make_up["women_percent"], committees, "%"
        ),
        Figure(
            "committees.under_40_percent", _("Committee members under 40"), make_up["under_40_percent"], committees, "%"
        ),
        Figure(
            "committees.university_percent",
            _("Committee members with a university degree"),
            make_up["university_percent"],
            committees,
            "%",
        ),
        Figure("consultations.sessions", _("Consultations held"), sessions.count(), consult),
        Figure(
            "consultations.proposals",
            _("Proposals received"),
            proposals.filter(submitted_on__gte=start, submitted_on__lte=end).count(),
            consult,
        ),
        Figure(
            "consultations.answered",
            _("Proposals answered"),
            proposals.filter(published_on__gte=start, published_on__lte=end).count(),
            consult,
        ),
        Figure("consultations.overdue", _("Proposals with an overdue answer"), overdue.count(), consult),
        Figure(
            "models.published",
            _("Good models published"),
            GoodModel.objects.filter(
                unit_id__in=units.values("pk"), published_on__gte=start, published_on__lte=end
            ).count(),
            consult,
        ),
    ]
