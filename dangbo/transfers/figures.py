"""Transfer figures for periodic reports (see dangbo.core.figures): transfers completed in the period, as
in the transfers report (dangbo.transfers.stats.transfer_report): received into the subtree, sent out of
it, and official moves between two units of the subtree."""

from django.db.models import Q

from dangbo.reports.labels import figure
from dangbo.transfers.models import Transfer


def period_figures(unit, start, end):
    K = Transfer.Kind
    done = Q(kind=K.OFFICIAL_OUT, record_sent_on__gte=start, record_sent_on__lte=end) | (
        ~Q(kind=K.OFFICIAL_OUT) & Q(received_on__gte=start, received_on__lte=end)
    )
    rows = (
        Transfer.objects.filter(done)
        .exclude(state=Transfer.State.CANCELLED)
        .filter(Q(from_unit__path__startswith=unit.path) | Q(to_unit__path__startswith=unit.path))
        .values_list("kind", "from_unit__path", "to_unit__path")
    )
    n = {"received": 0, "sent_out": 0, "internal": 0, "temporary_received": 0, "temporary_sent_out": 0}
    for kind, src, dst in rows:
        inside_src = bool(src) and src.startswith(unit.path)
        inside_dst = bool(dst) and dst.startswith(unit.path)
        prefix = "temporary_" if kind == K.TEMPORARY else ""
        if inside_src and inside_dst:
            if not prefix:
                n["internal"] += 1
        elif inside_dst:
            n[f"{prefix}received"] += 1
        else:
            n[f"{prefix}sent_out"] += 1
    return [figure(f"transfers.{k}", v) for k, v in n.items()]
