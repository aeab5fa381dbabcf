"""Rank tests: Corrado (1989) and its multi-day form, and GRANK (Kolari & Pynnönen 2011).

Both rank each event's abnormal returns over its own time series and compare
the ranks in the event window with those of the estimation window. Ranks are
scaled to the unit interval so that events with different numbers of valid
observations :math:`T_i` can be pooled (Corrado & Zivney 1992):

.. math:: U_{it} = \\frac{\\operatorname{rank}(X_{it})}{T_i + 1} - \\frac12,

where ties get their average rank and missing values are left out of the
ranking and of :math:`T_i`. With :math:`N_t` events present on day :math:`t`,
:math:`\\bar U_t = N_t^{-1}\\sum_i U_{it}` and

.. math:: S_{\\bar U}^2 = \\frac{1}{T}\\sum_{t} \\frac{N_t}{N}\\,\\bar U_t^2

over the :math:`T` days with at least one observation (``rank_scale="T"``;
``"T-1"`` divides by :math:`T-1`). The factor :math:`N_t/N` (Kolari &
Pynnönen 2011) corrects the daily variance for missing values and equals 1
without them, when :math:`S_{\\bar U}` is Corrado's :math:`S(K)/(T+1)`.

* Corrado (1989), :math:`X` = the abnormal returns of the estimation window
  and of the whole event window; for a window :math:`w` of :math:`L` days
  (Campbell & Wasley 1993; Cowan 1992)

  .. math:: Z = \\frac{\\sum_{t \\in w} \\bar U_t}{\\sqrt{L}\\, S_{\\bar U}} \\sim N(0, 1),

  which for :math:`L = 1` is Corrado's single-day statistic.

* GRANK (Kolari & Pynnönen 2011), :math:`X` = the estimation-window
  standardized residuals :math:`AR_{it}/\\hat\\sigma_i` followed by one
  observation for the whole window, the re-standardized CAR
  :math:`SCAR_i^* = SCAR_i / s_{SCAR}` (:math:`SCAR_i = CAR_i/\\sqrt{\\iota'V_i\\iota}`,
  :math:`s_{SCAR}` its cross-sectional standard deviation). With
  :math:`Z = \\bar U_0 / S_{\\bar U}` on the :math:`T = M + 1` points,

  .. math:: t_{grank} = Z\\sqrt{\\frac{T-2}{T-1-Z^2}} \\sim t(T-2).

References
----------
Campbell, C. J. & Wasley, C. E. (1993). Measuring security price performance
using daily NASDAQ returns. *Journal of Financial Economics* 33(1), 73-92.

Corrado, C. J. (1989). A nonparametric test for abnormal security-price
performance in event studies. *Journal of Financial Economics* 23(2), 385-395.

Corrado, C. J. & Zivney, T. L. (1992). The specification and power of the
sign test in event study hypothesis tests using daily stock returns.
*Journal of Financial and Quantitative Analysis* 27(3), 465-478.

Cowan, A. R. (1992). Nonparametric event study tests. *Review of Quantitative
Finance and Accounting* 2(4), 343-358.

Kolari, J. W. & Pynnönen, S. (2011). Nonparametric rank tests for event
studies. *Journal of Empirical Finance* 18(5), 953-971.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ._common import (
    ALTERNATIVES,
    car_label,
    check_choice,
    invalid,
    pvalue_normal,
    pvalue_t,
    result,
    select_events,
    select_standardized,
    too_few,
    used_rows,
)
from .data import EventPanel, Window
from .results import Alternative, TestResult
from .standardized import standardized_car

__all__ = ["corrado_test", "grank_test", "scaled_ranks"]

RankScale = Literal["T", "T-1"]
RANK_SCALES = ("T", "T-1")

REF_CORRADO = "Corrado (1989); Campbell & Wasley (1993); Cowan (1992)"
REF_GRANK = "Kolari & Pynnönen (2011)"


def scaled_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks of each row scaled to :math:`(0, 1)` and centred, NaN kept.

    Parameters
    ----------
    x : ndarray, shape (N, T)
        One row per event; NaN marks a missing observation.

    Returns
    -------
    ndarray, shape (N, T)
        :math:`U_{it} = \\operatorname{rank}_i(x_{it})/(T_i+1) - 1/2`, with
        average ranks for ties, :math:`T_i` the number of valid values of row
        :math:`i`, and NaN where ``x`` is NaN.

    Examples
    --------
    >>> scaled_ranks(np.array([[3.0, 1.0, np.nan, 2.0]]))
    array([[ 0.25, -0.25,   nan,  0.  ]])
    """
    ranks = average_ranks(x)
    t_i = np.isfinite(x).sum(axis=1, keepdims=True)
    ranks /= t_i + 1.0  # in place: these arrays are large for big studies
    ranks -= 0.5
    return ranks


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Row-wise ranks (1-based, ties averaged), NaN where ``x`` is NaN.

    Equivalent to ``scipy.stats.rankdata(x, axis=1, nan_policy="omit")`` but
    vectorised over rows: one ``argsort`` of the array, then each run of tied
    values gets the mean of its first and last position. NaN sorts last and
    never ties, so valid values keep ranks ``1..T_i``.

    Examples
    --------
    >>> average_ranks(np.array([[3.0, 1.0, np.nan, 1.0]]))
    array([[3. , 1.5, nan, 1.5]])
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise ValueError("average_ranks expects a 2-D array")
    if x.shape[0] <= _ROWS_PER_CHUNK:
        return _average_ranks(x)
    out = np.empty(x.shape)
    for start in range(0, x.shape[0], _ROWS_PER_CHUNK):  # small blocks stay in cache
        rows = slice(start, start + _ROWS_PER_CHUNK)
        out[rows] = _average_ranks(x[rows])
    return out


