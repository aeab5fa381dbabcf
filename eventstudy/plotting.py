r"""Seaborn figures of an event study.

Every function takes a fitted :class:`~eventstudy.results.EventStudyResults`
first. Axes-level functions take ``ax=None`` (draw on the current Axes when
``None``), draw, and return the Axes; the faceted view of several events
returns a :class:`seaborn.FacetGrid`. Nothing here calls ``plt.show()``.
Returns are drawn as percent, day 0 is the dashed vertical line, and for a
single event the session date is written under each relative day.

This is the only module of the package that imports matplotlib and seaborn
at import time; ``import eventstudy`` does not import it.

=========================  ==================================================
function                   shows
=========================  ==================================================
:func:`plot_car`           CAR path with its prediction-error band
:func:`plot_ar`            daily ARs with :math:`\pm t\cdot se` whiskers
:func:`plot_returns`       the stock's and the benchmark's cumulative returns
:func:`plot_ar_distribution`  the estimation-window ARs and the event-day AR
:func:`plot_caar`          CAAR across events with a cross-sectional band
:func:`plot_car_heatmap`   CAR of every event over several windows
=========================  ==================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from scipy import stats

from . import _plotting_utils as U
from .exceptions import EventStudyError

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = [
    "plot_car",
    "plot_ar",
    "plot_returns",
    "plot_ar_distribution",
    "plot_caar",
    "plot_car_heatmap",
    "PLOTS",
]

#: Default CAR windows of the heatmap (those inside the event window are used).
DEFAULT_WINDOWS = ((0, 0), (0, 1), (-1, 1), (-5, 5), (-10, 10))


def plot_car(
    res: EventStudyResults,
    event_id: str | Sequence[str] | None = None,
    *,
    window: tuple[int, int] | None = None,
    level: float = 0.95,
    by: Literal["facet", "hue"] | None = None,
    col_wrap: int | None = None,
    height: float = 2.4,
    ax: Axes | None = None,
) -> Axes | sns.FacetGrid:
    r"""Cumulative abnormal return over the event window, with its confidence band.

    Parameters
    ----------
    res : EventStudyResults
        A fitted study.
    event_id : str or list of str, optional
        One event (an Axes is returned), several, or ``None`` for every event.
    window : (int, int), optional
        Days shown, inside the event window; the CAR cumulates from its first
        day (default: the whole event window).
    level : float, default 0.95
        Confidence level of the band.
    by : {"facet", "hue"}, optional
        How to show several events: one panel each (a ``FacetGrid``) or one
        line each on one Axes. Default: ``"facet"`` without ``ax``, ``"hue"``
        with it.
    col_wrap : int, optional
        Panels per row of the facets (default: up to 5).
    height : float, default 2.4
        Height in inches of each facet.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (one event, or ``by="hue"``).

    Returns
    -------
    matplotlib.axes.Axes or seaborn.FacetGrid

    Notes
    -----
    The band is :math:`CAR_\tau \pm t_{df}\sqrt{\iota'V\iota}` with the
    prediction-error covariance :math:`V` of :mod:`eventstudy.abnormal`,
    summed from the first day of ``window`` to :math:`\tau`: the parameter
    uncertainty widens it beyond :math:`\sqrt{L}\hat\sigma`.

    See Also
    --------
    plot_caar : the average across events.

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_car
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> ax = plot_car(res, "meta-q3-2025-earnings")
    >>> grid = plot_car(res, col_wrap=3)
    """
    U.check_results(res, "plot_car")
    path = U.car_path(res, event_id, window, level=level)
    ids = list(dict.fromkeys(path["event_id"]))
    if len(ids) == 1 and by != "facet":
        i = res._event_index(ids[0])
        ax = U.new_axes(ax)
        U.draw_car(ax, path, U.POSITIVE, level, band=U.band_name(res))
        U.rel_day_axis(ax, path["rel_day"].to_numpy(), path["date"].to_numpy())
        U.percent_axis(ax)
        start = int(path["rel_day"].iloc[0])
        ax.set_ylabel(f"CAR from day {start:+d}")
        ax.set_title(U.event_title(res, i, "Cumulative abnormal return"), loc="left")
        ax.legend(loc="best", fontsize="small", frameon=False)
        return ax
    by = by or ("hue" if ax is not None else "facet")
    if by not in ("facet", "hue"):
        raise EventStudyError(f"by must be 'facet' or 'hue', got {by!r}")
    if by == "hue":
        ax = U.new_axes(ax)
        palette = sns.color_palette("husl" if len(ids) > 10 else "deep", len(ids))
        for color, (eid, part) in zip(palette, path.groupby("event_id", sort=False)):
            U.draw_car(ax, part, color, level, label=eid)
        U.rel_day_axis(ax, path["rel_day"].unique())
        U.percent_axis(ax)
        ax.set_ylabel("CAR")
        ax.set_title(f"Cumulative abnormal returns ({level:.0%} bands)", loc="left")
        ax.legend(fontsize="x-small", frameon=False, ncols=1 + len(ids) // 8)
        return ax
    if ax is not None:
        raise EventStudyError(
            "several events are drawn as facets on a figure of their own; drop ax= or pass by='hue'"
        )
    if col_wrap is not None and (
        isinstance(col_wrap, bool) or not isinstance(col_wrap, (int, np.integer)) or col_wrap < 1
    ):
        raise EventStudyError(f"col_wrap must be a positive integer or None, got {col_wrap!r}")
    if isinstance(height, bool) or not isinstance(height, (int, float)) or not height > 0:
        raise EventStudyError(f"height must be a positive number (inches), got {height!r}")
    return U.car_facets(res, path, level=level, col_wrap=col_wrap, height=height)


def plot_ar(
    res: EventStudyResults,
    event_id: str | None = None,
    *,
    window: tuple[int, int] | None = None,
    level: float = 0.95,
    ax: Axes | None = None,
) -> Axes:
    r"""Daily abnormal returns of one event, with :math:`\pm t\cdot se` whiskers.

    Bars are solid when the day's AR is significant at ``level`` (two-sided,
    Student t), pale otherwise; blue up, red down.

    Parameters
    ----------
    res : EventStudyResults
    event_id : str, optional
        The event (optional when the study has one event).
    window : (int, int), optional
        Days shown (default: the event window).
    level : float, default 0.95
        Whiskers are :math:`AR \pm t_{df,(1+level)/2}\,se(AR)` (about 1.96 se).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_ar
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> ax = plot_ar(res, "meta-q4-2025-earnings")
    """
    U.check_results(res, "plot_ar")
    i = U.one_event(res, event_id, "plot_ar")
    eid = res.events["event_id"].iloc[i]
    path = U.car_path(res, eid, window, level=level)
    se = res.ar.loc[res.ar["event_id"] == eid].set_index("rel_day")["ar_se"]
    se = se.reindex(path["rel_day"]).to_numpy()
    q = stats.t.ppf(0.5 + U._level(level) / 2, res._a["df"][i])
    ar = path["ar"].to_numpy()
    significant = np.abs(ar) > q * se
    colors = [U.POSITIVE if v >= 0 else U.NEGATIVE for v in ar]
    ax = U.new_axes(ax)
    bars = ax.bar(path["rel_day"], ar, color=colors, width=0.75, zorder=2)
    for bar, sig in zip(bars, significant):
        bar.set_alpha(1.0 if sig else 0.35)
    ax.errorbar(
        path["rel_day"],
        ar,
        yerr=q * se,
        fmt="none",
        ecolor="0.25",
        elinewidth=0.9,
        capsize=2.5,
        zorder=3,
    )
    ax.axhline(0, color="0.6", lw=0.8, zorder=1)
    U.rel_day_axis(ax, path["rel_day"].to_numpy(), path["date"].to_numpy())
    U.percent_axis(ax)
    ax.set_ylabel("abnormal return")
    ax.set_title(U.event_title(res, i, "Abnormal returns"), loc="left")
    handles = [
        Patch(color=U.NEUTRAL, label=f"significant at {1 - level:.0%} (two-sided)"),
        Patch(color=U.NEUTRAL, alpha=0.35, label="not significant"),
    ]
    ax.legend(
        handles=handles,
        fontsize="small",
        frameon=False,
        loc="best",
        title=f"whiskers: ±{q:.2f} se",
        title_fontsize="small",
    )
    return ax


def plot_returns(
    res: EventStudyResults,
    event_id: str | None = None,
    *,
    window: tuple[int, int] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The stock's and the benchmark's cumulative returns around one event.

    What the naked eye sees before any model: both cumulate from the first
    day of ``window``. The benchmark is the model's market (market and
    market-adjusted models), the market factor plus the risk-free rate (factor
    models), or absent (constant-mean model). The shaded gap between the two
    lines is roughly the cumulative market-adjusted return.

    Parameters
    ----------
    res : EventStudyResults
    event_id : str, optional
        The event (optional when the study has one event).
    window : (int, int), optional
        Days shown (default: the event window).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_returns
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> ax = plot_returns(res, "meta-q3-2025-earnings")
    """
    U.check_results(res, "plot_returns")
    i = U.one_event(res, event_id, "plot_returns")
    (a, b), cols = res._columns(window)
    rel = np.arange(a, b + 1)
    rtype = res.study.return_type
    stock = U.cumulate(res._a["ret"][i][cols], rtype)
    ticker = res.events["ticker"].iloc[i]
    dates = res._panel.sessions.values[res._a["event_rows"][i][cols]]
    ax = U.new_axes(ax)
    ax.plot(rel, stock, color=U.POSITIVE, marker="o", ms=3.5, lw=2, label=ticker)
    name, bench = U.benchmark_returns(res, i, cols)
    if name is not None:
        bench = U.cumulate(bench, rtype)
        ax.plot(rel, bench, color="0.35", marker="s", ms=3, lw=1.5, ls="-", label=name)
        ax.fill_between(
            rel, stock, bench, color=U.POSITIVE, alpha=0.12, lw=0, label=f"gap ({ticker} - {name})"
        )
    ax.axhline(0, color="0.6", lw=0.8, zorder=0.5)
    U.rel_day_axis(ax, rel, dates)
    U.percent_axis(ax)
    ax.set_ylabel(f"cumulative return from day {a:+d}")
    ax.set_title(U.event_title(res, i, "Cumulative returns"), loc="left")
    ax.legend(fontsize="small", frameon=False, loc="best")
    return ax


