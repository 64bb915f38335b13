"""Publishing, distributing and reading documents; reminders; secret-view log."""

import datetime
import io
import logging
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.accounts.access import WRITE_ROLES, covers
from dangbo.accounts.models import Role, User
from dangbo.core import audit
from dangbo.core.models import Notification
from dangbo.core.notify import notify, notify_in_batches
from dangbo.documents import reach
from dangbo.documents.access import own_member
from dangbo.documents.models import Attachment, Distribution, Document, Receipt, SecretView, Target
from dangbo.rules.registry import rule

log = logging.getLogger(__name__)
TK = Target.Kind
ALLOWED_EXTENSIONS = (".pdf", ".docx")
# Roles a document may be addressed to (the committees and their staff, the inspection commission).
TARGET_ROLES = (Role.GRASSROOTS_STAFF, Role.CELL_SECRETARY, Role.INSPECTION, Role.BLOC_OFFICE)


def extract_text(name, data):
    """The plain text of a PDF or Word file (``data``: bytes). Unreadable files raise a Vietnamese error."""
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("Only PDF and Word (.docx) files can be attached: %(name)s.") % {"name": name})
    try:
        if ext == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n".join((page.extract_text() or "") for page in reader.pages)
        from docx import Document as Docx

        from dangbo.core import uploads

        uploads.check_archive(data, name=name)
        doc = Docx(io.BytesIO(data))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        return "\n".join(parts)
    except ValidationError:
        raise
    except Exception as e:  # pypdf and python-docx raise many kinds of errors on damaged files
        log.info("Cannot read %s: %s", name, e)
        raise ValidationError(_("The file %(name)s cannot be read; is it a valid PDF or Word file?") % {"name": name})


def _attach(document, upload):
    data = upload.read()
    text = extract_text(upload.name, data)
    from dangbo.core.text import fold

    upload.seek(0)
    att = Attachment(document=document, name=Path(upload.name).name[:255], size=len(data), text=fold(text))
    att.file.save(att.name, upload, save=False)
    att.save()
    return att


