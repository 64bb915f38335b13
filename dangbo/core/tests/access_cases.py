from dangbo.testing import EVERYONE, Case

CASES = [
    Case("core:home", allowed=EVERYONE),
]
