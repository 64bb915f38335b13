from dangbo.accounts.models import RoleAssignment
from dangbo.testing import EVERYONE, Case

ADMINS_A = {"bloc", "staff_a"}

CASES = [
    Case("accounts:two_factor", allowed=EVERYONE),
    Case("accounts:two_factor_setup", allowed=EVERYONE),
    Case("accounts:two_factor_disable", allowed=EVERYONE, method="post"),
    Case("accounts:profile", allowed=EVERYONE),
    Case("accounts:password_change", allowed=EVERYONE),
    Case("accounts:users", allowed={"bloc", "staff_a", "staff_b"}),
    Case("accounts:user_create", allowed={"bloc", "staff_a", "staff_b"}),
    Case("accounts:user", kwargs=lambda c: {"pk": c.secretary_a1.pk}, allowed=ADMINS_A),
    Case("accounts:user", kwargs=lambda c: {"pk": c.staff_b.pk}, allowed={"bloc", "staff_b"}),
    Case("accounts:user_unlock", kwargs=lambda c: {"pk": c.secretary_a1.pk}, allowed=ADMINS_A, method="post"),
    Case(
        "accounts:role_remove",
        kwargs=lambda c: {"pk": RoleAssignment.objects.get(user=c.member_a1).pk},
        allowed=ADMINS_A,
        method="post",
    ),
]
