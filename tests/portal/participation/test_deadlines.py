"""Answer deadlines follow China's official calendar: holidays, 调休 working weekends, overrides in
settings, and weekends only (with a warning) for a year chinesecalendar does not cover."""

import datetime
import logging

import chinese_calendar
import pytest

from portal.participation import deadlines
from portal.participation.deadlines import add_working_days, due_date

D = datetime.date


@pytest.fixture(autouse=True)
def calendar_settings(settings):
    settings.PARTICIPATION_HOLIDAYS = []
    settings.PARTICIPATION_WORKDAYS = []
    settings.PARTICIPATION_ANSWER_WORKING_DAYS = 15
    return settings


@pytest.fixture
def fresh_warnings():
    """The uncovered-year warning is logged once per process; each test here starts afresh."""
    deadlines.warn_year_not_covered.cache_clear()
    yield
    deadlines.warn_year_not_covered.cache_clear()


def test_spring_festival_2025_skips_the_holiday_and_counts_the_tiaoxiu_weekend_days(caplog):
    # The official calendar, as the library has it: 28 Jan to 4 Feb off, Sunday 26 Jan and
    # Saturday 8 Feb worked instead.
    assert D(2025, 1, 26).weekday() == 6 and chinese_calendar.is_workday(D(2025, 1, 26))
    assert D(2025, 2, 8).weekday() == 5 and chinese_calendar.is_workday(D(2025, 2, 8))
    assert all(chinese_calendar.is_holiday(D(2025, 1, 28) + datetime.timedelta(n)) for n in range(8))

    with caplog.at_level(logging.WARNING, logger="portal.participation"):
        assert add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)  # Friday → the working Sunday
        assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)  # the whole festival skipped
        assert add_working_days(D(2025, 1, 27), 4) == D(2025, 2, 8)  # the working Saturday counts
        assert due_date(D(2025, 1, 24)) == D(2025, 2, 20)
    assert not caplog.records  # a covered year needs no warning


def test_national_day_2025():
    assert chinese_calendar.is_holiday(D(2025, 10, 1)) and chinese_calendar.is_holiday(D(2025, 10, 8))
    assert D(2025, 9, 28).weekday() == 6 and chinese_calendar.is_workday(D(2025, 9, 28))
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)  # the working Sunday before the holiday


def test_an_extra_holiday_in_settings_is_not_a_working_day(calendar_settings):
    calendar_settings.PARTICIPATION_HOLIDAYS = [D(2025, 10, 9)]  # e.g. a local closure
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)


def test_an_extra_working_day_in_settings_counts(calendar_settings):
    calendar_settings.PARTICIPATION_WORKDAYS = ["2025-10-04"]  # a Saturday of the National Day holiday
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 4)


def test_a_year_beyond_the_library_falls_back_to_weekends_and_warns_once(calendar_settings, caplog, fresh_warnings):
    year = 2099
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(year, 1, 5))  # the library really does not know it

    calendar_settings.PARTICIPATION_HOLIDAYS = [D(year, 1, 12)]
    calendar_settings.PARTICIPATION_WORKDAYS = [D(year, 1, 10)]  # a 调休 Saturday the library cannot know
    with caplog.at_level(logging.WARNING, logger="portal.participation"):
        assert add_working_days(D(year, 1, 9), 1) == D(year, 1, 10)  # Friday → the working Saturday
        assert add_working_days(D(year, 1, 10), 1) == D(year, 1, 13)  # Sunday and the extra holiday skipped
        assert due_date(D(year, 1, 9)) == D(year, 1, 30)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(year) in warnings[0].getMessage()