def plot_ar_distribution(
    res: EventStudyResults,
    event_id: str | None = None,
    *,
    day: int = 0,
    ax: Axes | None = None,
) -> Axes:
    r"""How unusual was the event day? Estimation-window ARs and the event-day AR.

    A histogram (with a KDE) of the event's estimation-window abnormal
    returns (the model's residuals), the normal density
    :math:`N(0, \hat\sigma^2)` the t-test assumes, and the AR of relative day
    ``day`` as a vertical line, annotated with how many estimation days were
    at least as extreme.

    Parameters
    ----------
    res : EventStudyResults
    event_id : str, optional
        The event (optional when the study has one event).
    day : int, default 0
        Relative day whose AR is marked.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_ar_distribution
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> ax = plot_ar_distribution(res, "meta-q3-2025-earnings")
    """
    U.check_results(res, "plot_ar_distribution")
    i = U.one_event(res, event_id, "plot_ar_distribution")
    _, cols = res._columns((day, day))
    resid = res._a["est_resid"][i]
    resid = resid[np.isfinite(resid)]
    value = float(res._a["ar"][i][cols][0])
    sigma = float(np.sqrt(res._a["sigma2"][i]))
    extreme = int((np.abs(resid) >= abs(value)).sum())
    ax = U.new_axes(ax)
    sns.histplot(
        x=resid,
        stat="density",
        kde=True,
        bins="auto",
        color=U.NEUTRAL,
        alpha=0.45,
        edgecolor="white",
        ax=ax,
        label="estimation-window ARs",
    )
    lo = min(float(resid.min()), value, -3 * sigma)
    hi = max(float(resid.max()), value, 3 * sigma)
    lo, hi = lo - 0.06 * (hi - lo), hi + 0.06 * (hi - lo)
    grid = np.linspace(lo, hi, 300)
    ax.plot(
        grid,
        stats.norm.pdf(grid, 0, sigma),
        color="0.2",
        ls=":",
        lw=1.2,
        label=r"$N(0, \hat\sigma^2)$",
    )
    color = U.POSITIVE if value >= 0 else U.NEGATIVE
    ax.axvline(value, color=color, lw=2.2, label=f"day {U._day(day)} AR")
    ax.set_xlim(lo, hi)
    ax.annotate(
        f"day {U._day(day)}: {value:+.2%} = {value / sigma:+.1f} σ\n"
        f"{extreme} of {len(resid)} estimation days as extreme",
        xy=(value, ax.get_ylim()[1] * 0.85),
        xytext=(-8 if value > 0 else 8, 0),
        textcoords="offset points",
        ha="right" if value > 0 else "left",
        va="top",
        fontsize="small",
        color=color,
    )
    U.percent_axis(ax, axis="x")
    ax.set_xlabel("abnormal return")
    ax.set_ylabel("density")
    ax.set_title(
        U.event_title(res, i, f"Day {U._day(day)} against the estimation window"), loc="left"
    )
    ax.legend(fontsize="small", frameon=False, loc="upper left" if value > 0 else "upper right")
    return ax


