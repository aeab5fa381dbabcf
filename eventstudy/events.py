"""Events: loading, validation and day-0 alignment.

An events table has one row per event. Required columns: ``event_id``,
``ticker`` and ``date``; optional: ``time`` (default ``unknown``), ``kind``,
``title``, ``source``, ``group`` and any other column, all carried through.
:func:`load_events` validates the table, normalises it and adds ``day0``, the
first session in which the market could react (see
:mod:`eventstudy.calendar` for the rule).
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar import TradingCalendar, get_calendar, parse_event_time
from .exceptions import EventFileError, EventStudyError

__all__ = ["load_events", "REQUIRED_COLUMNS", "OPTIONAL_COLUMNS"]

REQUIRED_COLUMNS = ("event_id", "ticker", "date")
OPTIONAL_COLUMNS = ("time", "kind", "title", "source", "group")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_events(
    path_or_frame: str | os.PathLike | pd.DataFrame,
    *,
    calendar: str | TradingCalendar | None = "XNYS",
) -> pd.DataFrame:
    """Load, validate and align a table of events.

    Parameters
    ----------
    path_or_frame : path-like or pandas.DataFrame
        A CSV file (UTF-8, with or without BOM; LF or CRLF line ends) or a
        DataFrame with at least ``event_id``, ``ticker`` and ``date``.
    calendar : str, TradingCalendar or None, default "XNYS"
        Calendar on which day 0 is computed. ``None`` leaves ``day0`` equal to
        ``date``; the study then aligns it on the returns' own dates.

    Returns
    -------
    pandas.DataFrame
        One row per event with ``event_id``, ``ticker``, ``date``
        (datetime64), ``time``, ``kind``, ``title``, ``source``, any extra
        columns, and ``day0`` (datetime64).

    Raises
    ------
    EventFileError
        On a missing or misspelt column, an empty file, a bad date or time,
        a duplicate ``event_id`` or a blank ticker; the message names the
        file, line and column and the expected form.

    Examples
    --------
    >>> import eventstudy as es
    >>> events = es.load_events(es.datasets.events_path())
    >>> events.set_index("event_id").loc["meta-q3-2025-earnings", "day0"]
    Timestamp('2025-10-30 00:00:00')
    """
    if isinstance(path_or_frame, pd.DataFrame):
        frame = path_or_frame.copy()
        where, first_line = "events frame", 0
        line_word = "row"
    elif isinstance(path_or_frame, (str, os.PathLike)):
        frame = _read_csv(Path(path_or_frame))
        where, first_line = str(path_or_frame), 2
        line_word = "line"
    else:
        raise EventFileError(
            "events must be a path to a CSV file or a DataFrame, got "
            f"{type(path_or_frame).__name__}"
        )
    frame = _validate(frame, where, first_line, line_word)
    if calendar is None:
        frame["day0"] = frame["date"]
        return frame
    cal = get_calendar(calendar)
    try:
        frame["day0"] = cal.day0_many(pd.DatetimeIndex(frame["date"]), frame["time"].tolist())
    except EventStudyError as exc:
        raise EventFileError(f"{where}: {exc}") from None
    return frame


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise EventFileError(f"{path}: no such file")
    if path.is_dir():
        raise EventFileError(f"{path}: is a folder; expected a CSV file of events")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EventFileError(f"{path}: could not be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, bad = raw.count(b"\n", 0, exc.start) + 1, raw[exc.start : exc.start + 1]
        raise EventFileError(
            f"{path}, line {line}: not UTF-8 text (byte {exc.start}: {bad!r}); "
            "save the file as UTF-8 CSV"
        ) from None
    if text.strip() == "":
        raise EventFileError(
            f"{path}: the file is empty; expected a header line "
            f"'{','.join(REQUIRED_COLUMNS)},...' and one line per event"
        )
    header = text.splitlines()[0]
    if "," not in header:
        for sep in (";", "\t", "|"):
            if sep in header:
                raise EventFileError(
                    f"{path}, line 1: columns are separated by {sep!r}; expected commas "
                    f"(header '{','.join(REQUIRED_COLUMNS)},...')"
                )
    try:
        _check_widths(path, text)
        with warnings.catch_warnings():  # extra fields are blank (checked): dropping them is safe
            warnings.simplefilter("ignore", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                skipinitialspace=True,
                index_col=False,
            )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise EventFileError(f"{path}: malformed CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _check_widths(path: Path, text: str) -> None:
    """Reject a line with more non-blank fields than the header (an unquoted comma, say)."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    width = len(next(reader, []))
    for row in reader:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise EventFileError(
                f"{path}, line {reader.line_num}: {len(row)} fields but the header has {width}; "
                'put values that contain commas in double quotes ("...")'
            )


