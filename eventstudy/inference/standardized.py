"""Standardized parametric tests: Patell, BMP and the Kolari-Pynnönen adjustment.

Each event's CAR over a window :math:`w` of :math:`L` days is divided by its
estimated standard deviation. With the prediction-error variance
:math:`\\widehat{\\operatorname{var}}\\,CAR_i = \\iota' V_i \\iota` (MacKinlay 1997),

.. math:: SCAR_i = \\frac{CAR_i}{\\sqrt{\\iota' V_i \\iota}},

which under normal returns is :math:`t(m_i - k)`-distributed, with variance
:math:`(m_i - k)/(m_i - k - 2)`. The tests are

* Patell (1976):

  .. math:: Z = \\frac{\\sum_{i=1}^N SCAR_i}{\\sqrt{\\sum_{i=1}^N \\frac{m_i-k}{m_i-k-2}}}
            \\sim N(0, 1);

* Boehmer, Musumeci & Poulsen (1991), the cross-sectional t of the
  standardized CARs, robust to event-induced variance:

  .. math:: t_{BMP} = \\frac{\\overline{SCAR}}{s_{SCAR}/\\sqrt{N}} \\sim t(N-1);

* Kolari & Pynnönen (2010), BMP corrected for the average cross-correlation
  :math:`\\bar r` of the abnormal returns:

  .. math:: t_{KP} = t_{BMP}\\sqrt{\\frac{1-\\bar r}{1+(N-1)\\bar r}}.

References
----------
Boehmer, E., Musumeci, J. & Poulsen, A. B. (1991). Event-study methodology
under conditions of event-induced variance. *Journal of Financial Economics*
30(2), 253-272.

Kolari, J. W. & Pynnönen, S. (2010). Event study testing with cross-sectional
correlation of abnormal returns. *Review of Financial Studies* 23(11),
3996-4025.

MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35(1), 13-39.

Patell, J. M. (1976). Corporate forecasts of earnings per share and stock
price behavior: empirical tests. *Journal of Accounting Research* 14(2),
246-276.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ._common import (
    ALTERNATIVES,
    EventSample,
    check_choice,
    invalid,
    null_mean,
    pvalue_normal,
    pvalue_t,
    result,
    select_standardized,
    too_few,
    used_rows,
)
from .data import EventPanel, Window
from .results import Alternative, TestResult

__all__ = [
    "patell_test",
    "bmp_test",
    "kolari_pynnonen_test",
    "standardized_car",
    "average_correlation",
]

Standardize = Literal["prediction", "sigma"]
STANDARDIZE = ("prediction", "sigma")
MIN_PAIR_OBS = 3
_BLOCK = 256

REF_PATELL = "Patell (1976)"
REF_BMP = "Boehmer, Musumeci & Poulsen (1991)"
REF_KP = "Kolari & Pynnönen (2010)"


def standardized_car(
    panel: EventPanel, sample: EventSample, how: Standardize = "prediction"
) -> np.ndarray:
    """Standardized CARs of the events in ``sample``.

    Parameters
    ----------
    panel : EventPanel
        The panel the sample was drawn from.
    sample : EventSample
        Events used and their CARs (events with a positive CAR variance and sigma).
    how : {"prediction", "sigma"}
        ``"prediction"``: :math:`CAR_i/\\sqrt{\\iota'V_i\\iota}` (Patell 1976;
        BMP 1991). ``"sigma"``: :math:`CAR_i/(\\hat\\sigma_i\\sqrt{L})`, without
        the parameter-uncertainty terms (as in the R package EventStudy).

    Returns
    -------
    ndarray
        One standardized CAR per event used.
    """
    check_choice("bmp_standardize", how, STANDARDIZE)
    if how == "prediction":
        return sample.car / np.sqrt(sample.car_var)
    return sample.car / (panel.sigma[sample.used] * np.sqrt(sample.length))


def patell_test(
    panel: EventPanel, window: Window = (-1, 1), *, alternative: Alternative = "two-sided"
) -> TestResult:
    """Patell (1976) Z test on standardized CARs.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns, CAR variances and estimation sizes.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included; ``(d, d)`` is the daily test.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.

    Returns
    -------
    TestResult
        ``stat`` is Z ~ N(0, 1); ``details`` holds ``mean_scar`` and
        ``variance_factor`` :math:`\\sum_i (m_i-k)/(m_i-k-2)`. Invalid when an
        event has :math:`m_i - k \\le 2` or no event is usable.

    Notes
    -----
    .. math:: SCAR_i = \\frac{CAR_i}{\\sqrt{\\iota'V_i\\iota}}, \\qquad
              Z = \\frac{\\sum_i SCAR_i}{\\sqrt{\\sum_i (m_i-k)/(m_i-k-2)}}.

    :math:`\\iota'V_i\\iota` includes the parameter-estimation terms of every
    pair of days in the window when the panel provides ``car_var_fn``. The
    factor :math:`(m_i-k)/(m_i-k-2)` is the variance of a t variable with
    :math:`m_i-k` degrees of freedom; omitting it (as some tools do) makes
    :math:`Z` too large.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, patell_test
    >>> res = patell_test(simulate_panel(n_events=30, seed=1), (-1, 1))
    >>> res.dist_name
    'N(0, 1)'
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    sample = select_standardized(panel, window)
    n = sample.n
    common = dict(
        test="patell",
        name="Patell Z",
        null=null_mean(sample.window),
        dist_name="N(0, 1)",
        reference=REF_PATELL,
        alternative=alternative,
    )
    if n < 1:
        return invalid(**common, n=n, reason=too_few(n, 1))
    dof = panel.resid_df[sample.used].astype(float)
    if np.any(dof <= 2):
        bad = [panel.event_ids[i] for i in np.flatnonzero(sample.used)[dof <= 2]]
        return invalid(
            **common,
            n=n,
            reason=f"the variance factor (m-k)/(m-k-2) needs m-k > 2; events {bad} have m-k <= 2",
        )
    scar = standardized_car(panel, sample, "prediction")
    factor = float(np.sum(dof / (dof - 2.0)))
    stat = float(np.sum(scar)) / np.sqrt(factor)
    details = {
        "caar": float(np.mean(sample.car)),
        "mean_scar": float(np.mean(scar)),
        "variance_factor": factor,
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


def _bmp_core(
    panel: EventPanel, window: Window, how: Standardize
) -> tuple[EventSample, np.ndarray, float | None, str | None]:
    """Sample, SCARs and the BMP t (or a reason it cannot be computed)."""
    sample = select_standardized(panel, window)
    if sample.n < 2:
        return sample, np.empty(0), None, too_few(sample.n, 2)
    scar = standardized_car(panel, sample, how)
    sd = float(np.std(scar, ddof=1))
    if not sd > 0:
        return sample, scar, None, "standardized CARs have zero variance"
    return sample, scar, float(np.mean(scar)) / (sd / np.sqrt(sample.n)), None


def bmp_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    bmp_standardize: Standardize = "prediction",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Boehmer, Musumeci & Poulsen (1991) standardized cross-sectional t test.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns and CAR variances.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    bmp_standardize : {"prediction", "sigma"}, default "prediction"
        How CARs are standardized: by the prediction-error standard deviation
        :math:`\\sqrt{\\iota'V_i\\iota}` as in the paper, or by
        :math:`\\hat\\sigma_i\\sqrt{L}` as in the R EventStudy package.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.

    Returns
    -------
    TestResult
        ``stat`` compared with :math:`t(N-1)`. Invalid with fewer than 2
        events or identical standardized CARs.

    Notes
    -----
    .. math:: t_{BMP} = \\frac{\\overline{SCAR}}
              {\\sqrt{\\frac{1}{N(N-1)}\\sum_i (SCAR_i - \\overline{SCAR})^2}}.

    The cross-sectional variance of the standardized CARs replaces Patell's
    theoretical variance, so the test stays valid when the event raises the
    variance of returns.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, bmp_test
    >>> panel = simulate_panel(n_events=30, seed=1)
    >>> a = bmp_test(panel, (-1, 1))
    >>> b = bmp_test(panel, (-1, 1), bmp_standardize="sigma")
    >>> a.df == b.df == 29.0
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("bmp_standardize", bmp_standardize, STANDARDIZE)
    sample, scar, stat, reason = _bmp_core(panel, window, bmp_standardize)
    n = sample.n
    common = dict(
        test="bmp",
        name="BMP standardized cross-sectional t",
        null=null_mean(sample.window),
        reference=REF_BMP,
        alternative=alternative,
    )
    if stat is None:
        return invalid(**common, dist_name="t(N-1)", n=n, reason=str(reason))
    details = {
        "caar": float(np.mean(sample.car)),
        "mean_scar": float(np.mean(scar)),
        "sd_scar": float(np.std(scar, ddof=1)),
        "standardize": bmp_standardize,
        **sample.details(),
    }
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, n - 1, alternative),
        dist_name=f"t({n - 1})",
        df=n - 1,
        n=n,
        details=details,
    )


def average_correlation(resid: np.ndarray, *, min_obs: int = MIN_PAIR_OBS) -> tuple[float, int]:
    """Mean pairwise correlation of the rows of ``resid`` (pairwise-complete).

    Parameters
    ----------
    resid : ndarray, shape (N, M)
        Estimation-window residuals aligned by relative day, NaN where missing.
    min_obs : int, default 3
        Pairs with fewer common observations are left out.

    Returns
    -------
    rbar : float
        Average of the Pearson correlations :math:`r_{ij}`, :math:`i<j`, each
        computed on the days both events have; NaN if no pair qualifies.
    n_pairs : int
        Number of pairs averaged.

    Notes
    -----
    Correlation is unchanged by dividing each row by a constant, so this is
    also the mean correlation of the residuals standardized by
    :math:`\\hat\\sigma_i`, as in Kolari & Pynnönen (2010).
    """
    x = np.asarray(resid, dtype=float)
    n = x.shape[0]
    complete = np.isfinite(x).all(axis=0)
    if n > 1 and x.shape[1] >= min_obs and complete.all():
        return _average_correlation_complete(x)
    w = np.isfinite(x).astype(float)
    z = np.where(w > 0, x, 0.0)
    z2 = z * z
    total, count = 0.0, 0
    for start in range(0, n, _BLOCK):  # blocks of rows keep memory at O(_BLOCK * N)
        rows = slice(start, min(n, start + _BLOCK))
        n_common = w[rows] @ w.T
        s_i = z[rows] @ w.T  # sum of x_i over the days shared with j
        s_j = w[rows] @ z.T  # sum of x_j over the days shared with i
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = z[rows] @ z.T - s_i * s_j / n_common
            var_i = z2[rows] @ w.T - s_i**2 / n_common
            var_j = w[rows] @ z2.T - s_j**2 / n_common
            corr = cov / np.sqrt(var_i * var_j)
        upper = np.arange(n)[None, :] > np.arange(rows.start, rows.stop)[:, None]
        ok = upper & (n_common >= min_obs) & (var_i > 0) & (var_j > 0) & np.isfinite(corr)
        total += float(corr[ok].sum())
        count += int(ok.sum())
    if count == 0:
        return float("nan"), 0
    return total / count, count


def _average_correlation_complete(x: np.ndarray) -> tuple[float, int]:
    r"""Mean pairwise correlation when every row has every day, in O(N·M).

    With rows standardised to unit norm, :math:`u_i`, the correlations are
    :math:`r_{ij} = u_i'u_j`, so
    :math:`\sum_{i<j} r_{ij} = (\lVert\sum_i u_i\rVert^2 - N_0)/2` over the
    :math:`N_0` rows with positive variance; no N × N matrix is formed.
    """
    m = x.shape[1]
    mean = x.mean(axis=1)
    # squared norm of each centred row, without forming the centred array
    ss = np.maximum(np.einsum("nm,nm->n", x, x) - m * mean**2, 0.0)
    norms = np.sqrt(ss)
    keep = norms > 1e-300
    n0 = int(keep.sum())
    if n0 < 2:
        return float("nan"), 0
    weights = np.where(keep, 1.0 / np.where(keep, norms, 1.0), 0.0)
    total = weights @ x - (weights * mean).sum()  # sum of the unit-norm centred rows
    pairs = n0 * (n0 - 1) // 2
    return float((total @ total - n0) / 2.0 / pairs), pairs


def kolari_pynnonen_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    bmp_standardize: Standardize = "prediction",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Kolari & Pynnönen (2010) cross-correlation adjusted BMP test.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns, CAR variances and estimation residuals.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    bmp_standardize : {"prediction", "sigma"}, default "prediction"
        Standardization of the underlying BMP statistic (see :func:`bmp_test`).
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.

    Returns
    -------
    TestResult
        ``stat`` compared with :math:`t(N-1)`; ``details`` holds ``rbar``,
        ``n_pairs`` and the unadjusted ``t_bmp``. Invalid when BMP is, when no
        pair of events shares 3 estimation days, or when
        :math:`1 + (N-1)\\bar r \\le 0`.

    Notes
    -----
    .. math:: t_{KP} = t_{BMP}\\sqrt{\\frac{1-\\bar r}{1+(N-1)\\bar r}},

    where :math:`\\bar r` is the average of the pairwise correlations of the
    events' estimation-window standardized residuals, aligned by relative day
    and computed on the days both events have (pairs with fewer than 3 such
    days are left out). Kolari & Pynnönen apply the same :math:`\\bar r` to
    multi-day CARs. With events on distinct calendar dates
    :math:`\\bar r \\approx 0` and the adjustment vanishes; on a common date it
    corrects the over-rejection of BMP.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, kolari_pynnonen_test
    >>> res = kolari_pynnonen_test(simulate_panel(n_events=30, seed=1), (-1, 1))
    >>> abs(res.details["rbar"]) < 0.05
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("bmp_standardize", bmp_standardize, STANDARDIZE)
    sample, _, t_bmp, reason = _bmp_core(panel, window, bmp_standardize)
    n = sample.n
    common = dict(
        test="kolari_pynnonen",
        name="Kolari-Pynnönen adjusted BMP t",
        null=null_mean(sample.window),
        reference=REF_KP,
        alternative=alternative,
    )
    if t_bmp is None:
        return invalid(**common, dist_name="t(N-1)", n=n, reason=str(reason))
    rbar, n_pairs = average_correlation(used_rows(panel.est_ar, sample.used))
    if not np.isfinite(rbar):
        return invalid(
            **common,
            dist_name=f"t({n - 1})",
            n=n,
            reason=f"no pair of events shares {MIN_PAIR_OBS} estimation-window residuals",
        )
    denom = 1.0 + (n - 1) * rbar
    if not denom > 0:
        return invalid(
            **common,
            dist_name=f"t({n - 1})",
            n=n,
            reason=f"1 + (N-1)*rbar = {denom:.4g} <= 0 (rbar = {rbar:.4g})",
        )
    stat = t_bmp * np.sqrt((1.0 - rbar) / denom)
    details = {
        "t_bmp": t_bmp,
        "rbar": rbar,
        "n_pairs": n_pairs,
        "standardize": bmp_standardize,
        **sample.details(),
    }
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, n - 1, alternative),
        dist_name=f"t({n - 1})",
        df=n - 1,
        n=n,
        details=details,
    )
