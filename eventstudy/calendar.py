"""Trading calendars: sessions, day-0 alignment and relative trading-day arithmetic.

A :class:`TradingCalendar` is an ordered set of sessions plus, when known, each
session's open and close time. Build one from an exchange code with
:func:`get_calendar` (``"XNYS"`` by default, any exchange_calendars code), or
from the dates of a returns frame with ``get_calendar(None, dates=...)``.

Day 0 is the first session in which the market could react to an event:

* a date that is not a session (weekend, holiday) rolls to the next session,
  whatever the time of day;
* ``bmo`` (before market open), ``intraday`` and ``unknown`` stay on the date;
* ``amc`` (after market close) moves to the next session;
* ``HH:MM`` (exchange local time; America/New_York for XNYS) stays on the date
  when it is before the session's close (early closes included), else moves
  to the next session.

``unknown`` is treated like ``intraday`` so that a window ``(0, 1)`` covers both
readings; the events table keeps the given ``date`` beside ``day0`` so that no
shift is hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable
from functools import lru_cache

import numpy as np
import pandas as pd

from .exceptions import EventStudyError

__all__ = ["TradingCalendar", "get_calendar", "EVENT_TIMES", "parse_event_time"]

#: Accepted symbolic values of an event's ``time`` column.
EVENT_TIMES = ("bmo", "amc", "intraday", "unknown")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DEFAULT_OPEN = dt.time(9, 30)
_DEFAULT_CLOSE = dt.time(16, 0)


def parse_event_time(value: object) -> str:
    """Normalise an event time to ``bmo``/``amc``/``intraday``/``unknown``/``HH:MM``.

    Parameters
    ----------
    value : object
        The raw value; blank or missing means ``"unknown"``.

    Returns
    -------
    str
        The normalised value.

    Raises
    ------
    EventStudyError
        If the value is none of the accepted forms.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "unknown"
    text = str(value).strip().lower()
    if text == "":
        return "unknown"
    if text in EVENT_TIMES:
        return text
    match = _HHMM.match(text)
    if match:
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    raise EventStudyError(
        f"time {value!r} is not understood; expected one of "
        f"{', '.join(EVENT_TIMES)} or HH:MM (24-hour, exchange local time)"
    )


