from dangbo.testing import STAFF, Case

# Grassroots staff restructure strictly below their own grassroots unit; the bloc office anywhere.
RESTRUCTURE_A1 = {"bloc", "staff_a"}

CASES = [
    Case("org:tree", allowed=STAFF),
    Case("org:unit", kwargs=lambda c: {"pk": c.cell_a1.pk}, allowed=STAFF - {"staff_b"} | {"member_a1"}),
    Case("org:unit", kwargs=lambda c: {"pk": c.gr_b.pk}, allowed={"bloc", "inspector", "staff_b"}),
    Case("org:create", kwargs=lambda c: {"pk": c.gr_a.pk}, allowed={"bloc", "staff_a"}),
    Case("org:create", kwargs=lambda c: {"pk": c.gr_b.pk}, allowed={"bloc", "staff_b"}),
    *[
        Case(f"org:{name}", kwargs=lambda c: {"pk": c.cell_a1.pk}, allowed=RESTRUCTURE_A1)
        for name in ("rename", "edit", "move", "merge", "split", "dissolve")
    ],
    Case("org:rename", kwargs=lambda c: {"pk": c.gr_a.pk}, allowed={"bloc"}),
    Case("org:merge", kwargs=lambda c: {"pk": c.cell_b1.pk}, allowed={"bloc", "staff_b"}),
    Case(
        "org:rename",
        kwargs=lambda c: {"pk": c.cell_a2.pk},
        method="post",
        data=lambda c: {"name": "Chi bộ Tin học", "date": "01/01/2026"},
        allowed=RESTRUCTURE_A1,
    ),
]

CASES += [
    Case("org:clusters", allowed=STAFF),
    Case("org:cluster_create", allowed={"bloc"}, method="post", data=lambda c: {"name": "Cụm 9"}),
    Case("org:cluster_assign", kwargs=lambda c: {"pk": c.cluster.pk}, allowed={"bloc"}),
    Case(
        "org:cluster_assign",
        kwargs=lambda c: {"pk": c.cluster.pk},
        method="post",
        data=lambda c: {"units": [c.gr_b.pk], "date": "01/07/2025"},
        allowed={"bloc"},
    ),
]
