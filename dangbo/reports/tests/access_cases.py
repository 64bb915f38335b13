from dangbo.testing import STAFF, Case

CASES = [
    Case("reports:dashboard", allowed=STAFF),
    Case("reports:dashboard", query="?unit=0", allowed=set()),
]
