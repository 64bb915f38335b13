from django.conf import settings

from dangbo.accounts.access import admin_paths, is_bloc_office, is_staff_user, roles_of


def site(request):
    user = getattr(request, "user", None)
    ctx = {"DEMO_MODE": settings.DEMO_MODE}
    if user is not None and user.is_authenticated:
        ctx.update(
            unread_notifications=user.notifications.filter(read_at__isnull=True).count(),
            user_roles=roles_of(user),
            user_is_staff=is_staff_user(user),
            user_is_bloc_office=is_bloc_office(user),
            user_is_account_admin=bool(admin_paths(user)),
        )
    return ctx
