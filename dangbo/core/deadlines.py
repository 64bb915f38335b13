"""A dated deadline as every lifecycle capability shows it (admission, transfers, …)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass
class Deadline:
    key: str
    label: str
    due: datetime.date
    done: datetime.date | None

    @property
    def days_left(self):
        return (self.due - timezone.localdate()).days

    @property
    def overdue(self):
        return self.done is None and self.days_left < 0
