r"""Resampling tests of the CAAR: sign-flip permutation and wild bootstrap.

**Sign-flip permutation test** (Fisher 1935; Good 2005). Under the null that
each :math:`CAR_i` is symmetric about zero and events are independent, the
signs are exchangeable: with :math:`T` the cross-sectional t (or the mean),

.. math::

    p = \frac{\#\{s \in S: |T(s \circ CAR)| \ge |T(CAR)|\}}{|S|},

over all :math:`2^N` sign vectors :math:`s` when :math:`2^N` is at most
``n_perm + 1`` (exact), or :math:`p = (1 + \#\{b: |T_b| \ge |T|\})/(B + 1)`
over :math:`B` random sign vectors.

**Wild bootstrap** (Wu 1986; Liu 1988; Mammen 1993). Each event keeps its own
variance: with residuals :math:`e_i = CAR_i - \overline{CAR}` and i.i.d.
weights :math:`v_i` of mean 0 and variance 1 (Rademacher :math:`\pm 1`, or
Mammen's two-point distribution), :math:`CAR^*_i = \overline{CAR} + v_i e_i`
and the bootstrap t statistics :math:`t^*_b = (\overline{CAR^*} -
\overline{CAR})/se^*` give the null distribution of
:math:`t = \overline{CAR}/se` (:math:`se = s/\sqrt N`):
:math:`p = (1 + \#\{b: |t^*_b| \ge |t|\})/(B + 1)`.

Both take a fitted study or an :class:`~eventstudy.inference.EventPanel` and
a window, like the tests of :mod:`eventstudy.inference`, and are seeded
(``seed=0`` by default) so that tables are reproducible.

References
----------
Fisher, R. A. (1935). *The Design of Experiments*. Oliver & Boyd.

Good, P. I. (2005). *Permutation, Parametric and Bootstrap Tests of
Hypotheses*, 3rd ed. Springer.

Liu, R. Y. (1988). Bootstrap procedures under some non-i.i.d. models.
*Annals of Statistics* 16(4), 1696-1708.

Mammen, E. (1993). Bootstrap and wild bootstrap for high dimensional linear
models. *Annals of Statistics* 21(1), 255-285.

Wu, C. F. J. (1986). Jackknife, bootstrap and other resampling methods in
regression analysis. *Annals of Statistics* 14(4), 1261-1295.
"""

from __future__ import annotations

import itertools
from typing import Literal

import numpy as np

from .exceptions import EventStudyError
from .inference._common import (
    ALTERNATIVES,
    check_choice,
    invalid,
    null_mean,
    result,
    select_events,
    too_few,
)
from .inference.data import Window
from .inference.results import Alternative, TestResult
from .inference_extra import _as_panel

__all__ = ["permutation_test", "wild_bootstrap_test"]

REF_PERM = "Fisher (1935); Good (2005), sign-flip randomization"
REF_WILD = "Wu (1986); Liu (1988); Mammen (1993), wild bootstrap-t"


def _generator(seed: int | None) -> np.random.Generator:
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise EventStudyError(f"seed must be a non-negative integer or None, got {seed!r}")
    return np.random.default_rng(0 if seed is None else int(seed))


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise EventStudyError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _tail_count(null: np.ndarray, observed: float, alternative: str) -> int:
    tol = 1e-12 * max(1.0, abs(observed))  # ties of the observed statistic count as extreme
    if alternative == "greater":
        return int(np.sum(null >= observed - tol))
    if alternative == "less":
        return int(np.sum(null <= observed + tol))
    return int(np.sum(np.abs(null) >= abs(observed) - tol))


