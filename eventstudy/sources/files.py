"""User data files (CSV or parquet, long or wide, prices or returns) as a source."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from ..exceptions import DataError, UnknownTickerError
from .base import date_bounds, normalise_tickers, stamp

__all__ = ["Files"]

_PRICE_COLUMNS = ("adj_close", "adj close", "adjclose", "close", "price")
_RETURN_COLUMNS = ("ret", "return", "returns")


class Files:
    """Prices or returns from the user's own CSV or parquet file (or a DataFrame).

    Parameters
    ----------
    path : path-like or pandas.DataFrame
        A ``.csv`` (optionally ``.gz``) or ``.parquet`` file, or a DataFrame.
    kind : {"prices", "returns"}, default "prices"
        What the values are: adjusted prices, or simple daily returns in
        decimals (0.01 = 1%).
    date_column : str, default "date"
        Name of the date column (or the index name of a DataFrame).
    ticker_column : str, default "ticker"
        In a long file, the column naming the asset. A file with this column is
        read as long (one row per date and ticker); otherwise as wide (one
        column per ticker).
    value_column : str, optional
        In a long file, the column holding the values. Default: the first of
        ``adj_close, close, price`` (prices) or ``ret, return`` (returns).

    Examples
    --------
    >>> import pandas as pd
    >>> from eventstudy.sources import Files
    >>> frame = pd.DataFrame({"date": ["2025-01-02", "2025-01-03"], "ABC": [10.0, 11.0]})
    >>> Files(frame).get_prices(["ABC"], "2025-01-02", "2025-01-03")["ABC"].tolist()
    [10.0, 11.0]
    """

    name = "files"

    def __init__(
        self,
        path: str | os.PathLike | pd.DataFrame,
        *,
        kind: Literal["prices", "returns"] = "prices",
        date_column: str = "date",
        ticker_column: str = "ticker",
        value_column: str | None = None,
    ) -> None:
        if kind not in ("prices", "returns"):
            raise DataError(f"kind must be 'prices' or 'returns', got {kind!r}")
        if not isinstance(path, (str, os.PathLike, pd.DataFrame)):
            raise DataError(f"path must be a file path or a DataFrame, got {type(path).__name__}")
        for label, value in (("date_column", date_column), ("ticker_column", ticker_column)):
            if not isinstance(value, str):
                raise DataError(f"{label} must be a column name, got {value!r}")
        if value_column is not None and not isinstance(value_column, str):
            raise DataError(f"value_column must be a column name or None, got {value_column!r}")
        if not isinstance(path, pd.DataFrame) and not Path(path).exists():
            raise DataError(f"{path}: no such file")
        self.path = path
        self.kind = kind
        self.date_column = date_column
        self.ticker_column = ticker_column
        self.value_column = value_column
        self._wide: pd.DataFrame | None = None

    def __repr__(self) -> str:
        where = "DataFrame" if isinstance(self.path, pd.DataFrame) else repr(str(self.path))
        return f"Files({where}, kind={self.kind!r})"

    @property
    def label(self) -> str:
        return "frame" if isinstance(self.path, pd.DataFrame) else str(self.path)

    def _read(self) -> pd.DataFrame:
        if isinstance(self.path, pd.DataFrame):
            frame = self.path.copy()
            if self.date_column not in frame.columns:
                frame = frame.reset_index()
                if self.date_column not in frame.columns:
                    frame = frame.rename(columns={frame.columns[0]: self.date_column})
            return frame
        path = Path(self.path)
        suffixes = "".join(path.suffixes).lower()
        try:
            if ".parquet" in suffixes or ".pq" in suffixes:
                return pd.read_parquet(path)
            return pd.read_csv(path, encoding="utf-8-sig")
        except (OSError, ValueError, ImportError) as exc:
            raise DataError(f"{path}: could not be read ({exc})") from None

    def wide(self) -> pd.DataFrame:
        """The whole file as a wide frame (date × ticker), values as stored."""
        if self._wide is not None:
            return self._wide
        frame = self._read()
        frame.columns = [str(c).strip() for c in frame.columns]
        if self.date_column not in frame.columns:
            raise DataError(
                f"{self.label}: no {self.date_column!r} column; found "
                f"{', '.join(frame.columns)}; pass date_column= to name it"
            )
        try:
            dates = pd.to_datetime(frame[self.date_column], format="mixed")
        except (ValueError, TypeError) as exc:
            raise DataError(
                f"{self.label}, column {self.date_column!r}: unreadable dates ({exc}); "
                "expected YYYY-MM-DD"
            ) from None
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        frame[self.date_column] = dates.dt.normalize()
        if self.ticker_column in frame.columns:
            value = self.value_column or self._default_value_column(frame.columns)
            if value not in frame.columns:
                raise DataError(f"{self.label}: no value column {value!r}")
            frame[self.ticker_column] = (
                frame[self.ticker_column].astype(str).str.strip().str.upper()
            )
            dup = frame.duplicated([self.date_column, self.ticker_column])
            if dup.any():
                row = frame.loc[dup].iloc[0]
                raise DataError(
                    f"{self.label}: duplicate row for {row[self.ticker_column]} on "
                    f"{row[self.date_column]:%Y-%m-%d}; expected one row per date and ticker"
                )
            wide = frame.pivot(index=self.date_column, columns=self.ticker_column, values=value)
        else:
            wide = frame.set_index(self.date_column)
            if wide.index.has_duplicates:
                raise DataError(
                    f"{self.label}: date {wide.index[wide.index.duplicated()][0]:%Y-%m-%d} "
                    "appears twice; expected one row per date"
                )
            wide.columns = [str(c).strip().upper() for c in wide.columns]
        if wide.shape[0] == 0 or wide.shape[1] == 0:
            raise DataError(
                f"{self.label} holds no data rows; expected a date column and one row per date"
            )
        wide = wide.sort_index()
        wide.index.name = "date"
        wide.columns.name = "ticker"
        try:
            wide = wide.apply(pd.to_numeric).astype(float)
        except (ValueError, TypeError) as exc:
            raise DataError(f"{self.label}: non-numeric values ({exc})") from None
        self._wide = wide
        return wide

    def _default_value_column(self, columns) -> str:
        lowered = {c.lower(): c for c in columns}
        for name in _PRICE_COLUMNS if self.kind == "prices" else _RETURN_COLUMNS:
            if name in lowered:
                return lowered[name]
        raise DataError(
            f"{self.label}: cannot tell which column holds the {self.kind}; pass value_column="
        )

    def _select(self, tickers: Sequence[str], start, end) -> pd.DataFrame:
        wide = self.wide()
        names = normalise_tickers(tickers)
        missing = [t for t in names if t not in wide.columns]
        if missing:
            raise UnknownTickerError(
                f"ticker(s) {', '.join(missing)} not in {self.label}, which holds "
                f"{', '.join(map(str, wide.columns))}"
            )
        lo, hi = date_bounds(start, end)
        out = wide.loc[(wide.index >= lo) & (wide.index <= hi), names]
        if out.empty:
            raise DataError(
                f"{self.label} has no rows between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}; it covers "
                f"{wide.index[0]:%Y-%m-%d} to {wide.index[-1]:%Y-%m-%d}"
            )
        return stamp(out.copy(), f"files:{self.label}")

    def get_prices(self, tickers: Sequence[str], start, end) -> pd.DataFrame:
        """Adjusted prices (a file of returns gives a total-return index starting at 1)."""
        frame = self._select(tickers, start, end)
        if self.kind == "returns":
            attrs = frame.attrs
            frame = (1.0 + frame.fillna(0.0)).cumprod().where(frame.notna())
            frame.attrs = attrs
        return frame

    def get_returns(self, tickers: Sequence[str], start, end) -> pd.DataFrame:
        """Simple daily returns, date × ticker (computed from prices if the file holds prices)."""
        frame = self._select(tickers, start, end)
        if self.kind == "returns":
            return frame
        from .base import prices_to_returns

        out = prices_to_returns(frame)
        out.attrs = frame.attrs
        return out

    def covers(self, tickers: Sequence[str], start, end) -> bool:
        wide = self.wide()
        lo, hi = date_bounds(start, end)
        return all(t in wide.columns for t in normalise_tickers(tickers)) and (
            wide.index[0] <= lo and wide.index[-1] >= hi
        )
