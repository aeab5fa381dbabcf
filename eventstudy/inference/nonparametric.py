"""Sign tests and the Wilcoxon signed-rank test on CARs.

With :math:`N` events, :math:`w = \\#\\{i: CAR_i > 0\\}`:

* sign test: under :math:`H_0`, :math:`w \\sim \\mathrm{Bin}(N, 1/2)` (zero CARs
  dropped), reported as

  .. math:: Z = \\frac{w - N/2}{\\sqrt{N/4}};

* generalized sign test (Cowan 1992), which replaces 1/2 by the share of
  positive abnormal returns in the estimation window,

  .. math:: \\hat p = \\frac1N\\sum_{i=1}^N \\frac{1}{m_i}\\sum_{t\\in est} 1[AR_{it} > 0],
            \\qquad Z = \\frac{w - N\\hat p}{\\sqrt{N\\hat p(1-\\hat p)}};

* Wilcoxon (1945) signed-rank test, :math:`W^+ = \\sum_{i: CAR_i > 0} R_i`
  with :math:`R_i` the rank of :math:`|CAR_i|` among the non-zero CARs.

``stat`` is the Z above for both sign tests, so they read like the other
tests; the p-value is exact binomial by default (``sign_pvalue="exact"``),
since the normal approximation is poor for the handful of events of a
single-firm study, or the normal one (``sign_pvalue="normal"``). Both are
monotone in :math:`w`, so they order samples the same way.

References
----------
Cowan, A. R. (1992). Nonparametric event study tests. *Review of Quantitative
Finance and Accounting* 2(4), 343-358.

Brown, S. J. & Warner, J. B. (1980). Measuring security price performance.
*Journal of Financial Economics* 8(3), 205-258.

Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics
Bulletin* 1(6), 80-83.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import stats

from ._common import (
    ALTERNATIVES,
    car_label,
    check_choice,
    invalid,
    pvalue_normal,
    result,
    select_events,
    too_few,
    used_rows,
)
from .data import EventPanel, Window
from .results import Alternative, TestResult

__all__ = ["sign_test", "generalized_sign_test", "wilcoxon_test"]

SignPValue = Literal["exact", "normal"]
SIGN_PVALUES = ("exact", "normal")
EXACT_WILCOXON_MAX_N = 50

REF_SIGN = "Brown & Warner (1980); binomial sign test"
REF_GSIGN = "Cowan (1992)"
REF_WILCOXON = "Wilcoxon (1945)"


def sign_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    sign_pvalue: SignPValue = "exact",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Sign test of the share of positive CARs against 1/2.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    sign_pvalue : {"exact", "normal"}, default "exact"
        p-value from the Binomial(N, 1/2) distribution of the number of
        positive CARs, or from the normal approximation of Z.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: more positive CARs than 1/2.

    Returns
    -------
    TestResult
        ``stat`` is Z; ``details`` holds ``n_positive``, ``n_zero`` and both
        p-values. ``n`` counts the non-zero CARs. Invalid when every CAR is
        zero or missing.

    Notes
    -----
    .. math:: Z = \\frac{w - N/2}{\\sqrt{N/4}}, \\qquad w \\sim \\mathrm{Bin}(N, 1/2),

    where CARs exactly equal to zero are dropped from :math:`N` (ties).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, sign_test
    >>> res = sign_test(simulate_panel(n_events=20, seed=3), (-1, 1))
    >>> res.dist_name
    'Binomial(20, 0.5)'
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("sign_pvalue", sign_pvalue, SIGN_PVALUES)
    sample = select_events(panel, window)
    car = sample.car
    nonzero = car[car != 0]
    n = int(nonzero.size)
    common = dict(
        test="sign",
        name="Sign test Z",
        null=f"P({car_label(sample.window)} > 0) = 0.5",
        reference=REF_SIGN,
        alternative=alternative,
    )
    if n < 1:
        return invalid(**common, dist_name="Binomial(N, 0.5)", n=n, reason=too_few(n, 1))
    n_pos = int(np.sum(nonzero > 0))
    z = (n_pos - 0.5 * n) / np.sqrt(0.25 * n)
    p_exact = float(stats.binomtest(n_pos, n, 0.5, alternative=alternative).pvalue)
    p_normal = pvalue_normal(z, alternative)
    exact = sign_pvalue == "exact"
    details = {
        "n_positive": n_pos,
        "n_zero": int(car.size - n),
        "pvalue_exact": p_exact,
        "pvalue_normal": p_normal,
        **sample.details(),
    }
    return result(
        **common,
        stat=z,
        pvalue=p_exact if exact else p_normal,
        dist_name=f"Binomial({n}, 0.5)" if exact else "N(0, 1)",
        df=None,
        n=n,
        details=details,
    )


def generalized_sign_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    sign_pvalue: SignPValue = "exact",
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Generalized sign test (Cowan 1992).

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns with estimation-window residuals.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    sign_pvalue : {"exact", "normal"}, default "exact"
        p-value from Binomial(N, :math:`\\hat p`) or from the normal
        approximation of Z (Cowan's statistic).
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: more positive CARs than :math:`\\hat p` predicts.

    Returns
    -------
    TestResult
        ``stat`` is Z; ``details`` holds ``p_hat``, ``n_positive`` and both
        p-values. Invalid without estimation residuals or when
        :math:`\\hat p` is 0 or 1.

    Notes
    -----
    .. math:: \\hat p = \\frac1N\\sum_{i}\\frac{1}{m_i}\\sum_{t\\in est} 1[AR_{it}>0],
              \\qquad Z = \\frac{w - N\\hat p}{\\sqrt{N\\hat p(1-\\hat p)}},

    with :math:`w` the number of events with :math:`CAR_i > 0` and
    :math:`m_i` the event's valid estimation residuals. A zero counts as
    not positive, in the event window as in :math:`\\hat p`. Events
    without estimation residuals are left out.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, generalized_sign_test
    >>> res = generalized_sign_test(simulate_panel(n_events=20, seed=3), (-1, 1))
    >>> 0.4 < res.details["p_hat"] < 0.6
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("sign_pvalue", sign_pvalue, SIGN_PVALUES)
    sample = select_events(panel, window)
    est = used_rows(panel.est_ar, sample.used)
    m_i = np.isfinite(est).sum(axis=1)
    has_est = m_i > 0
    car = sample.car[has_est]
    n = int(car.size)
    common = dict(
        test="generalized_sign",
        name="Generalized sign Z",
        null=f"P({car_label(sample.window)} > 0) = p_hat (estimation window)",
        reference=REF_GSIGN,
        alternative=alternative,
    )
    details = sample.details()
    details["n_excluded"] += int((~has_est).sum())
    if n < 1:
        return invalid(**common, dist_name="Binomial(N, p_hat)", n=n, reason=too_few(n, 1))
    share = (est[has_est] > 0).sum(axis=1) / m_i[has_est]
    p_hat = float(np.mean(share))
    if not 0 < p_hat < 1:
        return invalid(
            **common,
            dist_name="Binomial(N, p_hat)",
            n=n,
            reason=f"the estimation-window share of positive residuals is {p_hat:g}",
        )
    n_pos = int(np.sum(car > 0))
    z = (n_pos - n * p_hat) / np.sqrt(n * p_hat * (1 - p_hat))
    p_exact = float(stats.binomtest(n_pos, n, p_hat, alternative=alternative).pvalue)
    p_normal = pvalue_normal(z, alternative)
    exact = sign_pvalue == "exact"
    details = {
        "p_hat": p_hat,
        "n_positive": n_pos,
        "pvalue_exact": p_exact,
        "pvalue_normal": p_normal,
        **details,
    }
    return result(
        **common,
        stat=z,
        pvalue=p_exact if exact else p_normal,
        dist_name=f"Binomial({n}, {p_hat:.4f})" if exact else "N(0, 1)",
        df=None,
        n=n,
        details=details,
    )


def wilcoxon_test(
    panel: EventPanel, window: Window = (-1, 1), *, alternative: Alternative = "two-sided"
) -> TestResult:
    """Wilcoxon signed-rank test that CARs are symmetric about zero.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: CARs shifted above zero.

    Returns
    -------
    TestResult
        ``stat`` is :math:`W^+`, the sum of the ranks of :math:`|CAR_i|` over
        positive CARs; ``details`` holds ``w_minus`` and ``method``. ``n``
        counts the non-zero CARs. Invalid when every CAR is zero or missing.

    Notes
    -----
    .. math:: W^+ = \\sum_{i:\\,CAR_i>0} \\operatorname{rank}(|CAR_i|),
              \\qquad E W^+ = \\frac{N(N+1)}{4}.

    Zeros are dropped (Wilcoxon's convention) and ties get average ranks.
    The p-value is exact for :math:`N \\le 50` without ties, and otherwise
    from the normal approximation with tie-corrected variance (no continuity
    correction), both computed by :func:`scipy.stats.wilcoxon`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, wilcoxon_test
    >>> res = wilcoxon_test(simulate_panel(n_events=12, seed=3), (-1, 1))
    >>> res.details["method"]
    'exact'
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    sample = select_events(panel, window)
    car = sample.car
    nonzero = car[car != 0]
    n = int(nonzero.size)
    common = dict(
        test="wilcoxon",
        name="Wilcoxon signed-rank W+",
        null=f"{car_label(sample.window)} symmetric about 0",
        reference=REF_WILCOXON,
        alternative=alternative,
    )
    if n < 1:
        return invalid(**common, dist_name="Wilcoxon signed-rank", n=n, reason=too_few(n, 1))
    ranks = stats.rankdata(np.abs(nonzero))
    w_plus = float(ranks[nonzero > 0].sum())
    ties = np.unique(np.abs(nonzero)).size < n
    method = "exact" if n <= EXACT_WILCOXON_MAX_N and not ties else "approx"
    pvalue = float(stats.wilcoxon(nonzero, alternative=alternative, method=method).pvalue)
    details = {
        "w_minus": float(ranks[nonzero < 0].sum()),
        "expected_w": n * (n + 1) / 4.0,
        "method": method,
        "n_zero": int(car.size - n),
        **sample.details(),
    }
    return result(
        **common,
        stat=w_plus,
        pvalue=pvalue,
        dist_name=f"Wilcoxon signed-rank, N={n} ({method})",
        df=None,
        n=n,
        details=details,
    )
