"""Transfer figures for periodic reports (see dangbo.core.figures): transfers completed in the period, as
in the transfers report (dangbo.transfers.stats.transfer_report): received into the subtree, sent out of
it, both together (seed 002's "tiếp nhận và giới thiệu chuyển sinh hoạt đảng cho 118 đảng viên"), and
official moves between two units of the subtree. The subtree is the tree of the period's last day
(``dangbo.org.dated``): a cell moved away after the period still counts where it stood."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangbo.core.figures import Figure
from dangbo.org.dated import subtree_on
from dangbo.org.models import OrgUnit
from dangbo.reports.labels import MOVEMENTS, figure
from dangbo.transfers.models import Transfer


def period_figures(unit, start, end):
    K = Transfer.Kind
    done = Q(kind=K.OFFICIAL_OUT, record_sent_on__gte=start, record_sent_on__lte=end) | (
        ~Q(kind=K.OFFICIAL_OUT) & Q(received_on__gte=start, received_on__lte=end)
    )
    inside = set(OrgUnit.objects.filter(pk__in=subtree_on(unit, end)).values_list("pk", flat=True))
    rows = (
        Transfer.objects.filter(done)
        .exclude(state=Transfer.State.CANCELLED)
        .filter(Q(from_unit_id__in=inside) | Q(to_unit_id__in=inside))
        .values_list("kind", "from_unit_id", "to_unit_id")
    )
    n = {"received": 0, "sent_out": 0, "internal": 0, "temporary_received": 0, "temporary_sent_out": 0}
    for kind, src, dst in rows:
        inside_src = src in inside
        inside_dst = dst in inside
        prefix = "temporary_" if kind == K.TEMPORARY else ""
        if inside_src and inside_dst:
            if not prefix:
                n["internal"] += 1
        elif inside_dst:
            n[f"{prefix}received"] += 1
        else:
            n[f"{prefix}sent_out"] += 1
    return [figure(f"transfers.{k}", v) for k, v in n.items()] + [
        Figure(
            key="transfers.received_and_sent_out",
            label=_("Members received or introduced to other organizations"),
            value=n["received"] + n["sent_out"],
            section=MOVEMENTS,
        )
    ]
