"""Tidy tables of average abnormal returns, and clustered event dates.

Both tables use the cross-sectional standard error, which is robust to
event-induced variance (Brown & Warner 1985; Campbell, Lo & MacKinlay 1997,
sec. 4.4.3). For relative day :math:`t` with :math:`N_t` events present,

.. math::

    AAR_t = \\frac{1}{N_t}\\sum_i AR_{it}, \\qquad
    se(AAR_t) = \\frac{s_t}{\\sqrt{N_t}}, \\qquad
    s_t^2 = \\frac{1}{N_t - 1}\\sum_i (AR_{it} - AAR_t)^2,

:math:`t = AAR_t / se(AAR_t) \\sim t(N_t - 1)` and the interval is
:math:`AAR_t \\pm t_{(1+\\text{level})/2,\\,N_t-1}\\, se(AAR_t)`. The CAAR of
a window is the mean CAR of the events with a complete window, with
:math:`se = s_{CAR}/\\sqrt N` and :math:`N - 1` degrees of freedom.

References
----------
Brown, S. J. & Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14(1), 3-31.

Campbell, J. Y., Lo, A. W. & MacKinlay, A. C. (1997). *The Econometrics of
Financial Markets*, ch. 4. Princeton University Press.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import stats

from ..exceptions import EventStudyError
from ._common import select_events
from .data import EventPanel, Window, window_label

__all__ = ["aar_table", "caar_table", "clustered_dates", "AAR_COLUMNS", "CAAR_COLUMNS"]

AAR_COLUMNS = (
    "rel_day", "aar", "aar_se", "t_stat", "p_value", "ci_low", "ci_high", "n", "caar"
)  # fmt: skip
CAAR_COLUMNS = ("window", "caar", "caar_se", "t_stat", "p_value", "ci_low", "ci_high", "n")


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise EventStudyError(f"level must be a number strictly between 0 and 1, got {level!r}")
    return float(level)


def _mean_stats(values: np.ndarray, level: float) -> tuple[float, ...]:
    """mean, se, t, p, ci_low, ci_high of the finite values (NaN when n < 2)."""
    x = values[np.isfinite(values)]
    n = x.size
    mean = float(np.mean(x)) if n else float("nan")
    if n < 2:
        return mean, *(float("nan"),) * 5
    se = float(np.std(x, ddof=1)) / np.sqrt(n)
    if not se > 0:
        return mean, se, *(float("nan"),) * 4
    t = mean / se
    p = float(2 * stats.t.sf(abs(t), n - 1))
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * se
    return mean, se, t, p, mean - half, mean + half


def aar_table(panel: EventPanel, *, level: float = 0.95) -> pd.DataFrame:
    """Average abnormal return of each relative day with cross-sectional inference.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    level : float, default 0.95
        Confidence level of ``ci_low``/``ci_high``.

    Returns
    -------
    DataFrame
        One row per relative day: ``rel_day, aar, aar_se, t_stat, p_value,
        ci_low, ci_high, n, caar``. ``aar_se`` is the cross-sectional standard
        error :math:`s_t/\\sqrt{N_t}`, ``t_stat`` is referred to
        :math:`t(N_t-1)` (two-sided), ``n`` is :math:`N_t` (events with a
        return that day) and ``caar`` the running sum of ``aar`` from the
        first day of the window. Statistics need :math:`N_t \\ge 2`, else NaN.

    Notes
    -----
    .. math:: AAR_t = \\frac1{N_t}\\sum_i AR_{it}, \\quad
              t = \\frac{AAR_t}{s_t/\\sqrt{N_t}}, \\quad
              CAAR_t = \\sum_{\\tau \\le t} AAR_\\tau.

    With missing returns the days average different sets of events, so
    ``caar`` on the last day can differ from the mean CAR of
    :func:`caar_table`, which only uses events with a complete window.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, aar_table
    >>> tab = aar_table(simulate_panel(n_events=10, seed=0))
    >>> list(tab.columns)[:4], len(tab)
    (['rel_day', 'aar', 'aar_se', 't_stat'], 21)
    """
    level = _check_level(level)
    rows = []
    for j, day in enumerate(panel.rel_days):
        col = panel.event_ar[:, j]
        mean, se, t, p, lo, hi = _mean_stats(col, level)
        rows.append((int(day), mean, se, t, p, lo, hi, int(np.isfinite(col).sum())))
    frame = pd.DataFrame(rows, columns=list(AAR_COLUMNS[:-1]))
    frame["caar"] = frame["aar"].cumsum(skipna=False)
    return frame


def caar_table(panel: EventPanel, window: Window = (-1, 1), *, level: float = 0.95) -> pd.DataFrame:
    """CAAR over a window with its cross-sectional t test and confidence interval.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    level : float, default 0.95
        Confidence level of ``ci_low``/``ci_high``.

    Returns
    -------
    DataFrame
        One row: ``window`` (label such as ``'(-1, +1)'``), ``caar``,
        ``caar_se`` (:math:`s_{CAR}/\\sqrt N`), ``t_stat``, ``p_value``
        (two-sided, :math:`t(N-1)`), ``ci_low``, ``ci_high`` and ``n``
        (events with a complete window).

    Notes
    -----
    .. math:: CAAR = \\frac1N\\sum_i CAR_i, \\quad
              se = \\frac{s_{CAR}}{\\sqrt N}, \\quad
              CAAR \\pm t_{(1+\\text{level})/2,\\,N-1}\\,se.

    Same statistic as :func:`~eventstudy.inference.csect_t_test`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, caar_table
    >>> caar_table(simulate_panel(n_events=10, seed=0), (-1, 1))["window"].item()
    '(-1, +1)'
    """
    level = _check_level(level)
    sample = select_events(panel, window)
    mean, se, t, p, lo, hi = _mean_stats(sample.car, level)
    row = (window_label(sample.window), mean, se, t, p, lo, hi, sample.n)
    return pd.DataFrame([row], columns=list(CAAR_COLUMNS))


def clustered_dates(panel: EventPanel) -> pd.Series:
    """Calendar dates shared by two or more events (day 0 on the same date).

    Parameters
    ----------
    panel : EventPanel
        Uses ``panel.event_dates``.

    Returns
    -------
    Series
        Number of events (``n_events``) per shared date, indexed by ``date``
        in increasing order; empty when every event has its own date.

    Notes
    -----
    Events on one date have correlated abnormal returns, which the
    cross-sectional, Patell and BMP tests ignore; see
    :func:`~eventstudy.inference.kolari_pynnonen_test` and
    :func:`~eventstudy.inference.crude_dependence_test`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, clustered_dates
    >>> clustered_dates(simulate_panel(n_events=4, rho=0.2, seed=0)).tolist()
    [4]
    """
    dates = pd.Series(pd.to_datetime(panel.event_dates)).dropna()
    counts = dates.value_counts().sort_index()
    shared = counts[counts >= 2].astype("int64")
    shared.index = pd.DatetimeIndex(shared.index, name="date")
    return shared.rename("n_events")
