"""ReturnsPanel: the one place where data arrive and are cleaned.

Whatever the origin (a source's prices, a source's returns, or a user's
returns frame), the study works on a :class:`ReturnsPanel`: returns of every
needed asset and, when the model needs them, factors, all on one session
index. Prices are aligned on the sessions *before* returns are computed, so a
missing session leaves a missing return instead of a silent two-day return.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import TradingCalendar
from .exceptions import DataError, MissingDataWarning, UnknownTickerError
from .sources.base import normalise_tickers

__all__ = ["ReturnsPanel", "clean_frame", "panel_from_returns", "panel_from_source"]


@dataclass
class ReturnsPanel:
    """Returns (and factors) on one session index, as arrays.

    Attributes
    ----------
    sessions : pandas.DatetimeIndex
        The T sessions.
    returns : ndarray, shape (T, A)
        Returns of the A assets (NaN where missing).
    assets : list of str
    factors : ndarray, shape (T, F)
        Factor values in decimals (NaN where missing); empty when unused.
    factor_names : list of str
    provenance : dict
        Where returns and factors came from, with first and last dates.
    available : list of str
        Every column of a user returns frame (to name them in error messages).
    """

    sessions: pd.DatetimeIndex
    returns: np.ndarray
    assets: list[str]
    factors: np.ndarray
    factor_names: list[str]
    provenance: dict = field(default_factory=dict)
    available: list[str] = field(default_factory=list)

    def asset_index(self, name: str) -> int:
        return self._positions[name]

    @property
    def _positions(self) -> dict[str, int]:
        cache = self.__dict__.get("_position_cache")
        if cache is None or len(cache) != len(self.assets):
            cache = {a: i for i, a in enumerate(self.assets)}
            self.__dict__["_position_cache"] = cache
        return cache

    def column(self, name: str) -> np.ndarray:
        """Returns of one asset, or one factor, shape (T,)."""
        if name in self.assets:
            return self.returns[:, self.assets.index(name)]
        return self.factors[:, self.factor_names.index(name)]


def clean_frame(frame: object, what: str) -> pd.DataFrame:
    """Validate a user frame of returns or factors (date index × numeric columns).

    Sorts an unsorted index, strips time zones, converts numeric strings, and
    rejects duplicated dates, non-numeric values and infinities with a message
    naming the column and date.
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"{what} must be a pandas DataFrame (dates × columns), got {type(frame).__name__}"
        )
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError(f"{what} is empty; expected dates as rows and one column per series")
    if isinstance(frame.columns, pd.MultiIndex):
        raise DataError(
            f"{what} has {frame.columns.nlevels}-level column labels (e.g. {frame.columns[0]!r}); "
            "expected one column per series: select one level, e.g. frame.droplevel(0, axis=1)"
        )
    if not isinstance(frame.index, pd.DatetimeIndex) and (
        pd.api.types.is_numeric_dtype(frame.index.dtype) or isinstance(frame.index, pd.MultiIndex)
    ):
        raise DataError(
            f"{what} must be indexed by dates; the index holds {frame.index[:3].tolist()!r}...: "
            "set the date column as the index, e.g. frame.set_index('date')"
        )
    out = frame.copy(deep=False)
    if not isinstance(out.index, pd.DatetimeIndex):
        try:
            out.index = pd.DatetimeIndex(pd.to_datetime(out.index, format="mixed"))
        except (ValueError, TypeError):
            raise DataError(
                f"{what} must be indexed by dates; the index holds {out.index[:3].tolist()!r}..."
            ) from None
    if out.index.tz is not None:
        out.index = out.index.tz_localize(None)
    out.index = out.index.normalize()
    out.index.name = "date"
    if out.index.has_duplicates:
        dup = out.index[out.index.duplicated()][0]
        raise DataError(
            f"{what}: date {dup:%Y-%m-%d} appears more than once; expected unique dates"
        )
    out = out.sort_index()
    out.columns = [str(c).strip() for c in out.columns]
    if pd.Index(out.columns).has_duplicates:
        raise DataError(f"{what}: column names repeat: {list(out.columns)!r}")
    non_numeric = [
        c
        for c, dtype in out.dtypes.items()
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
    ]
    for column in non_numeric:
        converted = pd.to_numeric(out[column], errors="coerce")
        bad = converted.isna() & out[column].notna()
        if bad.any():
            first = out.index[bad.to_numpy().nonzero()[0][0]]
            raise DataError(
                f"{what}, column {column!r}, {first:%Y-%m-%d}: "
                f"{out[column][first]!r} is not a number"
            )
        out[column] = converted
    values = out.to_numpy(dtype=float)
    infinite = np.isinf(values)
    if infinite.any():
        row, col = np.argwhere(infinite)[0]
        raise DataError(
            f"{what}, column {out.columns[col]!r}, {out.index[row]:%Y-%m-%d}: infinite value; "
            "expected finite returns (a price of 0 upstream?)"
        )
    out = pd.DataFrame(values, index=out.index, columns=out.columns)
    return out


