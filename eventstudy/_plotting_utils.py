"""Numbers and drawing helpers behind :mod:`eventstudy.plotting`.

The data helpers (:func:`car_path`, :func:`caar_path`, :func:`benchmark_returns`)
need only NumPy and pandas, so :mod:`eventstudy.export` and the command line
use them too; the drawing helpers (:func:`rel_day_axis`, :func:`percent_axis`,
:func:`draw_car`, :func:`car_facets`) import matplotlib and seaborn inside the
function, so importing this module never imports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from . import abnormal
from .exceptions import EventStudyError
from .models import ConstantMean, FactorModel, MarketAdjusted, MarketModel

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from .results import EventStudyResults

__all__ = [
    "event_indices",
    "car_path",
    "caar_path",
    "benchmark_returns",
    "rel_day_axis",
    "percent_axis",
    "window_label",
    "stars",
]

#: Colours (seaborn "deep") for positive and negative abnormal returns.
POSITIVE, NEGATIVE, NEUTRAL, DAY0 = "#4C72B0", "#C44E52", "#8C8C8C", "#404040"


def window_label(window: tuple[int, int]) -> str:
    """``(-1, 1)`` -> ``"(-1, +1)"``, the label used by ``res.car``."""
    return f"({window[0]:+d}, {window[1]:+d})"


def pretty_window(window: tuple[int, int]) -> str:
    """``(-1, 1)`` -> ``"[-1, +1]"``, ``(0, 0)`` -> ``"[0, 0]"``: the label shown to readers."""
    return f"[{_day(window[0])}, {_day(window[1])}]"


def stars(p: float) -> str:
    """Significance stars: * p<0.1, ** p<0.05, *** p<0.01 (presentation only)."""
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


def event_indices(res: EventStudyResults, event_id: str | Sequence[str] | None) -> list[int]:
    """Rows of ``res.events`` for one id, several ids, or all events (``None``)."""
    if event_id is None:
        return list(range(res.n_events))
    if isinstance(event_id, str):
        return [res._event_index(event_id)]
    if not isinstance(event_id, (list, tuple, np.ndarray, pd.Index, pd.Series)):
        raise EventStudyError(
            f"event_id must be an event id, a list of ids or None, got {event_id!r}"
        )
    ids = list(event_id)
    if not ids:
        raise EventStudyError("event_id is an empty list; pass an id, a list of ids or None")
    return [res._event_index(e) for e in ids]


def one_event(res: EventStudyResults, event_id: str | None, what: str) -> int:
    """Row of the single event a per-event figure shows (``None`` if there is one event)."""
    if event_id is None:
        if res.n_events == 1:
            return 0
        ids = ", ".join(repr(e) for e in res.events["event_id"].head(3))
        raise EventStudyError(
            f"{what} shows one event; pass event_id= (one of {res.n_events} events, e.g. {ids})"
        )
    if not isinstance(event_id, str):
        raise EventStudyError(
            f"{what} shows one event; event_id must be a string, got {event_id!r}"
        )
    return res._event_index(event_id)


def _level(level: float) -> float:
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise EventStudyError(f"level must be a confidence level between 0 and 1, got {level!r}")
    return float(level)


def car_path(
    res: EventStudyResults,
    event_id: str | Sequence[str] | None = None,
    window: tuple[int, int] | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    r"""Cumulative abnormal return of each event, day by day, with its confidence band.

    The CAR cumulates from the first day :math:`a` of ``window``; its variance
    on day :math:`\tau` is :math:`\iota_\tau'V\iota_\tau` (the prediction-error
    covariance of :mod:`eventstudy.abnormal` summed over :math:`a..\tau`), and
    the band is :math:`CAR \pm t_{df}\,se` with the event's Student-t degrees
    of freedom, as in ``res.car``.

    Returns
    -------
    pandas.DataFrame
        ``event_id, ticker, rel_day, date, ar, car, car_se, ci_low, ci_high``.
    """
    level = _level(level)
    idx = np.asarray(event_indices(res, event_id), dtype=np.int64)
    (a, b), cols = res._columns(window)
    arrays = res._a
    ar = arrays["ar"][idx][:, cols]
    x_event = arrays["x_event"][idx][:, cols]
    xtx_inv, sigma2 = arrays["xtx_inv"][idx], arrays["sigma2"][idx]
    ar_var = arrays.get("ar_var")  # model-given AR variances (GARCH), if any
    ar_var = None if ar_var is None else ar_var[idx][:, cols]
    n, length = ar.shape
    var = np.empty((n, length))
    weights = np.zeros((n, length))
    for j in range(length):
        weights[:, j] = 1.0
        var[:, j] = abnormal.window_sum_variance(
            weights, x_event, xtx_inv, sigma2, res.study.ar_variance, ar_var
        )
    car = np.cumsum(ar, axis=1)
    se = np.sqrt(var)
    q = stats.t.ppf(0.5 + level / 2, arrays["df"][idx])[:, None]
    dates = res._panel.sessions.values[arrays["event_rows"][idx][:, cols]]
    return pd.DataFrame(
        {
            "event_id": np.repeat(res.events["event_id"].to_numpy()[idx], length),
            "ticker": np.repeat(res.events["ticker"].to_numpy()[idx], length),
            "rel_day": np.tile(np.arange(a, b + 1), n),
            "date": dates.ravel(),
            "ar": ar.ravel(),
            "car": car.ravel(),
            "car_se": se.ravel(),
            "ci_low": (car - q * se).ravel(),
            "ci_high": (car + q * se).ravel(),
        }
    )


def caar_path(
    res: EventStudyResults,
    window: tuple[int, int] | None = None,
    *,
    level: float = 0.95,
    by: str | None = None,
) -> pd.DataFrame:
    r"""Average abnormal return and its cumulation across events, day by day.

    :math:`CAAR_\tau = \frac1N\sum_i CAR_i(a, \tau)` with the cross-sectional
    standard error :math:`s_\tau/\sqrt N` (:math:`s_\tau` the standard
    deviation of the :math:`CAR_i(a,\tau)` across events, ddof 1) and a
    Student-t band with :math:`N - 1` degrees of freedom (Brown & Warner
    1985), as ``res.caar((a, tau))``. With one event the band is undefined (NaN).

    Returns
    -------
    pandas.DataFrame
        ``group`` (when ``by``), ``rel_day, aar, caar, caar_se, ci_low,
        ci_high, n``.
    """
    level = _level(level)
    (a, b), cols = res._columns(window)
    ar = res._a["ar"][:, cols]
    if by is None:
        groups = {None: np.arange(res.n_events)}
    else:
        if not isinstance(by, str) or by not in res.events.columns:
            raise EventStudyError(
                f"by={by!r} is not a column of the events (columns: "
                f"{', '.join(map(str, res.events.columns))})"
            )
        keys = res.events[by].astype(str).to_numpy()
        groups = {k: np.flatnonzero(keys == k) for k in dict.fromkeys(keys)}
    parts = []
    for key, rows in groups.items():
        car = np.cumsum(ar[rows], axis=1)
        n = len(rows)
        caar = car.mean(axis=0)
        if n > 1:
            se = car.std(axis=0, ddof=1) / np.sqrt(n)
            q = stats.t.ppf(0.5 + level / 2, n - 1)
        else:
            se, q = np.full(car.shape[1], np.nan), np.nan
        part = pd.DataFrame(
            {
                "rel_day": np.arange(a, b + 1),
                "aar": ar[rows].mean(axis=0),
                "caar": caar,
                "caar_se": se,
                "ci_low": caar - q * se,
                "ci_high": caar + q * se,
                "n": n,
            }
        )
        if by is not None:
            part.insert(0, "group", key)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def benchmark_returns(res: EventStudyResults, i: int, cols: slice) -> tuple[str | None, np.ndarray]:
    """The benchmark the naked eye compares a stock with, on event ``i``'s window days.

    The market of a (market-adjusted) market model; the market factor plus
    the risk-free rate for factor models; none for the constant-mean model.
    """
    model, panel = res.model, res._panel
    rows = res._a["event_rows"][i][cols]
    if isinstance(model, (MarketModel, MarketAdjusted)):
        return model.market, panel.column(model.market)[rows]
    if isinstance(model, FactorModel) and {"mkt_rf", "rf"} <= set(panel.factor_names):
        market = panel.column("mkt_rf")[rows] + panel.column("rf")[rows]
        if res.study.return_type == "log":
            market = np.log1p(market)
        return "market (Mkt-RF + RF)", market
    if isinstance(model, ConstantMean):
        return None, np.empty(0)
    return None, np.empty(0)


def cumulate(returns: np.ndarray, return_type: str) -> np.ndarray:
    """Cumulative return from the first day on: prod(1 + r) - 1 (exp(sum r) - 1 for log)."""
    if return_type == "log":
        return np.expm1(np.cumsum(returns))
    return np.cumprod(1.0 + returns) - 1.0


# ------------------------------------------------------------------ axes helpers
def percent_axis(ax: Axes, axis: str = "y") -> None:
    """Format an axis as percent (0.01 = 1%), with as few decimals as the ticks need."""
    from matplotlib.ticker import Formatter

    class _Percent(Formatter):
        decimals = 1

        def __call__(self, x, pos=None):
            text = f"{100 * x:.{self.decimals}f}%"
            return text.replace("-", "\N{MINUS SIGN}") if text[0] == "-" else text

        def format_ticks(self, values):
            self.decimals = next(
                (
                    d
                    for d in range(4)
                    if np.allclose(
                        np.round(np.asarray(values) * 100, d), np.asarray(values) * 100, atol=1e-9
                    )
                ),
                4,
            )
            return [self(v) for v in values]

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(_Percent())


def _day(d: int) -> str:
    return f"{d:+d}" if d else "0"


def rel_day_axis(
    ax: Axes,
    rel_days: np.ndarray,
    dates: np.ndarray | None = None,
    *,
    label: bool = True,
    max_ticks: int = 11,
) -> None:
    """Mark day 0, tick relative days and, when given, write the session date under each tick."""
    rel_days = np.asarray(rel_days)
    lo, hi = int(rel_days.min()), int(rel_days.max())
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 250, 500) if (hi - lo) / s < max_ticks)
    ticks = sorted(
        {d for d in range(lo, hi + 1) if d % step == 0} | ({0} if lo <= 0 <= hi else set())
    )
    if lo <= 0 <= hi:
        ax.axvline(0, color=DAY0, lw=1.0, ls="--", zorder=0.5)
    ax.set_xticks(ticks)
    ax.set_xlim(lo - 0.7, hi + 0.7)
    if dates is not None and len(dates) == len(rel_days):
        when = dict(zip(rel_days.tolist(), pd.DatetimeIndex(dates)))
        ax.set_xticklabels([f"{_day(d)}\n{when[d]:%d %b}" for d in ticks], fontsize="small")
        if label:
            ax.set_xlabel("trading day relative to day 0 (session date below)")
    else:
        ax.set_xticklabels([_day(d) for d in ticks])
        if label:
            ax.set_xlabel("trading day relative to day 0")


def new_axes(ax: Axes | None, figsize: tuple[float, float] = (7.0, 4.0)) -> Axes:
    """``ax``, or the Axes of a new constrained-layout figure."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    else:
        from matplotlib.axes import Axes as _Axes

        if not isinstance(ax, _Axes):
            raise EventStudyError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def check_results(res: object, what: str) -> None:
    """Raise an EventStudyError unless ``res`` is a fitted :class:`EventStudyResults`."""
    from .results import require_results

    require_results(res, what)