def _t_stat(car: np.ndarray) -> np.ndarray:
    """Cross-sectional t along the last axis."""
    n = car.shape[-1]
    sd = np.std(car, axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return car.mean(axis=-1) / (sd / np.sqrt(n))


def permutation_test(
    data: object,
    window: Window = (-1, 1),
    *,
    n_perm: int = 9999,
    statistic: Literal["t", "mean"] = "t",
    seed: int | None = None,
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Sign-flip permutation (randomization) test of :math:`CAAR = 0`.

    Parameters
    ----------
    data : EventStudyResults or EventPanel
    window : (int, int), default (-1, 1)
    n_perm : int, default 9999
        Random sign vectors; all :math:`2^N` are used when that is at most
        ``n_perm + 1`` (an exact test).
    statistic : {"t", "mean"}, default "t"
        Cross-sectional t or the CAAR itself.
    seed : int, optional
        Seed of the sign draws (0 when None).
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    TestResult
        ``test="permutation"``; details hold ``caar``, ``exact`` and the
        number of sign vectors ``n_perm``. Invalid with fewer than 2 events.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel
    >>> permutation_test(simulate_panel(n_events=8, shock=0.03, seed=2), (0, 0)).details["exact"]
    True
    """
    panel = _as_panel(data)
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("statistic", statistic, ("t", "mean"))
    n_perm = _count("n_perm", n_perm)
    gen = _generator(seed)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="permutation",
        name=f"Sign-flip permutation ({statistic})",
        null=null_mean(sample.window),
        reference=REF_PERM,
        alternative=alternative,
    )
    if n < 2:
        return invalid(**common, dist_name="randomization", n=n, reason=too_few(n, 2))
    car = sample.car
    if np.ptp(np.abs(car)) == 0 and car[0] == 0:
        return invalid(**common, dist_name="randomization", n=n, reason="CARs are all zero")
    stat_fn = _t_stat if statistic == "t" else (lambda x: x.mean(axis=-1))
    observed = float(stat_fn(car))
    exact = 2**n <= n_perm + 1
    if exact:
        signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
        null = stat_fn(signs * car)
        pvalue = _tail_count(null, observed, alternative) / len(signs)
        draws = len(signs)
    else:
        signs = gen.choice((-1.0, 1.0), size=(n_perm, n))
        null = stat_fn(signs * car)
        pvalue = (1 + _tail_count(null, observed, alternative)) / (n_perm + 1)
        draws = n_perm
    details = {
        "caar": float(car.mean()),
        "exact": bool(exact),
        "n_perm": int(draws),
        **sample.details(),
    }
    dist = f"randomization ({'all' if exact else draws} sign vectors)"
    return result(
        **common, stat=observed, pvalue=pvalue, dist_name=dist, df=None, n=n, details=details
    )


def wild_bootstrap_test(
    data: object,
    window: Window = (-1, 1),
    *,
    n_boot: int = 9999,
    weights: Literal["rademacher", "mammen"] = "rademacher",
    seed: int | None = None,
    alternative: Alternative = "two-sided",
) -> TestResult:
    """Wild bootstrap-t test of :math:`CAAR = 0`, robust to event-specific variances.

    Parameters
    ----------
    data : EventStudyResults or EventPanel
    window : (int, int), default (-1, 1)
    n_boot : int, default 9999
    weights : {"rademacher", "mammen"}, default "rademacher"
        Distribution of the wild weights :math:`v_i` (mean 0, variance 1):
        :math:`\\pm 1` with probability 1/2, or Mammen's
        :math:`-(\\sqrt5-1)/2` with probability :math:`(\\sqrt5+1)/(2\\sqrt5)`
        and :math:`(\\sqrt5+1)/2` otherwise.
    seed : int, optional
        Seed of the weights (0 when None).
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    TestResult
        ``test="wild_bootstrap"``; ``stat`` the cross-sectional t, details
        ``caar``, ``se`` and ``n_boot``. Invalid with fewer than 2 events or
        equal CARs.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel
    >>> res = wild_bootstrap_test(simulate_panel(n_events=30, shock=0.02, seed=3), (0, 0))
    >>> res.pvalue < 0.01
    True
    """
    panel = _as_panel(data)
    check_choice("alternative", alternative, ALTERNATIVES)
    check_choice("weights", weights, ("rademacher", "mammen"))
    n_boot = _count("n_boot", n_boot)
    gen = _generator(seed)
    sample = select_events(panel, window)
    n = sample.n
    common = dict(
        test="wild_bootstrap",
        name=f"Wild bootstrap-t ({weights})",
        null=null_mean(sample.window),
        reference=REF_WILD,
        alternative=alternative,
    )
    dist = f"wild bootstrap ({n_boot} draws)"
    if n < 2:
        return invalid(**common, dist_name=dist, n=n, reason=too_few(n, 2))
    car = sample.car
    if np.ptp(car) == 0:
        return invalid(**common, dist_name=dist, n=n, reason="CARs are all equal")
    caar = float(car.mean())
    observed = float(_t_stat(car))
    resid = car - caar
    if weights == "rademacher":
        v = gen.choice((-1.0, 1.0), size=(n_boot, n))
    else:
        r5 = np.sqrt(5.0)
        prob = (r5 + 1) / (2 * r5)
        v = np.where(gen.random((n_boot, n)) < prob, -(r5 - 1) / 2, (r5 + 1) / 2)
    star = caar + v * resid
    sd = np.std(star, axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_star = (star.mean(axis=1) - caar) / (sd / np.sqrt(n))
    t_star = t_star[np.isfinite(t_star)]
    pvalue = (1 + _tail_count(t_star, observed, alternative)) / (len(t_star) + 1)
    se = float(np.std(car, ddof=1) / np.sqrt(n))
    details = {"caar": caar, "se": se, "n_boot": int(len(t_star)), **sample.details()}
    return result(
        **common, stat=observed, pvalue=pvalue, dist_name=dist, df=None, n=n, details=details
    )
