"""Figures of the document library for periodic reports.

- ``documents.published``: documents (and news) distributed during the period to the unit's subtree or
  to a unit above it (the whole tree);
- ``documents.read_percent``: of the members of the subtree reached by those documents, the share who
  have opened them (receipts over recipients, summed over the documents).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from dangbo.core.figures import Figure
from dangbo.documents import reach
from dangbo.documents.models import Document, Target


def documents_reaching(unit, start, end):
    ancestors = unit.ancestor_ids(include_self=True)
    reaching = Target.objects.filter(
        distribution__sent_on__gte=start,
        distribution__sent_on__lte=end,
    ).filter(Q(unit__path__startswith=unit.path) | Q(kind=Target.Kind.SUBTREE, unit_id__in=ancestors))
    return Document.objects.filter(pk__in=reaching.values("distribution__document_id"))


def period_figures(unit, start, end):
    docs = list(documents_reaching(unit, start, end))
    reached = read = 0
    for d in docs:
        for total, done in reach.unit_counts(d, within=[unit.path]).values():
            reached += total
            read += done
    percent = (Decimal(100 * read) / reached).quantize(Decimal("0.1"), ROUND_HALF_UP) if reached else None
    section = _("Documents and news")
    return [
        Figure("documents.published", _("Documents and news distributed"), len(docs), section),
        Figure("documents.read_percent", _("Share of members reached who read them"), percent, section, "%"),
    ]