def _on_sessions(frame: pd.DataFrame, sessions: pd.DatetimeIndex, what: str) -> pd.DataFrame:
    outside = ~frame.index.isin(sessions)
    if outside.any():
        dates = frame.index[outside]
        warnings.warn(
            f"{what}: {outside.sum()} row(s) on dates that are not sessions of the calendar "
            f"were ignored (first: {dates[0]:%Y-%m-%d}); pass calendar=None to use the data's "
            "own dates",
            MissingDataWarning,
            stacklevel=4,
        )
    return frame.reindex(sessions)


def _sessions(calendar: TradingCalendar | None, index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    if calendar is None:
        return index
    return calendar.sessions_between(index[0], index[-1])


def panel_from_returns(
    returns: pd.DataFrame,
    factors: pd.DataFrame | None,
    *,
    calendar: TradingCalendar | None,
    assets: list[str],
    factor_names: list[str],
    return_type: str,
) -> ReturnsPanel:
    """Panel from a user returns frame (simple returns, or log when ``return_type='log'``)."""
    frame = clean_frame(returns, "returns")
    sessions = _sessions(calendar, frame.index)
    frame = _on_sessions(frame, sessions, "returns")
    frame.columns = [c.upper() for c in frame.columns]
    keep = [a for a in assets if a in frame.columns]
    panel = ReturnsPanel(
        sessions=sessions,
        returns=frame[keep].to_numpy(dtype=float),
        assets=keep,
        factors=np.empty((len(sessions), 0)),
        factor_names=[],
        available=list(frame.columns),
        provenance={
            "returns": {
                "name": returns.attrs.get("source", {}).get("name", "user returns"),
                "first": f"{frame.index[0]:%Y-%m-%d}",
                "last": f"{frame.index[-1]:%Y-%m-%d}",
                "return_type": return_type,
            }
        },
    )
    _attach_factors(panel, factors, factor_names)
    return panel


def panel_from_source(
    source,
    factors: pd.DataFrame | None,
    *,
    calendar: TradingCalendar | None,
    assets: list[str],
    factor_names: list[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
    return_type: str,
) -> tuple[ReturnsPanel, dict[str, str]]:
    """Panel from a price source; returns the panel and ``{ticker: reason}`` for unknown tickers."""
    start, end = _clip(source, start, end)
    names = normalise_tickers(assets)
    missing: dict[str, str] = {}
    known = getattr(source, "tickers", None)
    if known is not None:
        for t in names:
            if t not in known:
                missing[t] = f"ticker {t} is not in the {source.name} data"
        names = [t for t in names if t not in missing]
    if not names:
        raise UnknownTickerError(
            f"none of the tickers {', '.join(assets)} is in the {source.name} data"
        )
    try:
        data = _download(source, names, start, end)
    except UnknownTickerError:
        frames = []
        for t in names:
            try:
                frames.append(_download(source, [t], start, end))
            except UnknownTickerError as exc:
                missing[t] = str(exc)
        if not frames:
            raise
        data = pd.concat(frames, axis=1)
    kind, frame = data.attrs.get("kind", "prices"), clean_frame(data, f"{source.name} data")
    sessions = _sessions(calendar, frame.index)
    frame = _on_sessions(frame, sessions, f"{source.name} data")
    values = frame.to_numpy(dtype=float)
    if kind == "prices":
        from .sources.base import prices_to_returns

        values = prices_to_returns(frame, return_type=return_type).to_numpy()
    elif return_type == "log":
        values = np.log1p(values)
    info = dict(data.attrs.get("source", {}))
    info.setdefault("name", getattr(source, "name", type(source).__name__))
    info["return_type"] = return_type
    panel = ReturnsPanel(
        sessions=sessions,
        returns=values,
        assets=[str(c).upper() for c in frame.columns],
        factors=np.empty((len(sessions), 0)),
        factor_names=[],
        provenance={"returns": info},
    )
    if factor_names and factors is None:
        factors = _source_factors(source, sessions)
    _attach_factors(panel, factors, factor_names)
    return panel, missing


def _download(source, names, start, end) -> pd.DataFrame:
    if getattr(source, "kind", "prices") == "returns" or not hasattr(source, "get_prices"):
        frame = source.get_returns(names, start, end)
        frame.attrs["kind"] = "returns"
        return frame
    frame = source.get_prices(names, start, end)
    frame.attrs["kind"] = "prices"
    return frame


def _clip(source, start, end):
    coverage = getattr(source, "coverage", None)
    if coverage is None:
        return start, end
    lo, hi = coverage
    clipped = max(pd.Timestamp(start), lo), min(pd.Timestamp(end), hi)
    if clipped[0] > clipped[1]:
        raise DataError(
            f"the {source.name} data cover {lo:%Y-%m-%d} to {hi:%Y-%m-%d}, none of the "
            f"{pd.Timestamp(start):%Y-%m-%d} to {pd.Timestamp(end):%Y-%m-%d} that the events' "
            "windows need; use source='yahoo' (or 'auto') for other dates"
        )
    return clipped


def _source_factors(source, sessions: pd.DatetimeIndex) -> pd.DataFrame:
    from .sources.snapshot import Snapshot

    provider = source if hasattr(source, "get_factors") else Snapshot()
    start, end = sessions[0], sessions[-1]
    if isinstance(provider, Snapshot):
        from . import datasets

        start, end = max(start, datasets.FACTORS_START), min(end, datasets.FACTORS_END)
        if start > end:
            raise DataError(
                f"the bundled factors cover {datasets.FACTORS_START:%Y-%m-%d} to "
                f"{datasets.FACTORS_END:%Y-%m-%d}, none of {sessions[0]:%Y-%m-%d} to "
                f"{sessions[-1]:%Y-%m-%d}; pass factors= or source='auto'"
            )
    return provider.get_factors(start, end)


def _attach_factors(panel: ReturnsPanel, factors: pd.DataFrame | None, names: list[str]) -> None:
    if not names:
        return
    if factors is None:
        raise DataError(
            f"the model needs factors {', '.join(names)}; pass factors= (a DataFrame of decimals "
            "indexed by date) or use a source that provides them"
        )
    frame = clean_frame(factors, "factors")
    missing = [n for n in names if n not in frame.columns]
    if missing:
        raise DataError(
            f"factors: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}"
        )
    sample = frame[names[0]].abs()
    if len(sample.dropna()) and sample.max() > 1.0:
        raise DataError(
            f"factors look like percent (max |{names[0]}| = {sample.max():.2f}); expected decimals "
            "(0.01 = 1%): divide by 100"
        )
    aligned = frame.reindex(panel.sessions)[names]
    panel.factors = aligned.to_numpy(dtype=float)
    panel.factor_names = list(names)
    valid = frame.dropna(how="all")
    panel.provenance["factors"] = {
        "name": factors.attrs.get("source", {}).get("name", "user factors"),
        "first": f"{valid.index[0]:%Y-%m-%d}",
        "last": f"{valid.index[-1]:%Y-%m-%d}",
    }
