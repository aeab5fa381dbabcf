"""The bundled snapshot as a price and factor source."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import datasets
from .base import date_bounds, normalise_tickers, stamp

__all__ = ["Snapshot"]


class Snapshot:
    """Prices and factors from the data bundled with the package (offline).

    Covers 14 tickers over 2023-01-03 .. 2026-09-15 and Fama–French factors
    over 2023-01-03 .. 2026-08-31; see :data:`eventstudy.datasets.DESCR`.

    Examples
    --------
    >>> from eventstudy.sources import Snapshot
    >>> Snapshot().get_prices(["META"], "2025-10-29", "2025-10-30").shape
    (2, 1)
    """

    name = "snapshot"

    def __repr__(self) -> str:
        return "Snapshot()"

    @property
    def tickers(self) -> tuple[str, ...]:
        """Tickers held by the snapshot."""
        return datasets.TICKERS

    @property
    def coverage(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last session of the bundled prices."""
        return datasets.PRICES_START, datasets.PRICES_END

    def covers(self, tickers: Sequence[str], start, end) -> bool:
        """Whether every ticker and the whole range are in the snapshot."""
        lo, hi = self.coverage
        start, end = date_bounds(start, end)
        return (
            all(t in datasets.TICKERS for t in normalise_tickers(tickers))
            and start >= lo
            and end <= hi
        )

    def covers_factors(self, start, end) -> bool:
        """Whether the bundled factors cover the range."""
        start, end = date_bounds(start, end)
        return start >= datasets.FACTORS_START and end <= datasets.FACTORS_END

    def get_prices(self, tickers: Sequence[str], start, end) -> pd.DataFrame:
        """Adjusted closes, date × ticker (see :func:`eventstudy.datasets.load_prices`)."""
        frame = datasets.load_prices(normalise_tickers(tickers), start, end)
        return stamp(frame, self.name)

    def get_factors(self, start, end) -> pd.DataFrame:
        """Fama–French daily factors in decimals (see :func:`eventstudy.datasets.load_factors`)."""
        return stamp(datasets.load_factors(start, end), "snapshot-ff")
