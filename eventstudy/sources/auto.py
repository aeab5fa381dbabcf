"""``source="auto"``: the bundled snapshot when it covers a request, Yahoo otherwise."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from .famafrench import FamaFrench
from .snapshot import Snapshot
from .yahoo import Yahoo

__all__ = ["Auto"]


class Auto:
    """Prices and factors from the best available source, one source per request.

    Prices come from the bundled :class:`~eventstudy.sources.Snapshot` when it
    holds every requested ticker over the whole range; otherwise from
    :class:`~eventstudy.sources.Yahoo`, which serves its on-disk cache when it
    covers the request and downloads the rest. Factors come from the bundled
    Fama–French factors when they cover the range, otherwise from
    :class:`~eventstudy.sources.FamaFrench`. A request is never split across
    sources, so all columns share one adjustment basis. The frame's
    ``attrs["source"]["name"]`` says which source answered (``snapshot``,
    ``yahoo``, ``snapshot-ff`` or ``famafrench``).

    Parameters
    ----------
    cache_dir : path-like, optional
        Cache root for the live sources (see :class:`~eventstudy.sources.Yahoo`).

    Examples
    --------
    >>> from eventstudy.sources import Auto
    >>> px = Auto().get_prices(["META", "SPY"], "2025-10-01", "2025-10-31")
    >>> px.attrs["source"]["name"]
    'snapshot'
    """

    name = "auto"

    def __init__(self, cache_dir: str | os.PathLike | None = None) -> None:
        self.cache_dir = cache_dir

    def __repr__(self) -> str:
        return "Auto()" if self.cache_dir is None else f"Auto(cache_dir={str(self.cache_dir)!r})"

    def choose(self, tickers: Sequence[str] | str, start, end) -> Snapshot | Yahoo:
        """The source that :meth:`get_prices` would use for this request."""
        snapshot = Snapshot()
        if snapshot.covers(tickers, start, end):
            return snapshot
        return Yahoo(self.cache_dir)

    def get_prices(self, tickers: Sequence[str] | str, start, end) -> pd.DataFrame:
        """Adjusted closes, date × ticker, from the snapshot or Yahoo (see the class notes)."""
        return self.choose(tickers, start, end).get_prices(tickers, start, end)

    def get_factors(self, start, end) -> pd.DataFrame:
        """Daily factors in decimals: bundled if they cover the range, else downloaded."""
        snapshot = Snapshot()
        if snapshot.covers_factors(start, end):
            return snapshot.get_factors(start, end)
        return FamaFrench(self.cache_dir).get_factors(start, end)
