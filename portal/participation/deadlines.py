"""Answer deadlines counted in China's official working days.

The State Council's calendar moves working days around public holidays (调休): a weekday may be a
day off and a Saturday or Sunday a working day. chinesecalendar carries that calendar for the years
it has been published for. PARTICIPATION_HOLIDAYS (extra days off, e.g. a local closure) and
PARTICIPATION_WORKDAYS (extra working days, e.g. a 调休 Saturday announced after the library's
release) override it. For a year the library does not cover, only weekends and those two settings
count, and a warning says so once per year per process, so that staff add the year's 调休 to the
settings or upgrade the library.
"""

import datetime
import functools
import logging
from collections.abc import Iterable

import chinese_calendar

from django.conf import settings

logger = logging.getLogger("portal.participation")


def _dates(values: Iterable[datetime.date | str]) -> frozenset[datetime.date]:
    # Settings come from the environment as ISO strings; tests and overrides may pass dates.
    return frozenset(v if isinstance(v, datetime.date) else datetime.date.fromisoformat(v) for v in values)


@functools.cache
def warn_year_not_covered(year: int) -> None:
    """Log, once per year and process, that `year` is counted without the official 调休."""
    logger.warning(
        "chinesecalendar has no official calendar for %s: working days that year are Monday to Friday "
        "plus PARTICIPATION_WORKDAYS, minus PARTICIPATION_HOLIDAYS; add that year's 调休 to those settings "
        "or upgrade chinesecalendar",
        year,
    )


def is_working_day(day: datetime.date, *, holidays: frozenset, workdays: frozenset) -> bool:
    """Whether `day` is a working day; a date in both overrides counts as a holiday."""
    if day in holidays:
        return False
    if day in workdays:
        return True
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        warn_year_not_covered(day.year)
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (`start` itself never counts)."""
    holidays = _dates(settings.PARTICIPATION_HOLIDAYS)
    workdays = _dates(settings.PARTICIPATION_WORKDAYS)
    current, remaining = start, days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current, holidays=holidays, workdays=workdays):
            remaining -= 1
    return current


def due_date(received: datetime.date) -> datetime.date:
    return add_working_days(received, settings.PARTICIPATION_ANSWER_WORKING_DAYS)
