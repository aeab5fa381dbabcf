r"""Thin-trading betas: Scholes–Williams (1977) and Dimson (1979).

When a stock (or the index) trades infrequently, its measured return lags
the market's and the OLS beta is biased towards zero. Both corrections use
the market return of neighbouring days; both are options of the market model,
``MarketModel(market, beta="scholes_williams" | "dimson", lags=1)``.

**Scholes–Williams.** With :math:`\hat\beta_j` the OLS slope of :math:`R_t` on
:math:`R_{m,t+j}` (:math:`j = -1, 0, +1`) and :math:`\hat\rho_m` the
first-order autocorrelation of the market return,

.. math::

    \hat\beta_{SW} = \frac{\hat\beta_{-1} + \hat\beta_0 + \hat\beta_{+1}}{1 + 2\hat\rho_m}.

**Dimson.** The slopes of one regression on :math:`2\ell + 1` leads and lags
are summed:

.. math::

    R_t = a + \sum_{j=-\ell}^{\ell} b_j R_{m,t+j} + e_t, \qquad
    \hat\beta_D = \sum_{j=-\ell}^{\ell} \hat b_j.

For both, :math:`\hat\alpha = \bar R - \hat\beta\,\bar R_m` and the abnormal
returns are :math:`AR_t = R_t - \hat\alpha - \hat\beta R_{mt}`.

Policies
--------
* **Sample.** Every regression, the means and :math:`\hat\rho_m` use the same
  estimation days: those where the stock return and every market return
  needed (:math:`R_{m,t+j}` for each lead and lag) are present and the day is
  not excluded. The leads and lags of the first and last estimation days read
  the market just outside the estimation window (never inside the event
  window as long as the two windows are at least ``lags`` sessions apart).
  :math:`\hat\rho_m` is the Pearson correlation of :math:`(R_{mt}, R_{m,t-1})`
  over those days.
* **Variance.** :math:`\hat\sigma^2 = \sum_t AR_t^2 / (m - k)` over the
  estimation sample, with :math:`k = 2` for Scholes–Williams and
  :math:`k = 2\ell + 2` for Dimson (the coefficients of its regression);
  an event-window AR has variance :math:`\hat\sigma^2` and a CAR over
  :math:`L_w` days :math:`L_w\hat\sigma^2`. The estimation error of
  :math:`(\hat\alpha, \hat\beta)` is ignored (stored as a zero
  :math:`(X'X)^{-1}`), so ``ar_variance`` has no effect on these models.
  Single-event t statistics use Student's t with :math:`m - k` df.

References
----------
Scholes, M. and Williams, J. (1977). Estimating betas from nonsynchronous
data. *Journal of Financial Economics* 5(3), 309-327.

Dimson, E. (1979). Risk measurement when shares are subject to infrequent
trading. *Journal of Financial Economics* 7(2), 197-226.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .estimation import BatchFit, fit_ols

if TYPE_CHECKING:  # pragma: no cover
    from .design import Windows
    from .models import MarketModel
    from .panel import ReturnsPanel

__all__ = ["market_leads_lags", "scholes_williams", "dimson", "fit_thin_trading"]


def market_leads_lags(market: np.ndarray, rows: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """Market return at ``rows + j`` for each offset ``j``, shape (N, M, J); NaN outside the data.

    Examples
    --------
    >>> market_leads_lags(np.array([1.0, 2.0, 3.0]), np.array([[0, 1]]), [-1, 0, 1])[0]
    array([[nan,  1.,  2.],
           [ 1.,  2.,  3.]])
    """
    shifted = rows[:, :, None] + np.asarray(offsets, dtype=np.int64)[None, None, :]
    inside = (shifted >= 0) & (shifted < len(market))
    return np.where(inside, market[np.clip(shifted, 0, len(market) - 1)], np.nan)


def scholes_williams(y: np.ndarray, m: np.ndarray, valid: np.ndarray) -> BatchFit:
    """Scholes–Williams alpha and beta for N events at once.

    Parameters
    ----------
    y : ndarray, shape (N, M)
        Stock returns of the estimation window.
    m : ndarray, shape (N, M, 3)
        Market returns at :math:`t-1, t, t+1` (see :func:`market_leads_lags`).
    valid : ndarray of bool, shape (N, M)
        Days allowed in the estimation (further restricted to complete rows).

    Returns
    -------
    BatchFit
        ``params`` = (alpha, beta), ``sigma2`` with m − 2 df, zero ``xtx_inv``.
    """
    common = valid & np.isfinite(y) & np.isfinite(m).all(axis=2)
    fits = [fit_ols(y, m[:, :, j : j + 1], common) for j in range(3)]
    slopes = np.stack([f.params[:, 1] for f in fits], axis=1)
    rho = _correlation(m[:, :, 1], m[:, :, 0], common)
    denom = 1.0 + 2.0 * rho
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = slopes.sum(axis=1) / denom
    problem = _first_problem([f.problem for f in fits])
    bad = ~(denom > 0) & (problem == None)  # noqa: E711 - elementwise on an object array
    problem[bad] = (
        "market autocorrelation <= -0.5 in the estimation window: the Scholes-Williams "
        "denominator 1 + 2*rho is not positive"
    )
    return _finish(y, m[:, :, 1], common, beta, 2, problem)


def dimson(y: np.ndarray, m: np.ndarray, valid: np.ndarray) -> BatchFit:
    """Dimson alpha and summed beta for N events at once.

    Parameters
    ----------
    y : ndarray, shape (N, M)
    m : ndarray, shape (N, M, 2·lags + 1)
        Market returns at :math:`t-\\ell, \\dots, t+\\ell` (contemporaneous in the middle).
    valid : ndarray of bool, shape (N, M)

    Returns
    -------
    BatchFit
        ``params`` = (alpha, beta), ``sigma2`` with m − (2·lags + 2) df, zero ``xtx_inv``.
    """
    common = valid & np.isfinite(y) & np.isfinite(m).all(axis=2)
    fit = fit_ols(y, m, common)
    beta = fit.params[:, 1:].sum(axis=1)
    middle = m.shape[2] // 2
    return _finish(y, m[:, :, middle], common, beta, m.shape[2] + 1, fit.problem.copy())


def fit_thin_trading(
    panel: ReturnsPanel,
    windows: Windows,
    model: MarketModel,
    day0_pos: np.ndarray,
    estimation_window: tuple[int, int],
) -> BatchFit:
    """Fit a thin-trading market model (``model.beta`` not ``"ols"``) for a chunk of events.

    ``windows`` comes from :func:`eventstudy.design.gather`; its ``valid_est``
    (missing data and excluded days already removed) is the starting sample.
    """
    offsets = np.arange(estimation_window[0], estimation_window[1] + 1)
    rows = day0_pos[:, None] + offsets[None, :]
    lags = 1 if model.beta == "scholes_williams" else model.lags
    m = market_leads_lags(panel.column(model.market), rows, range(-lags, lags + 1))
    if model.beta == "scholes_williams":
        return scholes_williams(windows.y_est, m, windows.valid_est)
    return dimson(windows.y_est, m, windows.valid_est)


def _finish(y, m0, common, beta, k, problem) -> BatchFit:
    n_obs = common.sum(axis=1)
    count = np.maximum(n_obs, 1)
    ybar = np.where(common, y, 0.0).sum(axis=1) / count
    mbar = np.where(common, m0, 0.0).sum(axis=1) / count
    alpha = ybar - beta * mbar
    resid = np.where(common, y - alpha[:, None] - beta[:, None] * m0, np.nan)
    df = n_obs - k
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.where(df > 0, np.nansum(resid**2, axis=1) / np.maximum(df, 1), np.nan)
    few = (df <= 0) & (problem == None)  # noqa: E711
    problem[few] = "not enough valid observations to estimate the residual variance"
    flat = (df > 0) & ~(sigma2 > 0) & (problem == None)  # noqa: E711
    problem[flat] = "zero residual variance in the estimation window (constant returns?)"
    n = len(y)
    return BatchFit(
        params=np.column_stack([alpha, beta]),
        sigma2=sigma2,
        df=df,
        n_obs=n_obs,
        xtx_inv=np.zeros((n, 2, 2)),
        resid=resid,
        problem=problem,
    )


def _correlation(a: np.ndarray, b: np.ndarray, valid: np.ndarray) -> np.ndarray:
    count = np.maximum(valid.sum(axis=1), 1)
    a0, b0 = np.where(valid, a, 0.0), np.where(valid, b, 0.0)
    da = np.where(valid, a0 - (a0.sum(axis=1) / count)[:, None], 0.0)
    db = np.where(valid, b0 - (b0.sum(axis=1) / count)[:, None], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (da * db).sum(axis=1) / np.sqrt((da**2).sum(axis=1) * (db**2).sum(axis=1))


def _first_problem(problems: list[np.ndarray]) -> np.ndarray:
    out = problems[0].copy()
    for other in problems[1:]:
        empty = out == None  # noqa: E711
        out[empty] = other[empty]
    return out