class TradingCalendar:
    """An ordered set of trading sessions with relative-day arithmetic.

    Parameters
    ----------
    sessions : pandas.DatetimeIndex
        Sorted, unique, timezone-naive session dates (midnight).
    name : str
        Exchange code, or ``"data"`` for a calendar taken from the data's dates.
    closes : numpy.ndarray, optional
        Minutes after midnight (local time) of each session's close.
        Defaults to 16:00 for every session.

    Examples
    --------
    >>> from eventstudy.calendar import get_calendar
    >>> cal = get_calendar("XNYS")
    >>> str(cal.day0("2025-10-29", "amc").date())
    '2025-10-30'
    """

    def __init__(
        self,
        sessions: pd.DatetimeIndex,
        name: str,
        closes: np.ndarray | None = None,
    ) -> None:
        try:
            sessions = pd.DatetimeIndex(sessions)
        except (TypeError, ValueError):
            raise EventStudyError(
                f"calendar sessions must be a sequence of dates, got {sessions!r:.80}"
            ) from None
        if sessions.tz is not None:
            sessions = sessions.tz_localize(None)
        if not sessions.is_monotonic_increasing or sessions.has_duplicates:
            raise EventStudyError("calendar sessions must be sorted and unique")
        self.sessions = sessions.normalize()
        self.name = name
        default_close = _DEFAULT_CLOSE.hour * 60 + _DEFAULT_CLOSE.minute
        self._closes = (
            np.full(len(sessions), default_close, dtype=np.int64) if closes is None else closes
        )
        self._values = self.sessions.values

    def __repr__(self) -> str:
        if len(self.sessions) == 0:
            return f"TradingCalendar({self.name!r}, empty)"
        return (
            f"TradingCalendar({self.name!r}, {len(self.sessions)} sessions, "
            f"{self.first:%Y-%m-%d} to {self.last:%Y-%m-%d})"
        )

    @property
    def first(self) -> pd.Timestamp:
        """First session covered."""
        return self.sessions[0]

    @property
    def last(self) -> pd.Timestamp:
        """Last session covered."""
        return self.sessions[-1]

    def is_session(self, date: object) -> bool:
        """Whether ``date`` is a session of this calendar."""
        ts = _to_date(date, "date")
        pos = np.searchsorted(self._values, ts.to_datetime64())
        return bool(pos < len(self._values) and self._values[pos] == ts.to_datetime64())

    def day0(self, date: object, time: object = "unknown") -> pd.Timestamp:
        """First session in which the market could react to an event.

        Parameters
        ----------
        date : date-like
            The announcement date (local calendar date).
        time : str, default "unknown"
            ``bmo``, ``amc``, ``intraday``, ``unknown`` or ``HH:MM``.

        Returns
        -------
        pandas.Timestamp
            The day-0 session.
        """
        return self.day0_many([date], [time])[0]

    def day0_many(
        self, dates: object, times: object, *, outside: str = "raise"
    ) -> pd.DatetimeIndex:
        """Vectorised :meth:`day0` over aligned sequences of dates and times.

        ``outside="raise"`` (default) rejects a date outside the calendar, or a
        day 0 after its last session; ``outside="nat"`` returns NaT for them.
        """
        try:
            ts = (
                pd.DatetimeIndex([_to_date(d, "date") for d in dates])
                if not isinstance(dates, pd.DatetimeIndex)
                else dates.normalize()
            )
            times = list(times)
        except TypeError:
            raise EventStudyError(
                f"dates and times must be sequences of the same length, got {dates!r:.60} and "
                f"{times!r:.60}"
            ) from None
        if len(times) != len(ts):
            raise EventStudyError(f"got {len(ts)} dates but {len(times)} times; expected one each")
        for t in times:
            if not isinstance(t, Hashable):
                parse_event_time(str(t))  # raises, naming the value
        unique = {t: parse_event_time(t) for t in dict.fromkeys(times)}
        times = [unique[t] for t in times]
        beyond = np.asarray((ts < self.first) | (ts > self.last), dtype=bool)
        if outside == "nat":
            ts = ts.where(~beyond, self.first)
        elif beyond.any():
            bad = ts[beyond][0]
            raise EventStudyError(
                f"date {bad:%Y-%m-%d} is outside the {self.name} calendar, which covers "
                f"{self.first:%Y-%m-%d} to {self.last:%Y-%m-%d}"
            )
        values = ts.values
        pos = np.searchsorted(self._values, values, side="left")
        pos_clip = np.minimum(pos, len(self._values) - 1)
        on_session = self._values[pos_clip] == values
        after_close = _after_close_many(times, self._closes[pos_clip])
        shift = on_session & after_close
        out = pos + shift.astype(np.int64)
        past = out >= len(self._values)
        if past.any() and outside != "nat":
            raise EventStudyError(
                f"day 0 falls after the last session of the {self.name} calendar "
                f"({self.last:%Y-%m-%d})"
            )
        result = self._values[np.minimum(out, len(self._values) - 1)].copy()
        result[beyond | past] = np.datetime64("NaT")
        return pd.DatetimeIndex(result)

    def position(self, date: object) -> int:
        """Index of a session in :attr:`sessions` (raises if not a session)."""
        ts = _to_date(date, "date")
        pos = int(np.searchsorted(self._values, ts.to_datetime64()))
        if pos >= len(self._values) or self._values[pos] != ts.to_datetime64():
            raise EventStudyError(f"{ts:%Y-%m-%d} is not a {self.name} session")
        return pos

    def offset(self, date: object, n: int) -> pd.Timestamp:
        """The session ``n`` sessions after (``n < 0``: before) a session."""
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise EventStudyError(f"n must be an integer number of sessions, got {n!r}")
        pos = self.position(date) + int(n)
        if not 0 <= pos < len(self._values):
            raise EventStudyError(
                f"{n:+d} sessions from {_to_date(date, 'date'):%Y-%m-%d} falls outside the "
                f"{self.name} calendar ({self.first:%Y-%m-%d} to {self.last:%Y-%m-%d})"
            )
        return pd.Timestamp(self._values[pos])

    def sessions_between(self, start: object, end: object) -> pd.DatetimeIndex:
        """Sessions in ``[start, end]`` inclusive."""
        lo, hi = _to_date(start, "start"), _to_date(end, "end")
        return self.sessions[(self.sessions >= lo) & (self.sessions <= hi)]