@transaction.atomic
def publish(*, actor, unit, files=(), replaces=None, **fields):
    """Register a document of ``unit``'s library with its attachments (text extracted for search)."""
    if actor is not None and not covers(actor, unit.path, roles=WRITE_ROLES):
        raise ValidationError(_("You cannot publish documents for this unit."))
    if replaces is not None and replaces.replaced_by_id is not None:
        raise ValidationError(_("This document has already been replaced by another one."))
    document = Document(unit=unit, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    document.full_clean(exclude=["search_text"])
    document.save()
    for f in files:
        _attach(document, f)
    document.refresh_search_text()
    document.save(update_fields=["search_text"])
    if replaces is not None:
        replaces.replaced_by = document
        replaces.save(update_fields=["replaced_by"])
        audit.record(actor=actor, action="documents.replace", obj=replaces, unit=replaces.unit)
    audit.record(actor=actor, action="documents.publish", obj=document, unit=unit)
    return document


@transaction.atomic
def distribute(*, document, actor, targets, sent_on=None, note=""):
    """Send ``document`` to ``targets`` (list of dicts: kind, unit, role, user). Writes one Distribution
    and its Target rows, nothing per recipient."""
    if not targets:
        raise ValidationError(_("Choose at least one recipient: a unit, a role or a person."))
    if document.replaced_by_id is not None:
        raise ValidationError(_("This document has been replaced; distribute the one in force."))
    for t in targets:
        kind = t["kind"]
        unit = t.get("unit")
        if document.is_secret and kind in (TK.SUBTREE, TK.UNIT):
            raise ValidationError(
                _("A secret document can only be sent to committee roles or named persons, not to whole units.")
            )
        if kind in (TK.SUBTREE, TK.UNIT, TK.ROLE):
            if unit is None:
                raise ValidationError(_("Choose the unit."))
            if actor is not None and not covers(actor, unit.path, roles=WRITE_ROLES):
                raise ValidationError(
                    _("You cannot send documents to %(unit)s: it is outside your organization.") % {"unit": unit}
                )
        if kind == TK.ROLE and t.get("role") not in TARGET_ROLES:
            raise ValidationError(_("Choose the role."))
        if kind == TK.USER and t.get("user") is None:
            raise ValidationError(_("Choose the person."))
    dist = Distribution.objects.create(
        document=document,
        sent_on=sent_on or timezone.localdate(),
        sent_by=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    Target.objects.bulk_create(
        [
            Target(
                distribution=dist,
                kind=t["kind"],
                unit=t.get("unit") if t["kind"] != TK.USER else None,
                role=t.get("role", "") if t["kind"] == TK.ROLE else "",
                user=t.get("user") if t["kind"] == TK.USER else None,
            )
            for t in targets
        ]
    )
    # Everyone it reaches with a login is told, once (issue 14 §4): role holders and named persons, and the
    # members of the targeted units, in bounded batches (notify_in_batches; a second sending adds nothing).
    notify_in_batches(
        users=_reached_users(document, list(dist.targets.select_related("unit"))),
        title=_("New document: %(title)s") % {"title": document.title[:150]},
        body=document.number,
        url=document.get_absolute_url(),
        kind="documents.new",
    )
    audit.record(
        actor=actor,
        action="documents.distribute",
        obj=document,
        unit=document.unit,
        changes={"targets": [None, [str(t) for t in dist.targets.all()]]},
    )
    return dist


def _reached_users(document, targets):
    """The active users the targets reach: role holders and named persons, and current members with a login."""
    q = Q(pk__in=reach.extra_users(document, targets=targets).values("pk"))
    members = reach.member_reach(document, targets=targets)
    if members is not None:
        q |= Q(pk__in=members.filter(user__isnull=False).values("user_id"))
    return User.objects.filter(q, is_active=True).order_by("pk")


DOCX_PARAGRAPHS_MAX = 3000


def docx_paragraphs(attachment):
    """The paragraphs of a Word attachment as ``(kind, text)`` pairs for the page: ``kind`` is "h" for a
    heading, "p" otherwise; plain text (the template escapes it), at most ``DOCX_PARAGRAPHS_MAX``.
    An unreadable or missing file gives ``[]`` (the download link stays). An upload never changes (a new
    one is another attachment), so the text is read once and kept in the cache, not on every opening."""
    key = f"documents.docx_paragraphs:{attachment.pk}:{attachment.size}:{attachment.file.name}"
    out = cache.get(key)
    if out is None:
        out = _read_docx_paragraphs(attachment)
        cache.set(key, out, 24 * 3600)
    return out


def _read_docx_paragraphs(attachment):
    import docx

    try:
        with attachment.file.open("rb") as f:
            doc = docx.Document(io.BytesIO(f.read()))
    except Exception:  # noqa: BLE001 - a broken upload must not break the page
        return []
    out = []
    for p in doc.paragraphs:
        text = p.text.strip()
        if not text:
            continue
        style = (p.style.name if p.style is not None else "") or ""
        out.append(("h" if style.lower().startswith(("heading", "title")) else "p", text))
        if len(out) >= DOCX_PARAGRAPHS_MAX:
            break
    return out


def record_read(document, user):
    """Write the receipt of ``user`` for ``document`` the first time they open it (recipients only)."""
    from dangbo.documents.access import is_recipient

    if Receipt.objects.filter(document=document, user=user).exists() or not is_recipient(user, document):
        return None
    member = own_member(user)
    if member is not None and Receipt.objects.filter(document=document, member=member).exists():
        return None
    try:
        with transaction.atomic():
            receipt = Receipt.objects.create(document=document, user=user, member=member, read_at=timezone.now())
            # Its notification is done with too (the bell no longer asks them to read it).
            Notification.objects.filter(
                user=user, url=document.get_absolute_url(), kind="documents.new", read_at__isnull=True
            ).update(read_at=receipt.read_at)
            return receipt
    except IntegrityError:  # opened twice at the same moment
        return None


@transaction.atomic
def record_conveyed(*, document, members, actor):
    """A cell secretary records that ``members`` (without a login, or who read it on paper) received the
    document at the cell meeting."""
    done = set(Receipt.objects.filter(document=document, member__in=members).values_list("member_id", flat=True))
    users_done = set(Receipt.objects.filter(document=document, user__isnull=False).values_list("user_id", flat=True))
    now = timezone.now()
    rows = [
        Receipt(
            document=document,
            member=m,
            user_id=m.user_id if m.user_id not in users_done else None,
            read_at=now,
            recorded_by=actor,
        )
        for m in members
        if m.pk not in done
    ]
    Receipt.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="documents.conveyed",
        obj=document,
        unit=document.unit,
        changes={"members": [None, [m.full_name for m in members if m.pk not in done]]},
    )
    return len(rows)


def log_secret_view(document, user, action=SecretView.Action.VIEW, ip=None):
    if document.is_secret:
        SecretView.objects.create(document=document, user=user, action=action, ip=ip)


@transaction.atomic
def remind_unread(*, document, actor=None, today=None):
    """Notify everyone reached who has not opened ``document``; returns how many were reminded."""
    today = today or timezone.localdate()
    users = reach.unread_users(document)
    rows = notify(
        users=users.iterator(chunk_size=2000),
        title=_("Reminder: please read %(title)s") % {"title": document.title[:150]},
        body=_("%(number)s, sent to you and not yet opened.") % {"number": document.number or document.title[:80]},
        url=reverse("documents:detail", args=[document.pk]),
        kind="documents.reminder",
    )
    Distribution.objects.filter(document=document).update(reminded_on=today)
    if actor is not None:
        audit.record(actor=actor, action="documents.remind", obj=document, unit=document.unit)
    return len(rows)


def send_reminders(today=None):
    """Daily: remind the unread of each distribution sent ``documents.reminder_days`` days ago (rule,
    overridable per committee), once per distribution."""
    today = today or timezone.localdate()
    sent = 0
    candidates = (
        Distribution.objects.filter(reminded_on__isnull=True, sent_on__lt=today)
        .select_related("document__unit")
        .order_by("sent_on", "pk")
    )
    reminded_docs = set()
    for dist in candidates:
        document = dist.document
        days = rule("documents.reminder_days", on=today, unit=document.unit)
        if dist.sent_on + datetime.timedelta(days=int(days)) > today:
            continue
        if document.pk in reminded_docs or document.replaced_by_id is not None:
            Distribution.objects.filter(pk=dist.pk).update(reminded_on=today)
            continue
        reminded_docs.add(document.pk)
        sent += remind_unread(document=document, today=today)
    return sent
