"""Fama–French daily factors from the Kenneth R. French data library.

Two files are used: the daily five factors (2x3) and the daily momentum
factor, each a zip holding one CSV with a text preamble, a header line
(``,Mkt-RF,SMB,HML,RMW,CMA,RF`` or ``,Mom``), rows ``YYYYMMDD, value, ...`` in
percent, and a copyright footer. :func:`parse_french_csv` reads that layout;
:class:`FamaFrench` downloads, caches and serves the factors in decimals.

Policies: the parsed factors are cached on disk (``famafrench/`` under the
cache root, see :mod:`eventstudy.sources.cache`). The cache is used when it
covers the request; otherwise the files are downloaded again, at most once
per ``max_age``, because French publishes monthly with a lag. If the download
fails, the newer of the cache and the bundled factors is used with a
:class:`~eventstudy.exceptions.StaleDataWarning` naming its last date.
Dates the library has not published yet are reported with a
:class:`~eventstudy.exceptions.MissingDataWarning`, never filled.
"""

from __future__ import annotations

import io
import os
import re
import urllib.request
import warnings
import zipfile
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from .. import datasets
from ..exceptions import DataError, DataUnavailableError, MissingDataWarning, StaleDataWarning
from .base import stamp
from .cache import CacheStore, resolve_cache_dir
from .yahoo import _bounds

__all__ = ["FamaFrench", "parse_french_csv", "fetch_url", "FIVE_FACTORS_URL", "MOMENTUM_URL"]

_BASE = "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/"
#: Daily Fama–French five factors (2x3), zip of CSV.
FIVE_FACTORS_URL = _BASE + "F-F_Research_Data_5_Factors_2x3_daily_CSV.zip"
#: Daily momentum factor, zip of CSV.
MOMENTUM_URL = _BASE + "F-F_Momentum_Factor_daily_CSV.zip"

COLUMNS = ("mkt_rf", "smb", "hml", "rmw", "cma", "mom", "rf")
_NAMES = {"mkt-rf": "mkt_rf", "smb": "smb", "hml": "hml", "rmw": "rmw", "cma": "cma",
          "rf": "rf", "mom": "mom"}  # fmt: skip
_MISSING_CODES = (-99.99, -999.0)
_DATE = re.compile(r"^\d{8}$")
_KEY = "factors_daily"


def fetch_url(url: str, *, timeout: float = 30.0) -> bytes:
    """The bytes at ``url`` (the single network call of this module; tests replace it)."""
    from .. import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"eventstudy/{__version__}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def parse_french_csv(text: str, *, name: str = "French file") -> pd.DataFrame:
    """Parse the first table of a French data-library CSV.

    Parameters
    ----------
    text : str
        The file content: preamble lines, a header line starting with a comma,
        rows ``YYYYMMDD, v1, v2, ...``, then a blank line or a footer.
    name : str
        Used in error messages.

    Returns
    -------
    pandas.DataFrame
        Values as published (percent), DatetimeIndex named ``date``; columns
        renamed ``Mkt-RF`` -> ``mkt_rf``, ``SMB`` -> ``smb``, ..., ``Mom`` ->
        ``mom``. The library's missing-value codes (-99.99, -999) become NaN.

    Raises
    ------
    DataError
        If no header or no rows are found, or a row is malformed.

    Examples
    --------
    >>> text = "Preamble.\\n\\n,Mkt-RF,RF\\n20250102,  -0.20,  0.02\\n\\nCopyright 2026 ..."
    >>> parse_french_csv(text).loc["2025-01-02"].tolist()
    [-0.2, 0.02]
    """
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.lstrip().startswith(",")), None)
    if header_at is None:
        raise DataError(f"{name}: no header line (',Mkt-RF,...') found; is this a French CSV?")
    header = [h.strip() for h in lines[header_at].split(",")[1:]]
    if not header or any(h == "" for h in header):
        raise DataError(f"{name}, line {header_at + 1}: malformed header {lines[header_at]!r}")
    columns = [_NAMES.get(h.lower(), re.sub(r"\W+", "_", h.lower()).strip("_")) for h in header]
    dates, values = [], []
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        fields = [f.strip() for f in line.split(",")]
        if not _DATE.match(fields[0]):
            break  # blank line, footer or the next (annual) table: the daily table ended
        if len(fields) != len(columns) + 1:
            raise DataError(
                f"{name}, line {number}: {len(fields) - 1} values, expected {len(columns)}"
            )
        try:
            values.append([float(f) for f in fields[1:]])
        except ValueError:
            raise DataError(f"{name}, line {number}: non-numeric value in {line!r}") from None
        dates.append(fields[0])
    if not dates:
        raise DataError(f"{name}: no data rows after the header")
    index = pd.DatetimeIndex(pd.to_datetime(dates, format="%Y%m%d"), name="date")
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise DataError(f"{name}: dates are not strictly increasing")
    frame = pd.DataFrame(np.array(values, dtype=float), index=index, columns=columns)
    return frame.mask(frame.isin(_MISSING_CODES))


