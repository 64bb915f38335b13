from dangbo.testing import STAFF, Case

CASES = [
    Case("members:list", allowed=STAFF),
    Case("members:export", allowed=STAFF),
    Case("members:correct", kwargs=lambda c: {"pk": c.m_a1_other.pk}, allowed={"bloc", "staff_a", "secretary_a1"}),
    Case(
        "members:detail",
        kwargs=lambda c: {"pk": c.m_a1.pk},
        allowed={"bloc", "inspector", "staff_a", "secretary_a1", "member_a1"},
    ),
    Case("members:detail", kwargs=lambda c: {"pk": c.m_b1.pk}, allowed={"bloc", "inspector", "staff_b"}),
]
