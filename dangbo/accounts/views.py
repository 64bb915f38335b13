import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangbo.accounts import services
from dangbo.accounts.access import admin_paths, get_user_for_admin, grantable_roles, path_q, users_administered_by
from dangbo.accounts.forms import LoginForm, RoleForm, TokenForm, UserCreateForm, UserSearchForm
from dangbo.accounts.models import RoleAssignment, User
from dangbo.core.text import search_filter
from dangbo.org.models import OrgUnit

PENDING = "accounts_pending_user"


def _has_next(request):
    return bool(request.POST.get("next") or request.GET.get("next"))


def _with_query(url, request):
    """``url`` with the request's query string (``next`` and the rest) carried over."""
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _next_url(request):
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return nxt
    return settings.LOGIN_REDIRECT_URL


@login_not_required
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.check_login(request, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            if services.confirmed_device(user):
                # Password right; the session is opened only after the code.
                request.session[PENDING] = user.pk
                request.session["accounts_next"] = _next_url(request)
                return redirect("accounts:two_factor")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@login_not_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The second step: after the password (pending user) or when production demands it."""
    if request.user.is_authenticated:
        user = request.user
        if request.user.is_verified():
            return redirect(_next_url(request))
    else:
        user = User.objects.filter(pk=request.session.get(PENDING)).first()
        if user is None:
            return redirect("accounts:login")
    device = services.confirmed_device(user)
    if device is None:
        if request.user.is_authenticated:
            messages.info(request, _("Your role requires two-factor authentication: set it up now."))
            return redirect(_with_query(reverse("accounts:two_factor_setup"), request))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            nxt = request.session.pop("accounts_next", None) or _next_url(request)
            if not request.user.is_authenticated:
                request.session.pop(PENDING, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            django_otp.login(request, device)
            return redirect(nxt)
        form.add_error("token", _("The code is not correct or has expired. Enter the current 6-digit code."))
    return render(request, "accounts/two_factor.html", {"form": form})


def _qr_data_uri(data):
    """The QR code as an SVG data URI for an <img>: nothing of it goes into the page's markup unescaped."""
    import base64

    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return "data:image/svg+xml;base64," + base64.b64encode(img.to_string()).decode("ascii")


@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if services.confirmed_device(request.user) and request.user.is_verified():
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("accounts:profile")
    device = services.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_device(user=request.user, device=device, token=form.cleaned_data["token"])
        except ValidationError as e:
            form.add_error("token", e.messages[0])
        else:
            django_otp.login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request) if _has_next(request) else "accounts:profile")
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    ctx = {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret}
    return render(request, "accounts/two_factor_setup.html", ctx)


@require_POST
def two_factor_disable(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            services.disable_two_factor(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as e:
            messages.error(request, e.messages[0])
        else:
            messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("Enter the 6 digits shown by your authenticator app."))
    return redirect("accounts:profile")


def profile(request):
    ctx = {
        "assignments": request.user.roles.select_related("unit"),
        "two_factor": services.confirmed_device(request.user) is not None,
        "token_form": TokenForm(),
    }
    return render(request, "accounts/profile.html", ctx)


@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for f in form.fields.values():
        f.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        from dangbo.core.audit import record

        record(actor=user, action="accounts.password_change", obj=user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


# ---- user administration (bloc office everywhere; grassroots staff in their subtree) ----


def _require_admin(user):
    if not admin_paths(user):
        raise Http404


def _admin_units(user):
    return OrgUnit.objects.active().filter(path_q("path", admin_paths(user)))


def _refuse_foreign_unit(request):
    """A posted unit outside the administrator's subtrees is out of scope: 404, as for any object there.
    (The form offers only units inside; a unit inside but closed is a field error.)"""
    raw = request.POST.get("unit", "")
    unit = OrgUnit.objects.filter(pk=raw).first() if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
    if unit is not None and not any(unit.path.startswith(p) for p in admin_paths(request.user)):
        raise Http404


def users(request):
    _require_admin(request.user)
    form = UserSearchForm(request.GET or None)
    qs = users_administered_by(request.user).prefetch_related("roles__unit").order_by("username")
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        qs = qs.filter(
            Q(username__icontains=q)
            | search_filter("member__search_name", q)
            | Q(last_name__icontains=q)
            | Q(first_name__icontains=q)
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    locked = services.locked_usernames([u.username for u in page])
    return render(request, "accounts/users.html", {"page": page, "form": form, "locked": locked})


@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    _require_admin(request.user)
    target = get_user_for_admin(request.user, pk)
    _refuse_foreign_unit(request)
    form = RoleForm(request.POST or None, roles=grantable_roles(request.user), units=_admin_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_role(user=target, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, _("The role has been added."))
            return redirect("accounts:user", pk=target.pk)
    paths = admin_paths(request.user)
    own = target.pk == request.user.pk
    assignments = [
        (
            ra,
            any(ra.unit.path.startswith(p) for p in paths)
            and ra.role in grantable_roles(request.user)
            and not (own and ra.role in services.ADMIN_ROLES),
        )
        for ra in target.roles.select_related("unit")
    ]
    return render(request, "accounts/user_detail.html", {"target": target, "form": form, "assignments": assignments})


@require_POST
def user_unlock(request, pk):
    _require_admin(request.user)
    target = get_user_for_admin(request.user, pk)
    services.unlock_user(user=target, actor=request.user)
    messages.success(request, _("%(user)s has been unlocked.") % {"user": target})
    return redirect("accounts:user", pk=target.pk)


@require_POST
def role_remove(request, pk):
    _require_admin(request.user)
    paths = admin_paths(request.user)
    ra = get_object_or_404(RoleAssignment.objects.select_related("unit", "user"), pk=pk)
    if not (any(ra.unit.path.startswith(p) for p in paths) and ra.role in grantable_roles(request.user)):
        raise Http404
    try:
        services.remove_role(assignment=ra, actor=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("The role has been removed."))
    return redirect("accounts:user", pk=ra.user_id)


@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_admin(request.user)
    _refuse_foreign_unit(request)
    form = UserCreateForm(request.POST or None, roles=grantable_roles(request.user), units=_admin_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, _("The account %(user)s has been created.") % {"user": user.username})
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})