def plot_caar(
    res: EventStudyResults,
    *,
    window: tuple[int, int] | None = None,
    level: float = 0.95,
    by: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    r"""Cumulative average abnormal return across events, with a confidence band.

    Parameters
    ----------
    res : EventStudyResults
    window : (int, int), optional
        Days shown; the CAAR cumulates from the first (default: event window).
    level : float, default 0.95
        Confidence level of the band.
    by : str, optional
        A column of ``res.events`` (e.g. ``"kind"``): one line per group.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    The band is :math:`CAAR_\tau \pm t_{N-1}\, s_\tau/\sqrt N`, the
    cross-sectional standard error of the events' CARs (Brown & Warner 1985),
    which does not assume the events independent of their own volatility;
    without ``by`` the daily AAR is drawn as pale bars behind the line.

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_caar
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind.isin(["earnings", "deal"])], source="snapshot").fit()
    >>> ax = plot_caar(res, by="kind")
    """
    U.check_results(res, "plot_caar")
    path = U.caar_path(res, window, level=level, by=by)
    ax = U.new_axes(ax)
    if by is None:
        n = int(path["n"].iloc[0])
        ax.bar(path["rel_day"], path["aar"], color=U.NEUTRAL, alpha=0.35, width=0.7, label="AAR")
        U.draw_car(ax, path.rename(columns={"caar": "car"}), U.POSITIVE, level, label="CAAR")
        handles, labels = ax.get_legend_handles_labels()
        band = Patch(color=U.POSITIVE, alpha=0.18, label=f"{level:.0%} band (cross-section)")
        ax.legend([*handles, band], [*labels, band.get_label()], fontsize="small", frameon=False)
        title = f"CAAR across {n} events"
    else:
        groups = list(dict.fromkeys(path["group"]))
        palette = sns.color_palette("deep", len(groups))
        for color, group in zip(palette, groups):
            part = path[path["group"] == group].rename(columns={"caar": "car"})
            U.draw_car(ax, part, color, level, label=f"{group} (n={int(part['n'].iloc[0])})")
        ax.legend(fontsize="small", frameon=False, title=by, title_fontsize="small")
        title = f"CAAR by {by}, {level:.0%} bands"
    U.rel_day_axis(ax, path["rel_day"].unique())
    U.percent_axis(ax)
    start = int(path["rel_day"].iloc[0])
    ax.set_ylabel(f"CAAR from day {start:+d}")
    ax.set_title(f"{title} ({res.model.label})", loc="left")
    return ax


def plot_car_heatmap(
    res: EventStudyResults,
    windows: Sequence[tuple[int, int]] | None = None,
    *,
    annot: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """CAR of every event (rows) over several windows (columns).

    A diverging palette centred at 0 (red down, blue up); cells are
    annotated with the CAR in percent and stars for its significance
    (* p<0.1, ** p<0.05, *** p<0.01, single-event t-test).

    Parameters
    ----------
    res : EventStudyResults
    windows : list of (int, int), optional
        CAR windows (default: those of ``(0, 0), (0, 1), (-1, 1), (-5, 5),
        (-10, 10)`` inside the event window).
    annot : bool, default True
        Write the values in the cells.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.plotting import plot_car_heatmap
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> ax = plot_car_heatmap(res, windows=[(0, 0), (-1, 1), (0, 5)])
    """
    U.check_results(res, "plot_car_heatmap")
    if windows is None:
        lo, hi = res.study.event_window
        windows = [w for w in DEFAULT_WINDOWS if lo <= w[0] and w[1] <= hi] or [(lo, hi)]
    if not isinstance(windows, (list, tuple)):
        raise EventStudyError(f"windows must be a list of (start, end) pairs, got {windows!r}")
    windows = list(dict.fromkeys(res._columns(w)[0] for w in windows))
    table = res.car(windows)
    order = list(dict.fromkeys(table["window"]))
    values = table.pivot(index="event_id", columns="window", values="car")
    values = values.loc[list(res.events["event_id"]), order]
    pvals = table.pivot(index="event_id", columns="window", values="p_value")
    pvals = pvals.loc[values.index, order]

    def cell(v: float, p: float) -> str:
        text = f"{100 * v:+.1f}"
        return ("0.0" if text in ("+0.0", "-0.0") else text) + U.stars(p)

    labels = np.vectorize(cell)(values.to_numpy(), pvals)
    ax = U.new_axes(ax, figsize=(2.0 + 1.15 * len(order), 1.2 + 0.28 * len(values)))
    vmax = float(np.nanmax(np.abs(values.to_numpy()))) * 100 or 1.0  # symmetric: white at 0
    sns.heatmap(
        values * 100,
        cmap="RdBu",
        vmin=-vmax,
        vmax=vmax,
        annot=labels if annot else False,
        fmt="",
        annot_kws={"fontsize": "x-small"},
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": "CAR (%)", "shrink": 0.6},
        ax=ax,
    )
    ax.set_xticklabels([U.pretty_window(w) for w in windows])
    ax.set_xlabel("CAR window [first, last trading day]")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize="small")
    ax.set_title(f"CAR by event and window ({res.model.label})", loc="left")
    return ax


#: ``kind`` of :meth:`EventStudyResults.plot` -> plotting function.
PLOTS = {
    "car": plot_car,
    "ar": plot_ar,
    "returns": plot_returns,
    "ar_distribution": plot_ar_distribution,
    "caar": plot_caar,
    "car_heatmap": plot_car_heatmap,
}
