"""What ``yfinance.download`` returns, made regular: one frame per ticker, and why rows are missing.

Pure functions on yfinance's output and log messages, kept apart from the
download and cache logic of :mod:`eventstudy.sources.yahoo` (which re-exports
them). :func:`normalise_download` accepts every layout yfinance has produced
(one or several tickers, ``(Price, Ticker)`` or ``(Ticker, Price)``
MultiIndex columns, flat columns, tz-aware or naive index, missing rows);
:func:`classify_failure` reads yfinance's per-ticker error messages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = ["FIELDS", "normalise_download", "classify_failure"]

FIELDS = ("open", "high", "low", "close", "volume")
_KNOWN_FIELDS = {"open", "high", "low", "close", "adj close", "adj_close", "volume"}

_TRANSIENT = re.compile(
    r"rate.?limit|too many requests|failed to get ticker|curl|timed? ?out|timeout|connection|"
    r"resolve host|network|temporar|ssl|status_code = 5",
    re.IGNORECASE,
)
_UNKNOWN = re.compile(
    r"no timezone found|symbol may be delisted|quote not found|invalid symbol|status_code = 404",
    re.IGNORECASE,
)
_NODATA = re.compile(r"no price data found|no data found", re.IGNORECASE)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FIELDS), index=pd.DatetimeIndex([], name="date"), dtype=float)


def _layout_error(raw: pd.DataFrame, why: str) -> DataError:
    return DataError(
        f"yfinance returned columns {list(raw.columns)[:8]} ({why}), a layout eventstudy does "
        "not understand; please report it with your yfinance version"
    )


def _field_level(raw: pd.DataFrame) -> int:
    columns = raw.columns
    names = [str(n).lower() if n is not None else "" for n in columns.names]
    if "price" in names:
        return names.index("price")
    for level in (0, 1):
        if {str(v).lower() for v in columns.get_level_values(level)} <= _KNOWN_FIELDS:
            return level
    raise _layout_error(raw, "no level of price fields")


def normalise_download(raw: object, tickers: Sequence[str]) -> dict[str, pd.DataFrame]:
    """Split what ``yfinance.download`` returned into one frame per ticker.

    Parameters
    ----------
    raw : pandas.DataFrame or None
        yfinance's output: MultiIndex columns ``(Price, Ticker)`` (or
        ``(Ticker, Price)``), or flat ``Close, High, ...`` columns for a single
        ticker; tz-aware or naive index; rows may be missing for some tickers.
    tickers : sequence of str
        The upper-case tickers requested.

    Returns
    -------
    dict of str to pandas.DataFrame
        For every requested ticker, columns ``open, high, low, close, volume``
        (floats) on a tz-naive DatetimeIndex named ``date`` (the exchange's
        local dates), sorted, one row per date (the last one if yfinance
        repeats a date), rows without a close removed. Empty if yfinance
        returned nothing for that ticker.

    Raises
    ------
    DataError
        If the columns have a layout this function does not recognise.
    """
    names = list(tickers)
    if raw is None:
        return {t: _empty() for t in names}
    if not isinstance(raw, pd.DataFrame):
        raise DataError(f"yfinance.download returned a {type(raw).__name__}; expected a DataFrame")
    if raw.shape[0] == 0 or raw.shape[1] == 0:
        return {t: _empty() for t in names}
    index = pd.DatetimeIndex(pd.to_datetime(raw.index))
    if index.tz is not None:
        index = index.tz_localize(None)  # keep the exchange's wall-clock date
    index = index.normalize().rename("date")
    fields: dict[str, dict[str, np.ndarray]] = {}
    if isinstance(raw.columns, pd.MultiIndex):
        if raw.columns.nlevels != 2:
            raise _layout_error(raw, f"{raw.columns.nlevels} column levels")
        level = _field_level(raw)
        for i, col in enumerate(raw.columns):
            name = str(col[level]).lower().replace("_", " ")
            if name in _KNOWN_FIELDS:
                ticker = str(col[1 - level]).strip().upper()
                fields.setdefault(ticker, {})[name] = raw.iloc[:, i].to_numpy()
    else:
        if len(names) != 1:
            raise _layout_error(raw, f"flat columns for {len(names)} tickers")
        for i, col in enumerate(raw.columns):
            name = str(col).lower().replace("_", " ")
            if name in _KNOWN_FIELDS:
                fields.setdefault(names[0], {})[name] = raw.iloc[:, i].to_numpy()
    out: dict[str, pd.DataFrame] = {}
    for ticker in names:
        got = fields.get(ticker)
        if not got:
            out[ticker] = _empty()
            continue
        if "close" not in got:
            raise _layout_error(raw, f"no Close column for {ticker}")
        frame = pd.DataFrame(
            {
                f: pd.to_numeric(pd.Series(got[f]), errors="coerce").to_numpy()
                for f in FIELDS
                if f in got
            },
            index=index,
        ).reindex(columns=list(FIELDS))
        frame = frame.astype(float).dropna(subset=["close"])
        frame = frame[~frame.index.duplicated(keep="last")].sort_index()
        out[ticker] = frame
    return out


def classify_failure(messages: Sequence[str]) -> Literal["transient", "unknown", "nodata"]:
    """Why yfinance returned no rows for a ticker, from its error messages.

    ``"transient"`` (network, rate limit, or no explanation: retry),
    ``"unknown"`` (Yahoo does not know the symbol) or ``"nodata"`` (a known
    symbol without trading in the range).
    """
    text = " | ".join(messages)
    if not text or _TRANSIENT.search(text):
        return "transient"
    if _UNKNOWN.search(text):
        return "unknown"
    if _NODATA.search(text):
        return "nodata"
    return "transient"