_ROWS_PER_CHUNK = 2048


def _average_ranks(x: np.ndarray) -> np.ndarray:
    n, t = x.shape
    if t == 0:
        return np.empty_like(x)
    order = np.argsort(x, axis=1)
    flat = (order + (np.arange(n) * t)[:, None]).ravel()
    xs = x.ravel()[flat].reshape(n, t)
    positions = np.broadcast_to(np.arange(t), (n, t))
    first = np.ones((n, t), dtype=bool)
    np.not_equal(xs[:, 1:], xs[:, :-1], out=first[:, 1:])  # NaN != NaN: NaN never ties
    if first.all():  # no ties (the usual case for returns): ranks are the sorted positions
        ranks = np.empty(n * t)
        ranks[flat] = np.tile(np.arange(1.0, t + 1.0), n)
        ranks = ranks.reshape(n, t)
        ranks[np.isnan(x)] = np.nan
        return ranks
    last = np.ones((n, t), dtype=bool)
    last[:, :-1] = first[:, 1:]
    start = np.maximum.accumulate(np.where(first, positions, 0), axis=1)
    end = np.minimum.accumulate(np.where(last, positions, t)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty((n, t))
    np.put_along_axis(ranks, order, (start + end) / 2.0 + 1.0, axis=1)
    ranks[~np.isfinite(x)] = np.nan
    return ranks


def _rank_scale(u: np.ndarray, n: int, rank_scale: RankScale) -> tuple[np.ndarray, float, int]:
    """Daily mean ranks, :math:`S_{\\bar U}` and the number of days T."""
    n_t = np.isfinite(u).sum(axis=0)
    present = n_t > 0
    ubar = np.full(u.shape[1], np.nan)
    if present.all() and (n_t == u.shape[0]).all():  # no missing value: plain sums
        ubar = u.sum(axis=0) / n_t
    else:
        ubar[present] = np.nansum(u[:, present], axis=0) / n_t[present]
    t_days = int(present.sum())
    divisor = t_days if rank_scale == "T" else t_days - 1
    if divisor <= 0:
        return ubar, float("nan"), t_days
    s2 = float(np.sum(n_t[present] / n * ubar[present] ** 2)) / divisor
    return ubar, float(np.sqrt(s2)), t_days


def corrado_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    rank_scale: RankScale = "T",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Corrado (1989) rank test, single-day or cumulated over a window.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns with estimation-window residuals.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included. A one-day window gives
        Corrado's test; a longer one the cumulative rank test of Campbell &
        Wasley (1993) and Cowan (1992).
    rank_scale : {"T", "T-1"}, default "T"
        Divisor of the variance of the daily mean rank: the number of days
        :math:`T` (Corrado 1989) or :math:`T-1`.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.

    Returns
    -------
    TestResult
        ``stat`` is Z ~ N(0, 1); ``details`` holds ``mean_rank`` (the mean of
        :math:`\\bar U_t` over the window), ``s_rank`` and ``days`` (T).
        Invalid without events with a complete window or with constant ranks.

    Notes
    -----
    Each event's series is its estimation window followed by its whole event
    window (:math:`T_i` valid values, missing values left out); the events
    used are those whose abnormal returns are complete over ``window``.

    .. math:: Z = \\frac{\\sum_{t\\in w}\\bar U_t}{\\sqrt{L}\\,S_{\\bar U}}, \\qquad
              S_{\\bar U}^2 = \\frac1T\\sum_t \\frac{N_t}{N}\\bar U_t^2.

    Without missing values this is Corrado's
    :math:`(\\bar K_0 - (T+1)/2)/S(K)`, since the scaled ranks are the ranks
    :math:`K_{it}` shifted by :math:`(T+1)/2` and divided by :math:`T+1`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, corrado_test
    >>> res = corrado_test(simulate_panel(n_events=30, seed=1, shock=0.03), (0, 0))
    >>> res.pvalue < 0.01
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("rank_scale", rank_scale, RANK_SCALES)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="corrado",
        name="Corrado rank Z" if sample.length == 1 else "Corrado cumulative rank Z",
        null=f"mean scaled rank of {car_label(sample.window)} = 1/2",
        dist_name="N(0, 1)",
        reference=REF_CORRADO,
        alternative=alternative,
    )
    if n < 1:
        return invalid(**common, n=n, reason=too_few(n, 1))
    x = np.concatenate(
        [used_rows(panel.est_ar, sample.used), used_rows(panel.event_ar, sample.used)], axis=1
    )
    u = scaled_ranks(x)
    ubar, s_u, t_days = _rank_scale(u, n, rank_scale)
    if not s_u > 0:
        return invalid(**common, n=n, reason="the daily mean ranks have no variation")
    ubar_w = ubar[panel.est_ar.shape[1] + sample.cols]
    stat = float(np.sum(ubar_w)) / (np.sqrt(sample.length) * s_u)
    details = {
        "mean_rank": float(np.mean(ubar_w)),
        "s_rank": s_u,
        "days": t_days,
        "rank_scale": rank_scale,
        **sample.details(),
    }
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_normal(stat, alternative),
        df=None,
        n=n,
        details=details,
    )


