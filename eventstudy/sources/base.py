"""The data-source protocols shared by every source.

A price source turns ``(tickers, start, end)`` into a wide frame of adjusted
closes (DatetimeIndex named ``date`` × one column per ticker). A source may also
offer ``get_returns`` (a file of returns, say); :func:`fetch_returns` uses it
when present and otherwise computes simple returns from prices. A factor
source returns Fama–French-style factors in decimals.

Every frame a source returns carries ``attrs["source"]``: a dict with the
source ``name`` and the ``first`` and ``last`` dates it holds, so results can
report their provenance.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ..exceptions import DataError

__all__ = [
    "PriceSource",
    "FactorSource",
    "fetch_returns",
    "stamp",
    "normalise_tickers",
    "date_bounds",
]


@runtime_checkable
class PriceSource(Protocol):
    """Anything that can return adjusted daily closes.

    ``get_prices(tickers, start, end)`` returns a DataFrame indexed by a
    timezone-naive DatetimeIndex named ``date`` with one float column per
    requested ticker (in request order), covering ``[start, end]``. It raises
    :class:`~eventstudy.exceptions.UnknownTickerError` for an unknown ticker and
    :class:`~eventstudy.exceptions.DataError` when the range is not covered.
    """

    name: str

    def get_prices(
        self, tickers: Sequence[str], start: pd.Timestamp, end: pd.Timestamp
    ) -> pd.DataFrame: ...


@runtime_checkable
class FactorSource(Protocol):
    """Anything that can return daily factors (decimals) with an ``rf`` column."""

    name: str

    def get_factors(self, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame: ...


def normalise_tickers(tickers: Sequence[str] | str) -> list[str]:
    """Upper-case, strip and de-duplicate tickers, keeping their order."""
    if isinstance(tickers, str):
        tickers = [tickers]
    if not isinstance(tickers, Iterable) or isinstance(tickers, (bytes, dict, pd.DataFrame)):
        raise DataError(f"tickers must be a ticker or a list of tickers, got {tickers!r:.80}")
    out = [str(t).strip().upper() for t in tickers]
    if not out or any(t == "" for t in out):
        raise DataError(f"tickers must be non-empty strings, got {list(tickers)!r}")
    return list(dict.fromkeys(out))


def stamp(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Record provenance in ``frame.attrs['source']`` and return the frame."""
    valid = frame.dropna(how="all")
    frame.attrs["source"] = {
        "name": name,
        "first": f"{valid.index[0]:%Y-%m-%d}" if len(valid) else None,
        "last": f"{valid.index[-1]:%Y-%m-%d}" if len(valid) else None,
    }
    return frame


def fetch_returns(
    source: PriceSource,
    tickers: Sequence[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
    *,
    return_type: str = "simple",
) -> pd.DataFrame:
    """Daily returns of ``tickers`` over ``[start, end]`` from a source.

    Returns are computed from consecutive rows of the source's prices, so the
    first date of the range has no return; a missing price leaves the next
    return missing too (never a silent multi-day return).
    """
    from . import resolve_source

    source = resolve_source(source)
    if return_type not in ("simple", "log"):
        raise DataError(f"return_type must be 'simple' or 'log', got {return_type!r}")
    if hasattr(source, "get_returns"):
        frame = source.get_returns(tickers, start, end)
        if return_type == "log":
            frame = np.log1p(frame)
    else:
        prices = source.get_prices(tickers, start, end)
        frame = prices_to_returns(prices, return_type=return_type)
        frame.attrs = dict(prices.attrs)
    return frame


def prices_to_returns(prices: pd.DataFrame, *, return_type: str = "simple") -> pd.DataFrame:
    """Simple (or log) returns from a wide frame of prices, without filling gaps."""
    if not isinstance(prices, pd.DataFrame):
        raise DataError(
            f"prices must be a DataFrame (dates × tickers), got {type(prices).__name__}"
        )
    if return_type not in ("simple", "log"):
        raise DataError(f"return_type must be 'simple' or 'log', got {return_type!r}")
    try:
        values = prices.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise DataError("prices must be numbers; found non-numeric values") from None
    if np.any(values[np.isfinite(values)] <= 0):
        col = prices.columns[np.any(np.isfinite(values) & (values <= 0), axis=0)][0]
        raise DataError(f"prices of {col!r} contain values <= 0; expected positive prices")
    ratio = values[1:] / values[:-1]
    out = np.full_like(values, np.nan)
    out[1:] = np.log(ratio) if return_type == "log" else ratio - 1.0
    return pd.DataFrame(out, index=prices.index, columns=prices.columns)


def date_bounds(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``start`` and ``end`` as tz-naive dates, ``start <= end`` (a DataError otherwise)."""
    out = []
    for label, value in (("start", start), ("end", end)):
        try:
            stamp_ = pd.Timestamp(value)
        except (ValueError, TypeError):
            raise DataError(f"{label} {value!r} is not a date; expected YYYY-MM-DD") from None
        if stamp_ is pd.NaT or value is None:
            raise DataError(f"{label} is required; expected a date such as '2024-01-31'")
        if stamp_.tz is not None:
            stamp_ = stamp_.tz_localize(None)
        out.append(stamp_.normalize())
    if out[0] > out[1]:
        raise DataError(f"start {out[0]:%Y-%m-%d} is after end {out[1]:%Y-%m-%d}")
    return out[0], out[1]
