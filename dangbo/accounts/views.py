from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

# Placeholder entry points; the accounts work replaces them with lockout and TOTP.
login_view = login_not_required(auth_views.LoginView.as_view(template_name="accounts/login.html"))


def two_factor(request):
    return HttpResponse("2FA")
