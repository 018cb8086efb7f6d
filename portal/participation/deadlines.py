"""Answer deadlines counted in working days (weekends and configured holidays do not count)."""

import datetime

from django.conf import settings


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    holidays = {datetime.date.fromisoformat(d) for d in getattr(settings, "PARTICIPATION_HOLIDAYS", [])}
    current, remaining = start, days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            remaining -= 1
    return current


def due_date(received: datetime.date) -> datetime.date:
    return add_working_days(received, settings.PARTICIPATION_ANSWER_WORKING_DAYS)
