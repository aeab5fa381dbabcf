"""Unstandardized parametric tests of the mean CAR across events.

For :math:`N` events with cumulative abnormal returns :math:`CAR_i` over a
window of :math:`L` days, :math:`\\overline{CAR} = N^{-1}\\sum_i CAR_i` (the
CAAR) and :math:`s^2 = (N-1)^{-1}\\sum_i (CAR_i - \\overline{CAR})^2`:

* cross-sectional t (Brown & Warner 1985; Campbell, Lo & MacKinlay 1997):

  .. math:: t = \\frac{\\overline{CAR}}{s / \\sqrt{N}} \\sim t(N-1);

* skewness-adjusted t (Johnson 1978; Hall 1992; Lyon, Barber & Tsai 1999),
  with :math:`S = \\overline{CAR}/s` and
  :math:`\\hat\\gamma = \\sum_i (CAR_i - \\overline{CAR})^3 / (N s^3)`:

  .. math:: t_{sa} = \\sqrt{N}\\left(S + \\tfrac{1}{3}\\hat\\gamma S^2
            + \\tfrac{1}{6N}\\hat\\gamma\\right) \\;\\dot\\sim\\; t(N-1);

* crude dependence adjustment (Brown & Warner 1980, 1985), which takes the
  variance of the average abnormal return from its time series over the
  :math:`M` estimation days, so that cross-sectional correlation is absorbed:

  .. math:: t = \\frac{\\sum_{t\\in w} AAR_t}{\\sqrt{L}\\, \\hat\\sigma_{AAR}}, \\qquad
            \\hat\\sigma_{AAR}^2 = \\frac{1}{M-1}\\sum_{t \\in est}
            (AAR_t - \\overline{AAR})^2, \\qquad t \\sim t(M-1).

References
----------
Brown, S. J. & Warner, J. B. (1980). Measuring security price performance.
*Journal of Financial Economics* 8(3), 205-258.

Brown, S. J. & Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14(1), 3-31.

Campbell, J. Y., Lo, A. W. & MacKinlay, A. C. (1997). *The Econometrics of
Financial Markets*, ch. 4. Princeton University Press.

Hall, P. (1992). On the removal of skewness by transformation. *Journal of the
Royal Statistical Society B* 54(1), 221-228.

Johnson, N. J. (1978). Modified t tests and confidence intervals for
asymmetrical populations. *Journal of the American Statistical Association*
73(363), 536-544.

Lyon, J. D., Barber, B. M. & Tsai, C.-L. (1999). Improved methods for tests
of long-run abnormal stock returns. *Journal of Finance* 54(1), 165-201.
"""

from __future__ import annotations

import numpy as np

from ._common import (
    ALTERNATIVES,
    check_choice,
    invalid,
    null_mean,
    pvalue_t,
    result,
    select_events,
    too_few,
    used_rows,
)
from .data import EventPanel, Window
from .results import Alternative, TestResult

__all__ = ["csect_t_test", "skewness_t_test", "crude_dependence_test"]

REF_CSECT = "Brown & Warner (1985); Campbell, Lo & MacKinlay (1997, ch. 4)"
REF_SKEW = "Johnson (1978); Hall (1992); Lyon, Barber & Tsai (1999)"
REF_CRUDE = "Brown & Warner (1980, 1985), crude dependence adjustment"


