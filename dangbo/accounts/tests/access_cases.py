from dangbo.testing import EVERYONE, Case

CASES = [
    Case("accounts:two_factor", allowed=EVERYONE),
]
