import pandas as pd
import pytest

from eventstudy import EventStudyError
from eventstudy.calendar import get_calendar, parse_event_time


@pytest.fixture(scope="module")
def nyse():
    return get_calendar("XNYS")


@pytest.mark.parametrize(
    ("date", "time", "expected", "why"),
    [
        ("2025-10-29", "amc", "2025-10-30", "Meta Q3 2025 call after the close"),
        ("2025-04-05", "unknown", "2025-04-07", "Saturday Llama 4 release"),
        ("2025-04-05", "amc", "2025-04-07", "weekend: amc does not add a second day"),
        ("2025-06-19", "unknown", "2025-06-20", "Juneteenth holiday"),
        ("2025-10-31", "amc", "2025-11-03", "amc on a Friday"),
        ("2025-10-29", "bmo", "2025-10-29", "bmo on a session"),
        ("2025-10-29", "intraday", "2025-10-29", "intraday"),
        ("2025-10-29", "unknown", "2025-10-29", "unknown treated as intraday"),
        ("2026-04-03", "bmo", "2026-04-06", "Good Friday 2026"),
        ("2026-04-02", "amc", "2026-04-06", "amc before Good Friday"),
        ("2025-10-29", "09:00", "2025-10-29", "before the open"),
        ("2025-10-29", "15:59", "2025-10-29", "during the session"),
        ("2025-10-29", "16:00", "2025-10-30", "at the close"),
        ("2025-11-28", "14:00", "2025-12-01", "after the 13:00 early close"),
        ("2025-11-28", "12:30", "2025-11-28", "before the early close"),
        ("2025-01-09", "unknown", "2025-01-10", "Carter day of mourning"),
    ],
)
def test_day0_rule(nyse, date, time, expected, why):
    assert nyse.day0(date, time) == pd.Timestamp(expected), why


def test_offsets_count_sessions(nyse):
    assert nyse.offset("2026-04-02", 1) == pd.Timestamp("2026-04-06")
    assert nyse.offset("2025-06-20", -1) == pd.Timestamp("2025-06-18")
    with pytest.raises(EventStudyError, match="not a XNYS session"):
        nyse.offset("2025-06-19", 1)


def test_data_calendar_uses_the_returns_dates():
    dates = pd.to_datetime(["2025-01-02", "2025-01-06", "2025-01-08"])
    cal = get_calendar(None, dates=dates)
    assert cal.day0("2025-01-03") == pd.Timestamp("2025-01-06")
    assert cal.day0("2025-01-06", "amc") == pd.Timestamp("2025-01-08")


def test_other_exchange_and_unknown_code():
    lse = get_calendar("XLON")
    assert lse.day0("2025-12-26") == pd.Timestamp("2025-12-29")  # Boxing Day
    with pytest.raises(EventStudyError, match="not a known exchange code"):
        get_calendar("NOPE")


@pytest.mark.parametrize("bad", ["after close", "25:00", "9.30", "pm"])
def test_bad_time(bad):
    with pytest.raises(EventStudyError, match="expected one of bmo, amc, intraday, unknown"):
        parse_event_time(bad)


def test_time_normalisation():
    assert parse_event_time(" AMC ") == "amc"
    assert parse_event_time("9:05") == "09:05"
    assert parse_event_time("") == "unknown"
    assert parse_event_time(None) == "unknown"
