"""Bundled market data: Meta, its peers, market ETFs and Fama–French factors.

The snapshot ships inside the package (gzip-compressed CSV, never pickle) so
that every example, test and notebook runs offline and gives the same numbers
everywhere. See :data:`DESCR` for the content and provenance; the full audit
(sources, commits, cross-source checks) is in ``data/SOURCES.md`` beside this
module.

Loaders return plain DataFrames, in the spirit of ``seaborn.load_dataset``:

* :func:`load_prices` — adjusted close (or another field), date × ticker;
* :func:`load_ohlcv` — the long table ``date, ticker, open, high, low, close, volume``;
* :func:`load_factors` — Fama–French daily factors as decimals;
* :func:`load_events` — the project's Meta ``events.csv``, validated, with ``day0``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import pandas as pd

from ..exceptions import DataError, UnknownTickerError

__all__ = [
    "DESCR",
    "load_prices",
    "load_ohlcv",
    "load_factors",
    "load_events",
    "events_path",
    "TICKERS",
    "FACTORS",
]

TICKERS = (
    "AAPL", "AMD", "AMZN", "GOOGL", "META", "MSFT", "NFLX",
    "NVDA", "PINS", "QQQ", "SNAP", "SPY", "TSLA", "XLC",
)  # fmt: skip
FACTORS = ("mkt_rf", "smb", "hml", "rmw", "cma", "mom", "rf")

DESCR = """\
eventstudy bundled snapshot
===========================

Prices (``load_prices``, ``load_ohlcv``)
    Daily open, high, low, close and volume for 14 tickers: META; peers
    AAPL, AMD, AMZN, GOOGL, MSFT, NFLX, NVDA, PINS, SNAP, TSLA; ETFs SPY, QQQ,
    XLC. 928 NYSE sessions, 2023-01-03 to 2026-09-15, every XNYS session
    present (no gaps, no extra dates). Prices are split- and dividend-adjusted
    (yfinance "auto-adjust" convention: prices before an ex-date are scaled by
    1 - dividend / previous close); returns are unaffected by the adjustment
    date. Volume is the published share count.

    Provenance: public GitHub repositories, data only --
    DrRobAnthony/market-data (META, SPY, QQQ, GOOGL, MSFT, AAPL, NVDA at
    commit 005b3915; AMZN, TSLA, AMD, NFLX at 021bd8ea), littler999/leek-sim
    (SNAP, PINS at 1f50a553; XLC raw prices at c24f9de5, adjusted with
    dividend factors from landon-io/stocks-ai-agent d5dd6341 and
    chenc319/Silverlight 334f955a). Daily returns were cross-checked against
    an independent raw-price copy (leek-sim): differences are the dividend
    yield on ex-dates and zero otherwise. Sanity: META 2025-10-30 close-to-close
    -11.33%, 2026-01-29 +10.40%; SPY 2025-04-09 +10.50%.
    Known doubtful item: META 2025-12-12 high (a probable bad print).

Factors (``load_factors``)
    Kenneth R. French data library, daily Fama-French 5 factors (2x3) and
    momentum: mkt_rf, smb, hml, rmw, cma, mom, rf. 918 sessions, 2023-01-03 to
    2026-08-31 (August 2026 vintage; French revises recent months, treat
    2026-06..08 as preliminary). Stored in percent as published; the loader
    returns decimals. Provenance: alm0421/alm0421 data/factors/ff5_daily.csv
    and mom_daily.csv at commit 08b28aae, cross-checked against
    Marik58/quantanalyzer (original French text format) at eee514f5.
    corr(SPY - rf, mkt_rf) = 0.9942.

Events (``load_events``)
    The project's events.csv: Meta Platforms earnings releases Q4 2023 to
    Q2 2026 and non-earnings AI events (Llama 4, Scale AI, Superintelligence
    Labs, capex announcements, ...), with source keys pointing to the
    project's reference chronology.

Full audit: eventstudy/datasets/data/SOURCES.md.
"""

_DATA = resources.files(__package__) / "data"

#: First and last session of the bundled prices and factors.
PRICES_START, PRICES_END = pd.Timestamp("2023-01-03"), pd.Timestamp("2026-09-15")
FACTORS_START, FACTORS_END = pd.Timestamp("2023-01-03"), pd.Timestamp("2026-08-31")


@lru_cache(maxsize=1)
def _ohlcv() -> pd.DataFrame:
    with (_DATA / "prices_daily.csv.gz").open("rb") as fh:
        frame = pd.read_csv(fh, compression="gzip", parse_dates=["date"])
    frame["ticker"] = frame["ticker"].astype(str)
    return frame


@lru_cache(maxsize=1)
def _factors_percent() -> pd.DataFrame:
    with (_DATA / "ff_factors_daily.csv.gz").open("rb") as fh:
        frame = pd.read_csv(fh, compression="gzip", parse_dates=["date"], index_col="date")
    return frame


def _check_range(start, end, first: pd.Timestamp, last: pd.Timestamp, what: str):
    from ..calendar import _to_date

    lo = first if start is None else _to_date(start, "start")
    hi = last if end is None else _to_date(end, "end")
    if lo > hi:
        raise DataError(f"start {lo:%Y-%m-%d} is after end {hi:%Y-%m-%d}")
    if lo < first or hi > last:
        raise DataError(
            f"the bundled {what} cover {first:%Y-%m-%d} to {last:%Y-%m-%d}; requested "
            f"{lo:%Y-%m-%d} to {hi:%Y-%m-%d}. Use source='yahoo' (or 'auto') for other dates"
        )
    return lo, hi


def _check_tickers(tickers: Sequence[str] | str | None) -> list[str]:
    if tickers is None:
        return list(TICKERS)
    if isinstance(tickers, str):
        tickers = [tickers]
    try:
        tickers = [str(t).strip().upper() for t in tickers]
    except TypeError:
        raise DataError(f"tickers must be a ticker or a list of tickers, got {tickers!r}") from None
    missing = [t for t in tickers if t not in TICKERS]
    if missing:
        raise UnknownTickerError(
            f"ticker(s) {', '.join(missing)} not in the bundled snapshot, which holds "
            f"{', '.join(TICKERS)}. Use source='yahoo' (or 'auto') for other tickers"
        )
    return list(dict.fromkeys(tickers))


def load_ohlcv(
    tickers: Sequence[str] | str | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Daily OHLCV of the bundled snapshot as a long table.

    Parameters
    ----------
    tickers : str or sequence of str, optional
        Tickers to keep (default: all 14).
    start, end : date-like, optional
        Inclusive bounds within 2023-01-03 .. 2026-09-15.

    Returns
    -------
    pandas.DataFrame
        Columns ``date, ticker, open, high, low, close, volume``; adjusted prices.

    Examples
    --------
    >>> from eventstudy.datasets import load_ohlcv
    >>> load_ohlcv("META", "2025-10-29", "2025-10-30")["close"].round(2).tolist()
    [749.13, 664.22]
    """
    names = _check_tickers(tickers)
    lo, hi = _check_range(start, end, PRICES_START, PRICES_END, "prices")
    frame = _ohlcv()
    mask = frame["ticker"].isin(names) & (frame["date"] >= lo) & (frame["date"] <= hi)
    return frame.loc[mask].reset_index(drop=True)


