"""Access-matrix rows of this app (tests/test_access_matrix.py): one Case per URL."""

CASES = []
