"""Yahoo Finance prices through yfinance, with a persistent on-disk cache.

yfinance is imported only here, lazily, and only :meth:`Yahoo._download`
calls it. It is called with every option whose default changed between
releases passed explicitly (``auto_adjust=True``, ``multi_level_index=True``,
``group_by="column"``, ``ignore_tz=True``), and whatever shape comes back (one
or several tickers, MultiIndex or flat columns, tz-aware index, missing rows)
is normalised by :func:`normalise_download`.

Policies (each one explicit, none silent):

* **Cache.** One file per ticker (see :mod:`eventstudy.sources.cache`) holds
  adjusted OHLCV and the span of dates already requested and fetched. A
  request inside the span makes no network call; a wider one downloads only
  the missing dates before and after the span, plus the one cached session
  next to each gap, whose close must match the cached close: if it does not
  (a dividend or split since the cache was written rescaled the adjusted
  history), the ticker's whole span is downloaded again so the cache never
  mixes two adjustment bases. Dates from today on are never marked as
  fetched, so an unfinished session is fetched again later.
* **Failures.** A network error, a rate limit or an empty download is retried
  ``max_retries`` times with exponential backoff. Then, if the cache holds
  prices in the requested range, they are returned with a
  :class:`~eventstudy.exceptions.StaleDataWarning` naming the last cached date;
  otherwise :class:`~eventstudy.exceptions.DataUnavailableError` names the
  tickers and range and suggests ``source="snapshot"``. A symbol Yahoo does
  not know raises :class:`~eventstudy.exceptions.UnknownTickerError`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import datasets
from ..exceptions import (
    DataError,
    DataUnavailableError,
    EventStudyError,
    StaleDataWarning,
    UnknownTickerError,
)
from ._yfinance_shapes import FIELDS, _empty, classify_failure, normalise_download
from .base import date_bounds as _bounds
from .base import normalise_tickers, stamp
from .cache import CacheStore, resolve_cache_dir

__all__ = ["Yahoo", "normalise_download", "classify_failure", "AUTO_ADJUST"]

#: Passed to ``yfinance.download``: Close is split- and dividend-adjusted.
AUTO_ADJUST = True
_DAY = pd.Timedelta(days=1)
_PROGRESS_MIN = 4  # a progress bar from this many tickers to download
_SEAM_RTOL = 5e-5  # relative tolerance for "same adjusted close" at a cache seam


def _today() -> pd.Timestamp:
    """Today's date (a function so that tests can move the clock)."""
    return pd.Timestamp.today().normalize()


def _sleep(seconds: float) -> None:
    """Backoff sleep (a module function so that tests can skip the wait)."""
    time.sleep(seconds)


