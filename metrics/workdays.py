"""Finnish working days, computed (no network, no calendar file): when "the first workday of the month" is.

The public holidays (Finnish Act on holidays and the Church calendar): New Year's Day 1.1., Epiphany 6.1., Good
Friday, Easter Sunday and Monday, May Day 1.5., Ascension Day (Thursday 39 days after Easter), Whitsunday (Easter +
49 days), Midsummer Eve (the Friday between 19 and 25 June) and Day (the Saturday between 20 and 26 June), All
Saints' Day (the Saturday between 31 October and 6 November), Independence Day 6.12., Christmas Eve, Christmas Day
and Boxing Day (24.–26.12.). Saturdays and Sundays are not workdays either.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _weekday_between(year: int, month: int, first: int, weekday: int) -> dt.date:
    """The date with `weekday` (Monday 0) in the seven days starting at first.month.year."""
    start = dt.date(year, month, first)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[dt.date, str]:
    """The year's Finnish public holidays (and the de-facto ones, Midsummer Eve and Christmas Eve): date -> name."""
    e = easter(year)
    days = {
        dt.date(year, 1, 1): "new_year", dt.date(year, 1, 6): "epiphany",
        e - dt.timedelta(days=2): "good_friday", e: "easter_sunday", e + dt.timedelta(days=1): "easter_monday",
        dt.date(year, 5, 1): "may_day", e + dt.timedelta(days=39): "ascension_day",
        e + dt.timedelta(days=49): "whitsunday",
        _weekday_between(year, 6, 19, 4): "midsummer_eve", _weekday_between(year, 6, 20, 5): "midsummer_day",
        _weekday_between(year, 10, 31, 5): "all_saints_day", dt.date(year, 12, 6): "independence_day",
        dt.date(year, 12, 24): "christmas_eve", dt.date(year, 12, 25): "christmas_day",
        dt.date(year, 12, 26): "boxing_day",
    }
    return dict(sorted(days.items()))


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def first_workday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day
