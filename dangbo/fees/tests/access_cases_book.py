"""Access-matrix rows of the fee book (tests/test_access_matrix.py), added to ``access_cases.CASES``.

The book of cell_a1 (under gr_a): staff covering the cell read it (bloc, inspector, staff_a, secretary_a1);
a plain member of the cell does not (the other members' incomes), staff_b is out of scope. The summary of
gr_a's units: staff covering gr_a.
"""

from dangbo.testing import Case

CELL_STAFF = {"bloc", "inspector", "staff_a", "secretary_a1"}
GRASSROOTS_STAFF = {"bloc", "inspector", "staff_a"}
PERIOD = "?year=2025&from_month=1&to_month=3"


def _cell(cast):
    return {"pk": cast.cell_a1.pk}


def _grassroots(cast):
    return {"pk": cast.gr_a.pk}


CASES = [
    Case("fees:book", CELL_STAFF, _cell, query=PERIOD),
    Case("fees:book_xlsx", CELL_STAFF, _cell, query=PERIOD),
    Case("fees:book_docx", CELL_STAFF, _cell, query=PERIOD),
    Case("fees:book_subtree", GRASSROOTS_STAFF, _grassroots, query=PERIOD),
]