def _validate(frame: pd.DataFrame, where: str, first_line: int, line_word: str) -> pd.DataFrame:
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        hint = ""
        lowered = {c.lower().replace(" ", "_"): c for c in frame.columns}
        for name in missing:
            if name in lowered:
                hint = f" (found {lowered[name]!r}: column names are lower case)"
        raise EventFileError(
            f"{where}: missing column(s) {', '.join(missing)}{hint}; found "
            f"{', '.join(map(repr, frame.columns)) or 'none'}; expected at least "
            f"{', '.join(REQUIRED_COLUMNS)}"
        )
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise EventFileError(f"{where}: column {dup!r} appears twice")
    if len(frame) == 0:
        raise EventFileError(f"{where}: header only, no events; expected one line per event")
    frame = frame.reset_index(drop=True)

    def loc(i: int, column: str) -> str:
        return f"{where}, {line_word} {i + first_line}, column {column!r}"

    for column in ("event_id", "ticker"):
        values = _text(frame[column])
        blank = (values == "").to_numpy()
        if blank.any():
            i = int(blank.nonzero()[0][0])
            raise EventFileError(f"{loc(i, column)}: blank; expected a non-empty {column}")
        frame[column] = values
    dup = frame["event_id"].duplicated(keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        first = int((frame["event_id"] == frame.at[i, "event_id"]).to_numpy().nonzero()[0][0])
        raise EventFileError(
            f"{loc(i, 'event_id')}: duplicate event_id {frame.at[i, 'event_id']!r} "
            f"(first on {line_word} {first + first_line}); expected unique ids"
        )
    frame["date"] = _parse_dates(frame["date"], lambda i: loc(i, "date"))
    if "time" not in frame.columns:
        frame["time"] = "unknown"
    raw_times = frame["time"].astype(object).where(frame["time"].notna(), None)
    parsed: dict = {}
    for value in pd.unique(raw_times.to_numpy()):
        try:
            parsed[value] = parse_event_time(value)
        except EventStudyError as exc:
            i = int((raw_times == value).to_numpy().nonzero()[0][0])
            raise EventFileError(f"{loc(i, 'time')}: {exc}") from None
    frame["time"] = raw_times.map(parsed).astype(object)
    for column in ("kind", "title", "source"):
        if column not in frame.columns:
            frame[column] = ""
        frame[column] = _text(frame[column])
    ordered = ["event_id", "ticker", "date", "time", "kind", "title", "source"]
    return frame[ordered + [c for c in frame.columns if c not in ordered]]


def _text(column: pd.Series) -> pd.Series:
    """Stripped text with missing values as empty strings (vectorised)."""
    return column.astype(object).where(column.notna(), "").astype(str).str.strip().astype(object)


def _parse_dates(column: pd.Series, where) -> pd.Series:
    """Dates as datetime64[ns]; the first bad row is reported by :func:`_parse_date`."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = pd.DatetimeIndex(column)
        ok = values.tz is None and not values.isna().any() and (values == values.normalize()).all()
        ok = ok and bool(_bounded(values).all())
        if ok:
            return pd.Series(values.as_unit("ns"), index=column.index)
    else:
        text = _text(column)
        iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).to_numpy(dtype=bool)
        parsed = pd.to_datetime(text.where(iso, None), format="%Y-%m-%d", errors="coerce")
        ok_rows = iso & _bounded(pd.DatetimeIndex(parsed))
        if ok_rows.all():
            return pd.Series(pd.DatetimeIndex(parsed).as_unit("ns"), index=column.index)
        if not any(hasattr(v, "year") for v in column.to_numpy()[~ok_rows][:1]):
            i = int((~ok_rows).nonzero()[0][0])
            _parse_date(column.iloc[i], lambda: where(i))
    values = [_parse_date(v, lambda i=i: where(i)) for i, v in enumerate(column)]
    return pd.Series(pd.DatetimeIndex(values).as_unit("ns"), index=column.index)


def _bounded(values: pd.DatetimeIndex) -> np.ndarray:
    """Not NaT and representable at nanosecond resolution (years 1678 to 2261)."""
    values = values.tz_localize(None) if values.tz is not None else values
    return np.asarray((values >= pd.Timestamp.min) & (values <= pd.Timestamp.max), dtype=bool)


def _parse_date(value: object, where) -> pd.Timestamp:
    if isinstance(value, pd.Timestamp) or hasattr(value, "year"):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            raise EventFileError(f"{where()}: missing; expected a date YYYY-MM-DD")
        if ts.tz is not None:
            raise EventFileError(
                f"{where()}: {value!s} carries a time zone; expected a plain local date "
                "(put the time of day in the 'time' column)"
            )
        if ts != ts.normalize():
            raise EventFileError(
                f"{where()}: {value!s} has a time of day; expected a date "
                "(put the time of day in the 'time' column)"
            )
        return _in_range(ts, where)
    text = (
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()
    )
    if text == "":
        raise EventFileError(f"{where()}: blank; expected a date YYYY-MM-DD")
    if not _ISO_DATE.match(text):
        extra = (
            " (put the time of day in the 'time' column)"
            if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", text)
            else ""
        )
        raise EventFileError(f"{where()}: {text!r} is not a date in the form YYYY-MM-DD{extra}")
    try:
        ts = pd.Timestamp(text)
    except ValueError:
        raise EventFileError(f"{where()}: {text!r} is not a valid calendar date") from None
    return _in_range(ts, where)


def _in_range(ts: pd.Timestamp, where) -> pd.Timestamp:
    """``ts`` if pandas can hold it at nanosecond resolution (years 1678 to 2261)."""
    if not pd.Timestamp.min <= ts <= pd.Timestamp.max:
        raise EventFileError(
            f"{where()}: {ts.year:04d}-{ts.month:02d}-{ts.day:02d} is outside the supported "
            "range of dates "
            f"({pd.Timestamp.min:%Y-%m-%d} to {pd.Timestamp.max:%Y-%m-%d})"
        )
    return ts