def band_name(res: EventStudyResults) -> str:
    """What the single-event band's variance is: the words of legends and captions."""
    if res._a.get("ar_var") is not None:
        return "model variance"
    return "prediction error" if res.study.ar_variance == "prediction" else "sigma only"


def draw_car(
    ax: Axes,
    path: pd.DataFrame,
    color,
    level: float,
    *,
    label: str | None = None,
    band: str = "prediction error",
):
    """A CAR line (``car``) with its band (``ci_low``, ``ci_high``) and the zero line."""
    ax.fill_between(
        path["rel_day"],
        path["ci_low"],
        path["ci_high"],
        color=color,
        alpha=0.18,
        lw=0,
        label=None if label else f"{level:.0%} band ({band})",
    )
    ax.plot(
        path["rel_day"], path["car"], color=color, marker="o", ms=3.5, lw=1.8, label=label or "CAR"
    )
    ax.axhline(0, color="0.6", lw=0.8, zorder=0.5)


def car_facets(res: EventStudyResults, path: pd.DataFrame, *, level: float, col_wrap, height):
    """One panel per event of ``path`` (a :func:`car_path` frame): a seaborn ``FacetGrid``."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    ids = list(dict.fromkeys(path["event_id"]))
    day0 = dict(zip(res.events["event_id"], pd.DatetimeIndex(res.events["day0"])))
    grid = sns.FacetGrid(
        path,
        col="event_id",
        col_wrap=col_wrap or min(5, len(ids)),
        height=height,
        aspect=1.35,
        sharey=True,
        col_order=ids,
        despine=True,
    )
    # Titles, ticks and suptitle first: the grid's final tight layout then makes room for them.
    for eid, axis in grid.axes_dict.items():
        rel_day_axis(axis, path["rel_day"].unique(), label=False, max_ticks=6)
        percent_axis(axis)
        axis.set_title(f"{eid}\nday 0 {day0[eid]:%Y-%m-%d}", fontsize="small")
    grid.figure.suptitle(
        f"Cumulative abnormal returns ({res.model.label}) with {level:.0%} bands ({band_name(res)})"
    )
    grid.map_dataframe(lambda data, **_: draw_car(plt.gca(), data, POSITIVE, level))
    grid.set_axis_labels("day relative to day 0", "CAR")
    return grid


def event_title(res: EventStudyResults, i: int, what: str) -> str:
    """``"<what>: <event_id> (<ticker>, day 0 <date>)"``."""
    row = res.events.iloc[i]
    day0 = pd.Timestamp(row["day0"])
    return f"{what}: {row['event_id']}\n{row['ticker']}, day 0 = {day0:%a %d %b %Y}"
