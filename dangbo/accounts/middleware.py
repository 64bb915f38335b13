from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from dangbo.accounts.access import is_staff_user

# The only views a user who still owes the second factor may open: signing in and out, the second
# factor itself (code and enrolment), changing the password, and pages holding no data. Everything
# else — user and role administration under /accounts/ included — waits for the code.
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor",
        "accounts:two_factor_setup",
        "accounts:password_change",
        "core:healthz",
        "core:favicon",
        "set_language",
    }
)


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA (production), every role above member must pass TOTP.

    A user with no device is sent to enrolment; one with a device but an unverified session is sent
    to the code page. The check runs on the resolved view (not a path prefix), so a new URL is
    guarded unless it is added to ``OPEN_VIEWS``; for a GET the full path with its query string is
    kept in ``next`` for after the code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and request.resolver_match.view_name not in OPEN_VIEWS
            and is_staff_user(user)
        ):
            url = reverse("accounts:two_factor")
            if request.method in ("GET", "HEAD"):
                # Back to the page asked for after the code (a POST is not replayed: it would land on a 405).
                url = f"{url}?{urlencode({'next': request.get_full_path()})}"
            return redirect(url)
        return None
