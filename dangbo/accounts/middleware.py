from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from dangbo.accounts.access import is_staff_user

# Pages a user who still owes the second factor may open.
_OPEN_PREFIXES = ("/accounts/", "/healthz", "/static/", "/i18n/")


class TwoFactorRequiredMiddleware:
    """With REQUIRE_2FA (production), every role above member must pass TOTP.

    A user with no device is sent to enrolment; one with a device but an
    unverified session is sent to the code page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
            and is_staff_user(user)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)