def load_prices(
    tickers: Sequence[str] | str | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    field: Literal["close", "open", "high", "low", "volume"] = "close",
) -> pd.DataFrame:
    """Bundled daily prices as a wide frame (date × ticker).

    Parameters
    ----------
    tickers : str or sequence of str, optional
        Tickers to return, in this order (default: all 14).
    start, end : date-like, optional
        Inclusive bounds within 2023-01-03 .. 2026-09-15.
    field : {"close", "open", "high", "low", "volume"}, default "close"
        Which field; ``close`` is the split- and dividend-adjusted close.

    Returns
    -------
    pandas.DataFrame
        DatetimeIndex named ``date`` × one column per ticker.

    Raises
    ------
    UnknownTickerError
        If a ticker is not bundled (the message lists the bundled tickers).
    DataError
        If the range falls outside the snapshot.

    Examples
    --------
    >>> from eventstudy.datasets import load_prices
    >>> px = load_prices(["META", "SPY"])
    >>> round(px["META"].pct_change().loc["2025-10-30"], 4)
    -0.1133
    """
    if field not in ("close", "open", "high", "low", "volume"):
        raise DataError(
            f"field {field!r} is not available; expected one of close, open, high, low, volume"
        )
    names = _check_tickers(tickers)
    long = load_ohlcv(names, start, end)
    wide = long.pivot(index="date", columns="ticker", values=field)
    wide = wide.reindex(columns=names)
    wide.columns.name = "ticker"
    wide.attrs["source"] = {
        "name": "snapshot",
        "first": f"{wide.index[0]:%Y-%m-%d}",
        "last": f"{wide.index[-1]:%Y-%m-%d}",
    }
    return wide


def load_factors(
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    factors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Bundled Fama–French daily factors, as decimals.

    Parameters
    ----------
    start, end : date-like, optional
        Inclusive bounds within 2023-01-03 .. 2026-08-31.
    factors : sequence of str, optional
        Subset of ``mkt_rf, smb, hml, rmw, cma, mom, rf`` (default: all).

    Returns
    -------
    pandas.DataFrame
        DatetimeIndex named ``date`` × factor columns, in decimals (0.01 = 1%).

    Examples
    --------
    >>> from eventstudy.datasets import load_factors
    >>> float(load_factors("2025-04-09", "2025-04-09")["mkt_rf"].iloc[0])
    0.0965
    """
    lo, hi = _check_range(start, end, FACTORS_START, FACTORS_END, "factors")
    frame = _factors_percent().loc[lo:hi] / 100.0
    if factors is not None:
        if isinstance(factors, str):
            factors = [factors]
        if not isinstance(factors, (list, tuple)):
            raise DataError(f"factors must be a list of factor names, got {factors!r}")
        unknown = [str(f) for f in factors if f not in FACTORS]
        if unknown:
            raise DataError(
                f"factor(s) {', '.join(unknown)} not bundled; expected some of {', '.join(FACTORS)}"
            )
        frame = frame[list(factors)]
    frame = frame.round(10)
    frame.attrs["source"] = {
        "name": "snapshot-ff",
        "first": f"{frame.index[0]:%Y-%m-%d}",
        "last": f"{frame.index[-1]:%Y-%m-%d}",
    }
    return frame


def events_path() -> Path:
    """Path of the project's ``events.csv`` (a packaged copy when installed)."""
    packaged = Path(str(_DATA / "events.csv"))
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "events.csv"


def load_events(calendar: str | None = "XNYS") -> pd.DataFrame:
    """The project's Meta events, validated, with ``day0``.

    Parameters
    ----------
    calendar : str or None, default "XNYS"
        Calendar for day-0 alignment, passed to :func:`eventstudy.load_events`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from eventstudy.datasets import load_events
    >>> int((load_events()["kind"] == "earnings").sum())
    11
    """
    from ..events import load_events as _load_events

    return _load_events(events_path(), calendar=calendar)