def grank_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    rank_scale: RankScale = "T",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Generalized rank test GRANK-T (Kolari & Pynnönen 2011).

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns, CAR variances, estimation residuals and
        residual standard deviations.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included; the CAR over the window is
        one observation of the ranked series.
    rank_scale : {"T", "T-1"}, default "T"
        Divisor of the variance of the mean rank (see :func:`corrado_test`).
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.

    Returns
    -------
    TestResult
        ``stat`` is :math:`t_{grank}` ~ :math:`t(T-2)`; ``details`` holds the
        asymptotically normal ``z``, ``days`` (T) and ``sd_scar``. Invalid
        with fewer than 2 events, identical standardized CARs, or
        :math:`Z^2 \\ge T-1`.

    Notes
    -----
    The generalized standardized abnormal returns of event :math:`i` are its
    :math:`M_i` estimation-window :math:`AR_{it}/\\hat\\sigma_i` and, as one
    extra point, :math:`SCAR_i^* = SCAR_i/s_{SCAR}` with
    :math:`SCAR_i = CAR_i/\\sqrt{\\iota'V_i\\iota}` and :math:`s_{SCAR}` the
    cross-sectional standard deviation (N - 1 denominator) that absorbs
    event-induced volatility. They are ranked within the event,
    :math:`U_{it} = \\operatorname{rank}/(M_i+2) - 1/2`, and

    .. math:: Z = \\frac{\\bar U_0}{S_{\\bar U}}, \\quad
              S_{\\bar U}^2 = \\frac1T\\sum_{t}\\frac{N_t}{N}\\bar U_t^2, \\quad
              t_{grank} = Z\\sqrt{\\frac{T-2}{T-1-Z^2}},

    the sum running over the :math:`T = M + 1` points (estimation days with a
    residual plus the CAR point).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, grank_test
    >>> res = grank_test(simulate_panel(n_events=30, n_est=120, seed=1), (-1, 1))
    >>> res.df
    119.0
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("rank_scale", rank_scale, RANK_SCALES)
    sample = select_standardized(panel, window)
    n = sample.n
    common = dict(
        test="grank",
        name="GRANK t",
        null=f"mean scaled rank of S{car_label(sample.window)} = 1/2",
        reference=REF_GRANK,
        alternative=alternative,
    )
    if n < 2:
        return invalid(**common, dist_name="t(T-2)", n=n, reason=too_few(n, 2))
    scar = standardized_car(panel, sample, "prediction")
    sd_scar = float(np.std(scar, ddof=1))
    if not sd_scar > 0:
        return invalid(
            **common, dist_name="t(T-2)", n=n, reason="standardized CARs have zero variance"
        )
    sar = used_rows(panel.est_ar, sample.used) / panel.sigma[sample.used, None]
    u = scaled_ranks(np.column_stack([sar, scar / sd_scar]))
    ubar, s_u, t_days = _rank_scale(u, n, rank_scale)
    if t_days < 3 or not s_u > 0:
        return invalid(
            **common,
            dist_name="t(T-2)",
            n=n,
            reason=f"needs estimation-window residuals with variation (T = {t_days} points)",
        )
    z = float(ubar[-1]) / s_u
    if z * z >= t_days - 1:
        return invalid(
            **common,
            dist_name=f"t({t_days - 2})",
            n=n,
            reason=f"Z^2 = {z * z:.4g} >= T - 1 = {t_days - 1}",
        )
    stat = z * np.sqrt((t_days - 2) / (t_days - 1 - z * z))
    details = {
        "z": z,
        "mean_rank": float(ubar[-1]),
        "s_rank": s_u,
        "days": t_days,
        "sd_scar": sd_scar,
        "rank_scale": rank_scale,
        **sample.details(),
    }
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, t_days - 2, alternative),
        dist_name=f"t({t_days - 2})",
        df=t_days - 2,
        n=n,
        details=details,
    )
