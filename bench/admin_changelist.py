"""A stock ModelAdmin for Member, configured for the member-list operation of ``bench/run.py``.

Only standard admin features: ``list_filter`` on status and sex plus one SimpleListFilter for
the subtree, ``search_fields`` on the folded name and the card number (the admin's default
``icontains`` per word), ``list_select_related`` and the product's order (given name first,
then pk). ``show_full_result_count`` is off, as Django's documentation advises for large
tables (otherwise every page also counts the whole table).
"""

from django.contrib import admin
from django.test import RequestFactory

from dangbo.accounts.models import User
from dangbo.members.models import Member
from dangbo.org.models import OrgUnit


class SubtreeFilter(admin.SimpleListFilter):
    """Members of a unit and of all the units below it (``?subtree=<unit pk>``)."""

    title = "unit (with its sub-units)"
    parameter_name = "subtree"

    def lookups(self, request, model_admin):
        units = OrgUnit.objects.filter(kind__in=[OrgUnit.Kind.BLOC, *OrgUnit.GRASSROOTS_KINDS], valid_to__isnull=True)
        return [(str(pk), name) for pk, name in units.order_by("path").values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            path = OrgUnit.objects.filter(pk=self.value()).values_list("path", flat=True).first()
            return queryset.filter(unit__path__startswith=path) if path else queryset.none()
        return queryset


class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "card_number", "sex", "status", "unit"]
    list_filter = [SubtreeFilter, "status", "sex"]
    search_fields = ["search_name", "card_number"]
    list_select_related = ["unit"]
    ordering = ["sort_name", "pk"]
    list_per_page = 50
    show_full_result_count = False


model_admin = MemberAdmin(Member, admin.site)
superuser = User(username="bench-admin", is_active=True, is_staff=True, is_superuser=True)  # never saved


def changelist(params):
    """The admin's ChangeList for ``params`` (a dict of GET parameters), built as its view does."""
    request = RequestFactory().get("/admin/members/member/", params)
    request.user = superuser
    return model_admin.get_changelist_instance(request)