def _read_zip(data: bytes, *, name: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DataError(f"{name}: the download is not a zip file") from None
    members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
    if len(members) != 1:
        raise DataError(f"{name}: expected one CSV in the zip, found {archive.namelist()}")
    return archive.read(members[0]).decode("latin-1")


class FamaFrench:
    """Daily Fama–French five factors and momentum, downloaded and cached.

    Parameters
    ----------
    cache_dir : path-like, optional
        Cache root (default as for :class:`~eventstudy.sources.Yahoo`).
    refresh : bool, default False
        Download again even if the cache covers the request.
    max_age : pandas.Timedelta or str, default "1D"
        Do not download again within this time of the last download, even if
        the request reaches beyond the cached dates (French has not published
        them yet).
    timeout : float, default 30
        Seconds before a download gives up.

    Examples
    --------
    >>> from eventstudy.sources import FamaFrench
    >>> ff = FamaFrench().get_factors("2024-01-02", "2024-12-31")  # doctest: +SKIP
    >>> list(ff.columns)  # doctest: +SKIP
    ['mkt_rf', 'smb', 'hml', 'rmw', 'cma', 'mom', 'rf']
    """

    name = "famafrench"

    def __init__(
        self,
        cache_dir: str | os.PathLike | None = None,
        *,
        refresh: bool = False,
        max_age: pd.Timedelta | str = "1D",
        timeout: float = 30.0,
    ) -> None:
        try:
            self.max_age = pd.Timedelta(max_age)
        except ValueError:
            raise DataError(f"max_age {max_age!r} is not a duration such as '1D'") from None
        self.cache_dir = resolve_cache_dir(cache_dir)
        self.refresh = bool(refresh)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
            raise DataError(f"timeout must be a number of seconds > 0, got {timeout!r}")
        self.timeout = float(timeout)
        self._store = CacheStore(self.cache_dir, "famafrench")

    def __repr__(self) -> str:
        return f"FamaFrench(cache_dir={str(self.cache_dir)!r})"

    def get_factors(self, start, end) -> pd.DataFrame:
        """Daily factors in decimals over ``[start, end]`` (inclusive).

        Returns
        -------
        pandas.DataFrame
            Columns ``mkt_rf, smb, hml, rmw, cma, mom, rf`` (0.01 = 1%),
            DatetimeIndex named ``date``; ``attrs["source"]`` names where they
            came from (``famafrench``, or ``snapshot-ff`` after a failed
            download) with the first and last date.

        Raises
        ------
        DataUnavailableError
            If the download failed and neither the cache nor the bundled
            factors hold any date in the range.
        """
        lo, hi = _bounds(start, end)
        table = self._store.load(_KEY)
        cached = table.frame if table is not None else None
        stamp_ = table.meta.get("downloaded") if table is not None else None
        downloaded = pd.Timestamp(stamp_) if stamp_ else None
        fresh = downloaded is not None and _now() - downloaded < self.max_age
        covered = cached is not None and not _outside(cached.index, lo, hi)
        if cached is not None and not self.refresh and (covered or fresh):
            return self._serve(cached, lo, hi, self.name, downloaded)
        try:
            frame = self.download()
        except (OSError, DataError, ValueError) as exc:  # URLError is an OSError
            return self._fallback(cached, lo, hi, exc)
        now = _now()
        self._store.save(_KEY, frame, {"source": self.name, "downloaded": now.isoformat(),
                                       "urls": [FIVE_FACTORS_URL, MOMENTUM_URL]})  # fmt: skip
        return self._serve(frame, lo, hi, self.name, now)

    def download(self) -> pd.DataFrame:
        """Download and parse both files; the full history in decimals (no caching)."""
        five = parse_french_csv(
            _read_zip(fetch_url(FIVE_FACTORS_URL, timeout=self.timeout), name=FIVE_FACTORS_URL),
            name=FIVE_FACTORS_URL,
        )
        mom = parse_french_csv(
            _read_zip(fetch_url(MOMENTUM_URL, timeout=self.timeout), name=MOMENTUM_URL),
            name=MOMENTUM_URL,
        )
        return combine(five, mom)

    def _serve(self, frame: pd.DataFrame, lo, hi, name: str, downloaded) -> pd.DataFrame:
        out = frame.loc[lo:hi].copy()
        if out.empty:
            raise DataError(
                f"the French library's daily factors cover {frame.index[0]:%Y-%m-%d} to "
                f"{frame.index[-1]:%Y-%m-%d}; nothing between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}"
            )
        if _outside(frame.index, lo, hi):
            when = f", downloaded {downloaded:%Y-%m-%d}" if downloaded is not None else ""
            warnings.warn(
                f"the Fama-French factors ({name}{when}) cover {frame.index[0]:%Y-%m-%d} to "
                f"{frame.index[-1]:%Y-%m-%d}; requested {lo:%Y-%m-%d} to {hi:%Y-%m-%d}: the "
                "dates outside are missing (French publishes monthly, with a lag)",
                MissingDataWarning,
                stacklevel=3,
            )
        stamp(out, name)
        if downloaded is not None:
            out.attrs["source"]["downloaded"] = f"{downloaded:%Y-%m-%d}"
        return out

    def _fallback(self, cached, lo, hi, exc: Exception) -> pd.DataFrame:
        bundled = datasets.load_factors()
        if cached is not None and len(cached) and cached.index[-1] > bundled.index[-1]:
            frame, name, label = cached, self.name, "cached"
        else:
            frame, name, label = bundled, "snapshot-ff", "bundled"
        if frame.loc[lo:hi].empty:
            raise DataUnavailableError(
                f"could not download the Fama-French factors ({type(exc).__name__}: {exc}); the "
                f"{label} factors cover {frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}, "
                f"nothing between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}. Check the internet connection"
            )
        warnings.warn(
            f"could not download the Fama-French factors ({type(exc).__name__}: {exc}); using "
            f"the {label} factors, last date {frame.index[-1]:%Y-%m-%d}",
            StaleDataWarning,
            stacklevel=3,
        )
        return self._serve(frame[list(COLUMNS)], lo, hi, name, None)


def combine(five: pd.DataFrame, mom: pd.DataFrame) -> pd.DataFrame:
    """Join the parsed five-factor and momentum tables (percent) into decimals.

    Dates present in only one file are dropped only at the ends (the files
    are published together); a gap inside the common span raises.
    """
    need = {"mkt_rf", "smb", "hml", "rmw", "cma", "rf"}
    if not need <= set(five.columns) or "mom" not in mom.columns:
        raise DataError(
            f"unexpected French columns: {list(five.columns)} and {list(mom.columns)}; expected "
            "Mkt-RF, SMB, HML, RMW, CMA, RF and Mom"
        )
    first = max(five.index[0], mom.index[0])
    last = min(five.index[-1], mom.index[-1])
    a, b = five.loc[first:last], mom.loc[first:last]
    if not a.index.equals(b.index):
        odd = a.index.symmetric_difference(b.index)[0]
        raise DataError(f"the five-factor and momentum files disagree on date {odd:%Y-%m-%d}")
    frame = a.join(b[["mom"]])[list(COLUMNS)] / 100.0
    return frame.round(10)


def _outside(index: pd.DatetimeIndex, lo: pd.Timestamp, hi: pd.Timestamp) -> bool:
    """Whether weekdays of ``[lo, hi]`` fall before or after ``index`` (holidays not known)."""
    if len(index) == 0:
        return True
    before = pd.bdate_range(lo, min(hi, index[0] - pd.Timedelta(days=1)))
    after = pd.bdate_range(max(lo, index[-1] + pd.Timedelta(days=1)), hi)
    return len(before) > 0 or len(after) > 0


def _now() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(timezone.utc)).tz_localize(None)
