"""Bootstrap confidence interval and test for the CAAR.

Events are resampled with replacement (the nonparametric i.i.d. bootstrap of
Efron 1979, events as the independent units). With :math:`B` resamples of
the :math:`N` CARs and bootstrap means :math:`\\overline{CAR}^*_b`:

* percentile interval at level :math:`1-\\alpha` (Efron & Tibshirani 1993,
  ch. 13):

  .. math:: \\left[q_{\\alpha/2}(\\overline{CAR}^*),\\; q_{1-\\alpha/2}(\\overline{CAR}^*)\\right];

* p-value under the null imposed by centring the CARs on their mean
  (Efron & Tibshirani 1993, sec. 16.4), for which the bootstrap means are
  :math:`\\overline{CAR}^*_b - \\overline{CAR}`:

  .. math:: p = \\frac{1 + \\#\\{b: |\\overline{CAR}^*_b - \\overline{CAR}| \\ge
            |\\overline{CAR}|\\}}{B + 1}

  (one-sided versions count one tail without absolute values).

References
----------
Efron, B. (1979). Bootstrap methods: another look at the jackknife. *Annals
of Statistics* 7(1), 1-26.

Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
Chapman & Hall.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import EventStudyError
from ._common import ALTERNATIVES, check_choice, invalid, null_mean, result, select_events, too_few
from .data import EventPanel, Window
from .results import Alternative, TestResult

__all__ = ["bootstrap_test"]

REF_BOOT = "Efron (1979); Efron & Tibshirani (1993), percentile interval"
DEFAULT_SEED = 0
_CHUNK_CELLS = 2_000_000  # resampled indices held in memory at once


def _generator(seed: int | None, rng: np.random.Generator | None) -> np.random.Generator:
    if seed is not None and rng is not None:
        raise EventStudyError("pass either seed= or rng= to the bootstrap, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise EventStudyError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        return rng
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise EventStudyError(f"seed must be a non-negative integer or None, got {seed!r}")
    return np.random.default_rng(DEFAULT_SEED if seed is None else seed)


def bootstrap_test(
    panel: EventPanel,
    window: Window = (-1, 1),
    *,
    n_boot: int | None = None,
    level: float = 0.95,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Bootstrap percentile confidence interval and p-value for the CAAR.

    Parameters
    ----------
    panel : EventPanel
        Per-event abnormal returns.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    n_boot : int, optional
        Number of bootstrap resamples :math:`B`; default 9999, reduced for
        large samples so that :math:`B N \\le 2 \\times 10^7` (never below 999,
        see :func:`default_n_boot`).
    level : float, default 0.95
        Confidence level of the percentile interval.
    seed : int, optional
        Seed of a fresh ``numpy.random.default_rng``. With neither ``seed``
        nor ``rng`` the seed is 0, so that tables are reproducible.
    rng : numpy.random.Generator, optional
        Generator to draw from (advanced by the call). Not with ``seed``.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis on the mean.

    Returns
    -------
    TestResult
        ``stat`` is the CAAR itself; ``details`` holds ``ci_low``,
        ``ci_high``, ``level``, ``se_boot`` (standard deviation of the
        bootstrap means) and ``n_boot``. Invalid with fewer than 2 events or
        identical CARs.

    Raises
    ------
    EventStudyError
        If ``n_boot`` is not a positive integer, ``level`` is not in (0, 1),
        or both ``seed`` and ``rng`` are given.

    Notes
    -----
    The resampling unit is the event, so the interval is robust to
    event-induced variance and to skewness of CARs but, like the
    cross-sectional t, assumes events are independent. The null distribution
    is obtained from the same resamples shifted by :math:`-\\overline{CAR}`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, bootstrap_test
    >>> res = bootstrap_test(simulate_panel(n_events=30, seed=1), (-1, 1), n_boot=999)
    >>> bool(res.details["ci_low"] < res.stat < res.details["ci_high"])
    True
    """
    check_choice("alternative", alternative, ALTERNATIVES)
    if n_boot is not None and (
        isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1
    ):
        raise EventStudyError(f"n_boot must be a positive integer or None, got {n_boot!r}")
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise EventStudyError(f"level must be a number strictly between 0 and 1, got {level!r}")
    gen = _generator(seed, rng)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="bootstrap",
        name="Bootstrap CAAR",
        null=null_mean(sample.window),
        reference=REF_BOOT,
        alternative=alternative,
    )
    if n_boot is None:
        n_boot = default_n_boot(n)
    dist = f"bootstrap ({int(n_boot)} resamples)"
    if n < 2:
        return invalid(**common, dist_name=dist, n=n, reason=too_few(n, 2))
    car = sample.car
    if np.ptp(car) == 0:
        return invalid(**common, dist_name=dist, n=n, reason="CARs are all equal")
    caar = float(np.mean(car))
    chunk = max(1, _CHUNK_CELLS // n)
    means = np.empty(int(n_boot))
    for start in range(0, int(n_boot), chunk):
        stop = min(int(n_boot), start + chunk)
        idx = gen.integers(0, n, size=(stop - start, n))
        means[start:stop] = car[idx].mean(axis=1)
    alpha = 1.0 - float(level)
    ci_low, ci_high = np.quantile(means, [alpha / 2.0, 1.0 - alpha / 2.0])
    null_means = means - caar
    if alternative == "greater":
        extreme = np.sum(null_means >= caar)
    elif alternative == "less":
        extreme = np.sum(null_means <= caar)
    else:
        extreme = np.sum(np.abs(null_means) >= abs(caar))
    pvalue = (1.0 + float(extreme)) / (n_boot + 1.0)
    details = {
        "caar": caar,
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "level": float(level),
        "se_boot": float(np.std(means, ddof=1)) if n_boot > 1 else float("nan"),
        "n_boot": int(n_boot),
        **sample.details(),
    }
    return result(
        **common,
        stat=caar,
        pvalue=pvalue,
        dist_name=dist,
        df=None,
        n=n,
        details=details,
    )


def default_n_boot(n_events: int) -> int:
    """Resamples used when ``n_boot=None``: 9999, fewer for very large samples.

    The work is ``n_boot × n_events`` draws; the default keeps it under
    :math:`2 \\times 10^7` (a fraction of a second here) but never below 999
    resamples, the usual floor for a 95% percentile interval. So 9999 up to
    2,000 events, 999 from 20,000 events on.
    """
    return int(min(9999, max(999, 20_000_000 // max(int(n_events), 1))))