def _after_close_many(times: list[str], closes: np.ndarray) -> np.ndarray:
    times_arr = np.asarray(times, dtype=object)
    out = times_arr == "amc"
    clock = ~np.isin(times_arr, ["amc", "bmo", "intraday", "unknown"])
    for i in np.flatnonzero(clock):
        out[i] = _after_close(times_arr[i], closes[i])
    return out


def _after_close(time: str, close_minutes: int) -> bool:
    if time == "amc":
        return True
    if time in ("bmo", "intraday", "unknown"):
        return False
    hours, minutes = time.split(":")
    return int(hours) * 60 + int(minutes) >= close_minutes


def _to_date(value: object, what: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise EventStudyError(f"{what} {value!r} is not a date; expected YYYY-MM-DD") from exc
    if ts is pd.NaT:
        raise EventStudyError(f"{what} is missing; expected YYYY-MM-DD")
    if ts.tz is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


@lru_cache(maxsize=8)
def _exchange_calendar(code: str) -> TradingCalendar:
    import exchange_calendars as xcals

    try:
        cal = xcals.get_calendar(code, start="1990-01-01")
    except xcals.errors.InvalidCalendarName as exc:
        raise EventStudyError(
            f"calendar {code!r} is not a known exchange code; expected e.g. 'XNYS', 'XLON', "
            "'XTKS' (exchange_calendars names) or None to use the returns' own dates"
        ) from exc
    sessions = cal.sessions
    tz = cal.tz
    closes_local = cal.closes.dt.tz_convert(tz)
    minutes = (closes_local.dt.hour * 60 + closes_local.dt.minute).to_numpy(dtype=np.int64)
    return TradingCalendar(pd.DatetimeIndex(sessions), code, closes=minutes)


def get_calendar(code: str | None = "XNYS", *, dates: object = None) -> TradingCalendar:
    """Return a trading calendar.

    Parameters
    ----------
    code : str or None, default "XNYS"
        An exchange_calendars code (``"XNYS"``, ``"XLON"``, ...), or ``None``
        to use ``dates`` (typically the index of a returns frame) as sessions.
    dates : array-like of dates, optional
        Required when ``code`` is None.

    Returns
    -------
    TradingCalendar

    Examples
    --------
    >>> from eventstudy.calendar import get_calendar
    >>> str(get_calendar("XNYS").day0("2025-04-05").date())  # Saturday -> Monday
    '2025-04-07'
    """
    if isinstance(code, TradingCalendar):
        return code
    if code is None:
        if dates is None:
            raise EventStudyError("calendar=None needs the returns' dates to use as sessions")
        try:
            idx = pd.DatetimeIndex(pd.to_datetime(pd.Index(dates)))
        except (TypeError, ValueError):
            raise EventStudyError(
                "dates must be a sequence of dates (e.g. a returns frame's index), "
                f"got {dates!r:.80}"
            ) from None
        if len(idx) == 0 or idx.isna().any():
            raise EventStudyError("dates must be a non-empty sequence of dates, none missing")
        if idx.tz is not None:
            idx = idx.tz_localize(None)
        idx = idx.normalize().unique().sort_values()
        return TradingCalendar(idx, "data")
    if not isinstance(code, str):
        raise EventStudyError(f"calendar must be an exchange code string or None, got {code!r}")
    return _exchange_calendar(code.upper())