class _Capture(logging.Handler):
    """Collects yfinance's log messages during one download (its per-ticker errors)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _mentions(ticker: str, messages: Sequence[str]) -> list[str]:
    pattern = re.compile(rf"(?<![A-Za-z0-9.\-^=]){re.escape(ticker)}(?![A-Za-z0-9\-^=])")
    return [m.strip() for m in messages if pattern.search(m)]


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


@dataclass
class _Job:
    """Download state of one ticker during one request."""

    ticker: str
    cached: pd.DataFrame
    span: tuple[pd.Timestamp, pd.Timestamp] | None
    ranges: list[tuple[pd.Timestamp, pd.Timestamp]]
    replace: bool = False
    new: list[pd.DataFrame] = field(default_factory=list)
    fetched: list[tuple[pd.Timestamp, pd.Timestamp]] = field(default_factory=list)
    failure: tuple[str, str] | None = None
    note: str = ""


class Yahoo:
    """Daily adjusted closes from Yahoo Finance (yfinance), cached on disk.

    Parameters
    ----------
    cache_dir : path-like, optional
        Cache root. Default: ``$EVENTSTUDY_CACHE``, else the user cache folder
        (``platformdirs.user_cache_dir("eventstudy")``). Files go in its
        ``yahoo/`` sub-folder.
    refresh : bool, default False
        Download the whole cached span of each requested ticker again (and
        replace the cache), even when the cache covers the request.
    max_retries : int, default 3
        Retries after a failed download, waiting ``backoff * 2**k`` seconds.
    backoff : float, default 1.0
        First retry delay in seconds.
    progress : bool, optional
        Show a ``tqdm.auto`` bar; default: when 4 or more tickers are downloaded.
    batch_size : int, default 20
        Tickers per ``yfinance.download`` call.
    timeout : float, default 20
        Seconds before yfinance gives up on a request.

    Notes
    -----
    Prices are split- and dividend-adjusted closes (``auto_adjust=True``),
    recorded in ``attrs["source"]["auto_adjust"]``. Dates are the exchange's
    local trading dates; tickers on different exchanges are aligned on the
    union of their dates, with NaN where one did not trade.

    Examples
    --------
    >>> from eventstudy.sources import Yahoo
    >>> px = Yahoo().get_prices(["META", "SPY"], "2024-01-02", "2024-12-31")  # doctest: +SKIP
    >>> px.attrs["source"]["name"]  # doctest: +SKIP
    'yahoo'
    """

    name = "yahoo"

    def __init__(
        self,
        cache_dir: str | os.PathLike | None = None,
        *,
        refresh: bool = False,
        max_retries: int = 3,
        backoff: float = 1.0,
        progress: bool | None = None,
        batch_size: int = 20,
        timeout: float = 20.0,
    ) -> None:
        if not isinstance(max_retries, int) or max_retries < 0:
            raise EventStudyError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        for label, value in (("backoff", backoff), ("timeout", timeout)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise EventStudyError(f"{label} must be a number of seconds >= 0, got {value!r}")
        if not isinstance(batch_size, int) or batch_size < 1:
            raise EventStudyError(f"batch_size must be an integer >= 1, got {batch_size!r}")
        self.cache_dir = resolve_cache_dir(cache_dir)
        self.refresh = bool(refresh)
        self.max_retries = max_retries
        self.backoff = float(backoff)
        self.progress = progress
        self.batch_size = batch_size
        self.timeout = float(timeout)
        self._store = CacheStore(self.cache_dir, "yahoo")

    def __repr__(self) -> str:
        return f"Yahoo(cache_dir={str(self.cache_dir)!r}, refresh={self.refresh})"

    # ----------------------------------------------------------------- public
    def get_prices(self, tickers: Sequence[str] | str, start, end) -> pd.DataFrame:
        """Adjusted closes, date × ticker, over ``[start, end]`` (both inclusive).

        Returns
        -------
        pandas.DataFrame
            Tz-naive DatetimeIndex named ``date``, one float column per ticker
            in request order; ``attrs["source"]`` holds ``name="yahoo"``,
            ``first``, ``last``, ``auto_adjust`` and, after a failed download
            served from the cache, ``stale`` (ticker -> last cached date).

        Raises
        ------
        UnknownTickerError
            If Yahoo Finance does not know a ticker.
        DataUnavailableError
            If the download failed and the cache holds nothing in the range.
        DataError
            If a ticker has no prices in the range.
        """
        names = normalise_tickers(tickers)
        lo, hi = _bounds(start, end)
        jobs = [self._plan(t, lo, hi) for t in names]
        self._run([j for j in jobs if j.ranges])
        redo = [j for j in jobs if self._seam_mismatch(j)]
        for j in redo:  # adjustment changed since the cache was written: fetch the whole span
            first = min([lo, *([j.span[0]] if j.span else []), *j.cached.index[:1]])
            j.ranges = [(first, max([hi, *([j.span[1]] if j.span else [])]))]
            j.new, j.fetched, j.replace = [], [], True
        self._run(redo)
        merged = {j.ticker: self._commit(j) for j in jobs}
        self._report_failures(jobs, merged, lo, hi)
        return self._frame(jobs, merged, lo, hi)

    def covers(self, tickers: Sequence[str] | str, start, end) -> bool:
        """Whether the cache alone serves the request (no network call needed)."""
        lo, hi = _bounds(start, end)
        for ticker in normalise_tickers(tickers):
            table = self._store.load(ticker)
            span = _span(table.meta) if table else None
            if span is None or lo < span[0] or hi > span[1]:
                return False
        return True

    def cache_info(self, tickers: Sequence[str] | str | None = None) -> pd.DataFrame:
        """What the cache holds: ``ticker, first, last, rows, fetched_from, fetched_to, path``."""
        keys = self._store.keys() if tickers is None else normalise_tickers(tickers)
        rows = []
        for key in keys:
            table = self._store.load(key)
            if table is None:
                continue
            frame, span = table.frame, _span(table.meta)
            rows.append(
                {
                    "ticker": key,
                    "first": f"{frame.index[0]:%Y-%m-%d}" if len(frame) else None,
                    "last": f"{frame.index[-1]:%Y-%m-%d}" if len(frame) else None,
                    "rows": len(frame),
                    "fetched_from": f"{span[0]:%Y-%m-%d}" if span else None,
                    "fetched_to": f"{span[1]:%Y-%m-%d}" if span else None,
                    "path": str(table.path),
                }
            )
        columns = ["ticker", "first", "last", "rows", "fetched_from", "fetched_to", "path"]
        return pd.DataFrame(rows, columns=columns)

    # --------------------------------------------------------------- planning
    def _plan(self, ticker: str, lo: pd.Timestamp, hi: pd.Timestamp) -> _Job:
        table = self._store.load(ticker)
        cached = table.frame.reindex(columns=list(FIELDS)) if table else _empty()
        span = _span(table.meta) if table else None
        if self.refresh:
            first = min([lo, *([span[0]] if span else [])])
            last = max([hi, *([span[1]] if span else [])])
            return _Job(ticker, cached, span, [(first, last)], replace=True)
        ranges = []
        if span is None:
            ranges.append((lo, hi))
        else:  # each gap includes the adjacent cached session, to check the adjustment
            if lo < span[0]:
                edge = span[0] - _DAY
                ranges.append((lo, max(cached.index[0], edge) if len(cached) else edge))
            if hi > span[1]:
                edge = span[1] + _DAY
                ranges.append((min(cached.index[-1], edge) if len(cached) else edge, hi))
        return _Job(ticker, cached, span, ranges)

    # ------------------------------------------------------------ downloading
    def _run(self, jobs: list[_Job]) -> None:
        groups: dict[tuple, list[_Job]] = {}
        for job in jobs:
            groups.setdefault(tuple(job.ranges), []).append(job)
        bar = self._bar(len(jobs))
        try:
            for ranges, members in groups.items():
                for i in range(0, len(members), self.batch_size):
                    batch = members[i : i + self.batch_size]
                    for a, b in ranges:
                        self._fetch_range(batch, a, b)
                    if bar is not None:
                        bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()

    def _bar(self, n: int):
        if n == 0 or self.progress is False or (self.progress is None and n < _PROGRESS_MIN):
            return None
        from tqdm.auto import tqdm

        return tqdm(total=n, desc="Yahoo Finance", unit="ticker", leave=False)

    def _fetch_range(self, batch: list[_Job], a: pd.Timestamp, b: pd.Timestamp) -> None:
        pending = {j.ticker: j for j in batch if j.failure is None}
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            if not pending:
                return
            if attempt:
                _sleep(self.backoff * 2 ** (attempt - 1))
            frames, errors = self._download(list(pending), a, b)
            retry: dict[str, _Job] = {}
            for ticker, job in pending.items():
                rows = frames.get(ticker)
                if rows is not None and len(rows):
                    job.new.append(rows)
                    job.fetched.append((a, b))
                    continue
                messages = errors.get(ticker, [])
                kind = classify_failure(messages)
                message = messages[-1] if messages else "yfinance returned no rows"
                if kind == "nodata":
                    job.fetched.append((a, b))
                    job.note = message
                elif kind == "unknown":
                    job.failure = ("unknown", message)
                else:
                    retry[ticker] = job
                    job.note = message
            pending = retry
        for job in pending.values():
            job.failure = ("transient", f"{job.note}; {attempts} attempt(s)")

    def _download(
        self, tickers: list[str], start: pd.Timestamp, end: pd.Timestamp
    ) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
        """One ``yfinance.download`` call: per-ticker frames and per-ticker error messages.

        ``end`` is inclusive here; yfinance's ``end`` is exclusive, so one day is added.
        """
        import yfinance

        capture = _Capture()
        logger = logging.getLogger("yfinance")
        logger.addHandler(capture)
        try:
            with warnings.catch_warnings():
                # yfinance's own use of deprecated pandas API is not the user's concern
                warnings.filterwarnings("ignore", category=DeprecationWarning, module="yfinance")
                warnings.filterwarnings("ignore", category=FutureWarning, module="yfinance")
                raw = yfinance.download(
                    list(tickers),
                    start=f"{start:%Y-%m-%d}",
                    end=f"{end + _DAY:%Y-%m-%d}",
                    interval="1d",
                    auto_adjust=AUTO_ADJUST,
                    multi_level_index=True,
                    group_by="column",
                    actions=False,
                    ignore_tz=True,
                    repair=False,
                    keepna=False,
                    progress=False,
                    threads=True,
                    timeout=self.timeout,
                )
        except Exception as exc:  # yfinance raises curl, requests, JSON and its own errors
            return {}, {t: [_reason(exc)] for t in tickers}
        finally:
            logger.removeHandler(capture)
        frames = normalise_download(raw, tickers)
        shared = sys.modules.get("yfinance.shared")  # yfinance < 1.0 records errors here
        legacy = dict(getattr(shared, "_ERRORS", None) or {})
        errors = {
            t: _mentions(t, capture.messages) + ([str(legacy[t])] if t in legacy else [])
            for t in tickers
        }
        return frames, errors

    # --------------------------------------------------------------- merging
    @staticmethod
    def _seam_mismatch(job: _Job) -> bool:
        if job.replace or job.failure or not job.new or job.cached.empty:
            return False
        new = pd.concat(job.new)
        common = job.cached.index.intersection(new.index)
        if common.empty:
            return True
        old = job.cached.loc[common, "close"].to_numpy()
        fresh = new.loc[~new.index.duplicated(keep="last")].loc[common, "close"].to_numpy()
        return not np.allclose(fresh, old, rtol=_SEAM_RTOL, atol=0.0)

    def _commit(self, job: _Job) -> pd.DataFrame:
        """Merge the new rows into the cache, save it, and return the ticker's rows."""
        if not job.fetched:
            return job.cached
        new = pd.concat(job.new) if job.new else _empty()
        new = new[~new.index.duplicated(keep="last")]
        merged = new if job.replace else new.combine_first(job.cached)
        merged = merged.reindex(columns=list(FIELDS)).sort_index()
        settled = _today() - _DAY
        spans = [(a, min(b, settled)) for a, b in job.fetched if a <= min(b, settled)]
        if job.span and not job.replace:
            spans.append(job.span)
        span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        meta = {
            "source": "yahoo",
            "ticker": job.ticker,
            "auto_adjust": AUTO_ADJUST,
            "span": [f"{span[0]:%Y-%m-%d}", f"{span[1]:%Y-%m-%d}"] if span else None,
        }
        self._store.save(job.ticker, merged, meta)
        return merged

    def _report_failures(self, jobs: list[_Job], merged: dict, lo, hi) -> None:
        unknown, missing, stale = [], [], []
        for job in jobs:
            if job.failure is None:
                continue
            kind, message = job.failure
            held = merged[job.ticker].loc[lo:hi]
            if kind == "unknown" and merged[job.ticker].empty:
                unknown.append(f"{job.ticker} ({message})")
            elif held.empty:
                missing.append((job.ticker, message))
            else:
                stale.append((job.ticker, held.index[-1], message))
        if unknown:
            raise UnknownTickerError(
                f"Yahoo Finance does not know ticker(s) {'; '.join(unknown)}. Check the symbol "
                "(Yahoo spells share classes and indices like 'BRK-B' and '^GSPC')"
            )
        if missing:
            names = ", ".join(t for t, _ in missing)
            raise DataUnavailableError(
                f"could not download {names} for {lo:%Y-%m-%d} to {hi:%Y-%m-%d} from Yahoo "
                f"Finance ({missing[-1][1]}), and the cache in {self.cache_dir} holds no prices "
                "for that range. Check the internet connection, or use source='snapshot' for the "
                f"bundled data ({len(datasets.TICKERS)} tickers, "
                f"{datasets.PRICES_START:%Y-%m-%d} to {datasets.PRICES_END:%Y-%m-%d})"
            )
        if stale:
            held = ", ".join(f"{t} through {last:%Y-%m-%d}" for t, last, _ in stale)
            warnings.warn(
                f"Yahoo Finance could not be reached ({stale[-1][2]}); using cached prices: "
                f"{held} (last cached date), requested {lo:%Y-%m-%d} to {hi:%Y-%m-%d}",
                StaleDataWarning,
                stacklevel=3,
            )

    def _frame(self, jobs: list[_Job], merged: dict, lo, hi) -> pd.DataFrame:
        columns, empty = {}, []
        for job in jobs:
            close = merged[job.ticker].loc[lo:hi, "close"]
            if close.empty:
                reason = f" ({job.note})" if job.note else ""
                empty.append(f"{job.ticker}{reason}")
            columns[job.ticker] = close
        if empty:
            raise DataError(
                f"Yahoo Finance has no prices for {'; '.join(empty)} between {lo:%Y-%m-%d} and "
                f"{hi:%Y-%m-%d}; check the dates (the range may hold no trading day)"
            )
        frame = pd.DataFrame(columns).sort_index().astype(float)
        frame.index = pd.DatetimeIndex(frame.index.to_numpy(), name="date")  # no inferred freq
        frame.columns.name = "ticker"
        stamp(frame, self.name)
        frame.attrs["source"]["auto_adjust"] = AUTO_ADJUST
        stale = {j.ticker: f"{merged[j.ticker].index[-1]:%Y-%m-%d}" for j in jobs if j.failure}
        if stale:
            frame.attrs["source"]["stale"] = stale
        return frame


def _span(meta: dict) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    span = meta.get("span")
    if not span:
        return None
    return pd.Timestamp(span[0]), pd.Timestamp(span[1])
