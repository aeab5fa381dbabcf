"""Synthetic event panels with a known abnormal return, for examples and tests.

Each event's returns follow a market model with normal errors,

.. math:: R_{it} = \\alpha_i + \\beta_i R_{mt} + \\varepsilon_{it}, \\qquad
          \\varepsilon_{it} = \\sigma_i\\left(\\sqrt{\\rho}\\, c_t
          + \\sqrt{1-\\rho}\\, e_{it}\\right),

with :math:`c_t, e_{it}` i.i.d. N(0, 1) and :math:`c_t` common to all events
(so that with :math:`\\rho > 0` the events behave as if they shared a
calendar date). A constant ``shock`` is added on day ``shock_day``. The model
(market model, or constant mean) is fitted by OLS on the estimation window
and the panel carries the prediction-error variances
:math:`V_i = \\hat\\sigma_i^2(I + X_i^*(X_i'X_i)^{-1}X_i^{*\\prime})` of
MacKinlay (1997), the same quantities a fitted study provides.

References
----------
Brown, S. J. & Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14(1), 3-31.

MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35(1), 13-39.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..exceptions import EventStudyError
from .data import EventPanel

__all__ = ["simulate_panel"]


def simulate_panel(
    n_events: int = 50,
    *,
    n_est: int = 250,
    event_window: tuple[int, int] = (-10, 10),
    model: Literal["market", "mean"] = "market",
    sigma: float = 0.02,
    shock: float = 0.0,
    shock_day: int = 0,
    rho: float = 0.0,
    missing: float = 0.0,
    seed: int | None = None,
    rng: np.random.Generator | None = None,
) -> EventPanel:
    """Simulate an :class:`EventPanel` from a market model with normal errors.

    Parameters
    ----------
    n_events : int, default 50
        Number of events N.
    n_est : int, default 250
        Estimation-window length M; it ends the day before the event window.
    event_window : tuple of int, default (-10, 10)
        Relative days of the event window, both included.
    model : {"market", "mean"}, default "market"
        Expected-return model fitted on the estimation window
        (k = 2 or k = 1 parameters).
    sigma : float, default 0.02
        Typical residual standard deviation; event :math:`i` draws
        :math:`\\sigma_i` uniformly in ``[0.5 sigma, 1.5 sigma]``.
    shock : float, default 0.0
        Abnormal return added to every event on ``shock_day``.
    shock_day : int, default 0
        Relative day of the shock.
    rho : float, default 0.0
        Correlation of the errors across events, in [0, 1). With
        ``rho > 0`` every event gets the same day-0 date.
    missing : float, default 0.0
        Share of estimation-window returns set to NaN at random.
    seed : int, optional
        Seed for ``numpy.random.default_rng`` (not with ``rng``).
    rng : numpy.random.Generator, optional
        Generator to draw from.

    Returns
    -------
    EventPanel
        With ``car_var_fn`` giving the exact :math:`\\iota'V_i\\iota`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, csect_t_test
    >>> panel = simulate_panel(n_events=40, shock=0.02, seed=5)
    >>> csect_t_test(panel, (0, 0)).stat > 3
    True
    """
    if seed is not None and rng is not None:
        raise EventStudyError("pass either seed= or rng=, not both")
    for name, value, low in (("n_events", n_events, 1), ("n_est", n_est, 3)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise EventStudyError(f"{name} must be an integer >= {low}, got {value!r}")
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise EventStudyError(f"seed must be a non-negative integer or None, got {seed!r}")
    if not 0 <= rho < 1:
        raise EventStudyError(f"rho must be in [0, 1), got {rho!r}")
    if not 0 <= missing < 1:
        raise EventStudyError(f"missing must be in [0, 1), got {missing!r}")
    if model not in ("market", "mean"):
        raise EventStudyError(f"model must be 'market' or 'mean', got {model!r}")
    gen = rng if rng is not None else np.random.default_rng(seed)
    first, last = int(event_window[0]), int(event_window[1])
    rel_days = np.arange(first, last + 1)
    n, m, length = int(n_events), int(n_est), rel_days.size
    if not first <= shock_day <= last:
        raise EventStudyError(f"shock_day {shock_day} is outside the event window")
    days = m + length

    market = gen.normal(0.0004, 0.01, size=days)
    sig = sigma * gen.uniform(0.5, 1.5, size=n)
    common = gen.standard_normal(days)
    idio = gen.standard_normal((n, days))
    eps = sig[:, None] * (np.sqrt(rho) * common[None, :] + np.sqrt(1 - rho) * idio)
    alpha = gen.normal(0.0, 0.0005, size=n)
    beta = gen.uniform(0.6, 1.4, size=n)
    ret = alpha[:, None] + beta[:, None] * market[None, :] + eps
    ret[:, m + (shock_day - first)] += shock
    if missing > 0:
        holes = gen.random((n, m)) < missing
        ret[:, :m][holes] = np.nan

    if model == "market":
        x = np.stack([np.ones(days), market], axis=1)  # (days, k)
    else:
        x = np.ones((days, 1))
    k = x.shape[1]
    valid = np.isfinite(ret[:, :m])
    y_est = np.where(valid, ret[:, :m], 0.0)
    xtx = np.einsum("tk,nt,tl->nkl", x[:m], valid.astype(float), x[:m])
    xty = np.einsum("tk,nt->nk", x[:m], y_est)
    xtx_inv = np.linalg.inv(xtx)
    params = np.einsum("nkl,nl->nk", xtx_inv, xty)
    fitted = params @ x.T  # (n, days)
    resid = np.where(valid, ret[:, :m] - fitted[:, :m], np.nan)
    n_obs = valid.sum(axis=1)
    s2 = np.nansum(resid**2, axis=1) / (n_obs - k)
    x_ev = x[m:]
    lev = np.einsum("tk,nkl,sl->nts", x_ev, xtx_inv, x_ev)  # (n, L, L)
    cov = s2[:, None, None] * (np.eye(length)[None] + lev)

    def car_var(a: int, b: int) -> np.ndarray:
        cols = slice(a - first, b - first + 1)
        return cov[:, cols, cols].sum(axis=(1, 2))

    base = np.datetime64("2020-01-02")
    if rho > 0:
        dates = np.full(n, base, dtype="datetime64[D]")
    else:
        dates = np.busday_offset(base, np.arange(n) * 3, roll="forward")
    return EventPanel(
        event_ar=ret[:, m:] - fitted[:, m:],
        event_ar_var=np.diagonal(cov, axis1=1, axis2=2).copy(),
        rel_days=rel_days,
        est_ar=resid,
        sigma=np.sqrt(s2),
        n_obs=n_obs,
        k=k,
        event_dates=dates,
        car_var_fn=car_var,
        event_ids=np.array([f"ev{i:03d}" for i in range(n)]),
        est_rel_days=np.arange(first - m, first),
    )
