"""Who may see the statistical tables and who loads table files. Out of scope is a 404.

Staff see the tables of the units they cover (each cell and grassroots its own, the levels above theirs
and everything under them, with drill-down); the bloc office alone loads, downloads and withdraws table
files, and alone sees which labels are unverified.
"""

from django.http import Http404

from dangbo.accounts.access import is_bloc_office, is_staff_user
from dangbo.org.access import get_unit_for_user, units_visible_to
from dangbo.stattables.models import TableFile


def require_staff(user):
    if not is_staff_user(user):
        raise Http404


def require_office(user):
    if not is_bloc_office(user):
        raise Http404


def visible_units(user):
    require_staff(user)
    return units_visible_to(user)


def get_unit(user, pk):
    """A unit whose tables ``user`` may see, else 404."""
    require_staff(user)
    return get_unit_for_user(user, pk)


def sees_flags(user):
    return is_bloc_office(user)


def get_table_file(user, pk):
    require_office(user)
    try:
        return TableFile.objects.get(pk=pk)
    except (TableFile.DoesNotExist, ValueError, TypeError):
        raise Http404
