"""Who may see, receive and manage documents. Out of scope is a 404.

Reach (who receives a document) is computed from its distribution targets, never stored per person:

- a ``subtree`` target reaches the current members whose official unit lies in that subtree,
  a ``unit`` target the members of that unit only;
- a ``role`` target reaches the users holding that role on a unit of the subtree;
- a ``user`` target reaches that person.

Visibility: a recipient sees what reaches them; the publishing committee (write roles over the
publishing unit) sees its own documents; staff see the ordinary (not secret) documents sent into
their subtree, to follow who has read them. A secret document is seen only by the publishing committee
and the roles or persons it was sent to (secret documents are never sent to whole units).
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from dangbo.accounts.access import WRITE_ROLES, covers, path_q, scope_paths
from dangbo.accounts.models import Role
from dangbo.documents.models import Document, FormTemplate, Receipt, Target
from dangbo.members.models import Member

TK = Target.Kind


def _ancestor_ids(path):
    return [int(x) for x in path.strip("/").split("/") if x]


def own_member(user):
    """The user's current member record (or None), cached on the user."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_doc_member"):
        user._doc_member = (
            Member.objects.current()
            .select_related("unit")
            .filter(user=user)
            .only("id", "unit__path", "unit_id")
            .first()
        )
    return user._doc_member


def _role_units(user):
    if not hasattr(user, "_doc_roles"):
        user._doc_roles = list(user.roles.values_list("role", "unit__path"))
    return user._doc_roles


def recipient_target_q(user):
    """Targets that reach ``user`` (a Q on Target)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(kind=TK.USER, user_id=user.pk)
    member = own_member(user)
    if member is not None:
        q |= Q(kind=TK.SUBTREE, unit_id__in=_ancestor_ids(member.unit.path)) | Q(kind=TK.UNIT, unit_id=member.unit_id)
    by_role = {}
    for role, path in _role_units(user):
        if role != Role.MEMBER:
            by_role.setdefault(role, set()).update(_ancestor_ids(path))
    for role, ids in by_role.items():
        q |= Q(kind=TK.ROLE, role=role, unit_id__in=sorted(ids))
    return q


def received_by(user):
    """Documents that reach ``user`` as a recipient (the inbox)."""
    targets = Target.objects.filter(recipient_target_q(user)).values("distribution__document_id")
    return Document.objects.filter(pk__in=targets)


def documents_visible_to(user):
    """Every document ``user`` may open (see the module docstring). Other apps call this."""
    if not user.is_authenticated:
        return Document.objects.none()
    q = Q(pk__in=Target.objects.filter(recipient_target_q(user)).values("distribution__document_id"))
    write = scope_paths(user, roles=WRITE_ROLES)
    if write:
        q |= path_q("unit__path", write)
    staff = scope_paths(user)
    if staff:
        # Sent into the staff's subtree, or to a subtree that contains it (the whole tree).
        above = sorted({i for p in staff for i in _ancestor_ids(p)})
        inside = Target.objects.filter(
            (Q(kind__in=(TK.SUBTREE, TK.UNIT, TK.ROLE)) & path_q("unit__path", staff))
            | Q(kind=TK.SUBTREE, unit_id__in=above)
        ).values("distribution__document_id")
        q |= Q(secrecy=Document.Secrecy.NORMAL, pk__in=inside)
    return Document.objects.filter(q)


def can_manage(user, document):
    """Publish attachments, distribute, remind: the publishing committee (write roles over its unit)."""
    return covers(user, document.unit.path, roles=WRITE_ROLES)


def can_track(user, document):
    """See who has read it: staff who see the document."""
    return bool(scope_paths(user))


def get_document_for_user(user, pk, *, manage=False, track=False):
    try:
        document = documents_visible_to(user).select_related("unit", "replaced_by", "created_by").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404
    if manage and not can_manage(user, document):
        raise Http404
    if track and not can_track(user, document):
        raise Http404
    return document


def is_recipient(user, document):
    return Target.objects.filter(recipient_target_q(user), distribution__document=document).exists()


LIST_FIELDS = ("id", "kind", "number", "title", "issued_on", "issuer", "secrecy", "replaced_by_id", "unit_id")


def inbox(user):
    """The inbox: documents reaching ``user`` with ``is_read`` and ``sent`` (latest distribution day), newest
    first; only the columns a list shows."""
    from django.db.models import Subquery

    from dangbo.documents.models import Distribution

    latest = Distribution.objects.filter(document=OuterRef("pk")).order_by("-sent_on").values("sent_on")[:1]
    qs = with_read_flag(received_by(user), user).annotate(sent=Subquery(latest))
    return qs.only(*LIST_FIELDS).order_by("-sent", "-pk")


def with_read_flag(qs, user):
    return qs.annotate(is_read=Exists(Receipt.objects.filter(document=OuterRef("pk"), user_id=user.pk)))


def publishing_units(user):
    """Units in whose name the user may publish (their write subtrees' roots)."""
    from dangbo.org.models import OrgUnit

    return OrgUnit.objects.filter(path__in=scope_paths(user, roles=WRITE_ROLES)).order_by("path")


def can_publish(user):
    return bool(scope_paths(user, roles=WRITE_ROLES))


def can_use_templates(user):
    return bool(scope_paths(user, roles=WRITE_ROLES))


def can_upload_templates(user):
    from dangbo.accounts.access import is_bloc_office

    return is_bloc_office(user)


def get_uploaded_template(user, pk):
    if not can_use_templates(user):
        raise Http404
    try:
        return FormTemplate.objects.get(pk=pk)
    except (FormTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404