def csect_t_test(
    panel: EventPanel, window: Window = (-1, 1), *, alternative: Alternative = "two-sided"
) -> TestResult:
    """Cross-sectional t test of the mean CAR (CAAR).

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included; ``(d, d)`` tests AAR on day d.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis on the mean.

    Returns
    -------
    TestResult
        ``stat`` is t, compared with :math:`t(N-1)`; ``details`` holds
        ``caar`` and ``se``. Invalid with fewer than 2 events or zero
        cross-sectional variance.

    Notes
    -----
    .. math:: t = \\frac{\\overline{CAR}}{s/\\sqrt{N}}, \\quad
              s^2 = \\frac{1}{N-1}\\sum_{i=1}^N (CAR_i - \\overline{CAR})^2.

    Robust to event-induced variance, not to cross-sectional correlation
    (Brown & Warner 1985).

    See Also
    --------
    bmp_test : the standardized version.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, csect_t_test
    >>> res = csect_t_test(simulate_panel(n_events=30, seed=1, shock=0.02), (0, 0))
    >>> res.pvalue < 0.01
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="csect_t",
        name="Cross-sectional t",
        null=null_mean(sample.window),
        reference=REF_CSECT,
        alternative=alternative,
    )
    if n < 2:
        return invalid(**common, dist_name="t(N-1)", n=n, reason=too_few(n, 2))
    caar = float(np.mean(sample.car))
    sd = float(np.std(sample.car, ddof=1))
    if not sd > 0:
        return invalid(**common, dist_name=f"t({n - 1})", n=n, reason="CARs have zero variance")
    se = sd / np.sqrt(n)
    stat = caar / se
    details = {"caar": caar, "se": se, **sample.details()}
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, n - 1, alternative),
        dist_name=f"t({n - 1})",
        df=n - 1,
        n=n,
        details=details,
    )


def skewness_t_test(
    panel: EventPanel, window: Window = (-1, 1), *, alternative: Alternative = "two-sided"
) -> TestResult:
    """Skewness-adjusted t test of the mean CAR.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis on the mean.

    Returns
    -------
    TestResult
        ``stat`` is :math:`t_{sa}`, compared with :math:`t(N-1)`;
        ``details`` holds ``caar``, ``skewness`` (:math:`\\hat\\gamma`) and the
        unadjusted ``t``. Invalid with fewer than 3 events or zero variance.

    Notes
    -----
    With :math:`S = \\overline{CAR}/s` (:math:`s` with :math:`N-1` in the
    denominator) and :math:`\\hat\\gamma = \\sum_i (CAR_i - \\overline{CAR})^3/(N s^3)`,

    .. math:: t_{sa} = \\sqrt{N}\\left(S + \\tfrac13 \\hat\\gamma S^2
              + \\tfrac{1}{6N}\\hat\\gamma\\right),

    the transformation of Johnson (1978) and Hall (1992) in the form used by
    Lyon, Barber & Tsai (1999, eq. 5). It is asymptotically N(0, 1); we refer
    it to :math:`t(N-1)`, which it matches when :math:`\\hat\\gamma = 0`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, skewness_t_test
    >>> res = skewness_t_test(simulate_panel(n_events=30, seed=1), (-1, 1))
    >>> res.df
    29.0
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="skewness_t",
        name="Skewness-adjusted t",
        null=null_mean(sample.window),
        reference=REF_SKEW,
        alternative=alternative,
    )
    if n < 3:
        return invalid(**common, dist_name="t(N-1)", n=n, reason=too_few(n, 3))
    x = sample.car
    caar = float(np.mean(x))
    sd = float(np.std(x, ddof=1))
    if not sd > 0:
        return invalid(**common, dist_name=f"t({n - 1})", n=n, reason="CARs have zero variance")
    s_ratio = caar / sd
    gamma = float(np.sum((x - caar) ** 3) / (n * sd**3))
    stat = np.sqrt(n) * (s_ratio + gamma * s_ratio**2 / 3.0 + gamma / (6.0 * n))
    details = {"caar": caar, "skewness": gamma, "t": np.sqrt(n) * s_ratio, **sample.details()}
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, n - 1, alternative),
        dist_name=f"t({n - 1})",
        df=n - 1,
        n=n,
        details=details,
    )


def crude_dependence_test(
    panel: EventPanel, window: Window = (-1, 1), *, alternative: Alternative = "two-sided"
) -> TestResult:
    """Brown & Warner's crude dependence adjustment test of the CAAR.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns, with estimation-window residuals.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis on the mean.

    Returns
    -------
    TestResult
        ``stat`` compared with :math:`t(M-1)`, :math:`M` the number of
        estimation days with at least one residual. Invalid with fewer than 2
        such days or a constant AAR series.

    Notes
    -----
    .. math::
        AAR_t = \\frac{1}{N_t}\\sum_{i} AR_{it}, \\qquad
        t = \\frac{\\sum_{t=a}^{b} AAR_t}{\\sqrt{L}\\,\\hat\\sigma_{AAR}}, \\qquad
        \\hat\\sigma^2_{AAR} = \\frac{1}{M-1}\\sum_{t\\in est}(AAR_t - \\overline{AAR})^2,

    where the estimation-window :math:`AAR_t` averages the residuals of the
    events used (those with a complete window) that are present on day
    :math:`t`. The numerator equals the mean CAR of those events. Taking the
    variance from the time series of the portfolio return makes the test
    robust to cross-sectional correlation (events on one date), at the cost of
    ignoring event-induced variance and the prediction-error terms.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, crude_dependence_test
    >>> res = crude_dependence_test(simulate_panel(n_events=10, n_est=100, seed=2))
    >>> res.df
    99.0
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="crude_dependence",
        name="Crude dependence adjusted t",
        null=null_mean(sample.window),
        reference=REF_CRUDE,
        alternative=alternative,
    )
    if n < 1:
        return invalid(**common, dist_name="t(M-1)", n=n, reason=too_few(n, 1))
    est = used_rows(panel.est_ar, sample.used)
    finite = np.isfinite(est)
    complete = bool(finite.all())
    present = np.ones(est.shape[1], dtype=bool) if complete else finite.any(axis=0)
    m = int(present.sum())
    if m < 2:
        return invalid(
            **common,
            dist_name="t(M-1)",
            n=n,
            reason=f"needs at least 2 estimation days with residuals, got {m}",
        )
    est_aar = est.mean(axis=0) if complete else np.nanmean(est[:, present], axis=0)
    sd = float(np.std(est_aar, ddof=1))
    if not sd > 0:
        return invalid(
            **common,
            dist_name=f"t({m - 1})",
            n=n,
            reason="the estimation-window AAR series is constant",
        )
    caar = float(np.mean(sample.car))
    stat = caar / (np.sqrt(sample.length) * sd)
    details = {"caar": caar, "sigma_aar": sd, "estimation_days": m, **sample.details()}
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, m - 1, alternative),
        dist_name=f"t({m - 1})",
        df=m - 1,
        n=n,
        details=details,
    )
