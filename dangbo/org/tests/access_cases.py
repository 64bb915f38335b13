from dangbo.org.models import OrgUnit
from dangbo.testing import STAFF, Case, make_unit

DAY = "01/06/2026"


def _cell(c, name="Chi bộ Tạm"):
    """A fresh empty cell under gr_a."""
    return make_unit(name, OrgUnit.Kind.SUBORDINATE_CELL, c.gr_a)


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

# Each restructuring action posted for real: who may change the tree below gr_a.
CASES += [
    Case(
        "org:create",
        kwargs=lambda c: {"pk": c.gr_a.pk},
        method="post",
        data=lambda c: {"name": "Chi bộ Phòng Mới", "kind": OrgUnit.Kind.SUBORDINATE_CELL, "valid_from": DAY},
        allowed=RESTRUCTURE_A1,
    ),
    Case(
        "org:edit",
        kwargs=lambda c: {"pk": c.cell_a2.pk},
        method="post",
        data=lambda c: {"code": "TH-01", "sector": "state_agency", "date": DAY},
        allowed=RESTRUCTURE_A1,
    ),
    Case(
        "org:move",
        kwargs=lambda c: {"pk": c.cell_a2.pk},
        method="post",
        data=lambda c: {
            "new_parent": make_unit("Đảng bộ bộ phận Mới", OrgUnit.Kind.SUB_COMMITTEE, c.gr_a).pk,
            "date": DAY,
        },
        allowed=RESTRUCTURE_A1,
    ),
    Case(
        "org:merge",
        kwargs=lambda c: {"pk": c.cell_a1.pk},
        method="post",
        data=lambda c: {"sources": [_cell(c).pk], "date": DAY},
        allowed=RESTRUCTURE_A1,
    ),
    Case(
        "org:split",
        kwargs=lambda c: {"pk": c.cell_a2.pk},
        method="post",
        data=lambda c: {"names": "Chi bộ Tin học 1\nChi bộ Tin học 2", f"member_{c.m_a2.pk}": 2, "date": DAY},
        allowed=RESTRUCTURE_A1,
    ),
    Case(
        "org:dissolve",
        kwargs=lambda c: {"pk": _cell(c).pk},
        method="post",
        data=lambda c: {"date": DAY, "confirm": "on"},
        allowed=RESTRUCTURE_A1,
    ),
]
