r"""The batched OLS engine shared by every linear expected-return model.

All events are fitted at once on stacked estimation windows: ``y`` is an
``(N, M)`` array (N events, M estimation days), ``Z`` an ``(N, M, p)`` array of
slope regressors, and ``valid`` marks the observations to use (missing returns
or factors are excluded event by event). There is no Python loop over events.

The regression always has an intercept. It is solved on centred data, which
keeps the normal equations well conditioned even for five small factors:

.. math::

    \hat b = (\tilde Z'\tilde Z)^{-1}\tilde Z'\tilde y, \qquad
    \hat a = \bar y - \bar z'\hat b, \qquad
    \hat\sigma^2 = \frac{\sum_t \hat\varepsilon_t^2}{m - k}, \quad k = p + 1

and the full :math:`(X'X)^{-1}` of :math:`X = [1, Z]` follows from the
partitioned inverse,

.. math::

    (X'X)^{-1} = \begin{pmatrix} 1/m + \bar z' S^{-1}\bar z & -\bar z' S^{-1} \\
    -S^{-1}\bar z & S^{-1}\end{pmatrix}, \qquad S = \tilde Z'\tilde Z,

which gives the prediction-error covariance of the event-window abnormal
returns :math:`V = \hat\sigma^2 (I + X^*(X'X)^{-1}X^{*\prime})` (MacKinlay 1997).

Models with nothing to estimate (market-adjusted returns) use
:func:`fit_unestimated`: the residuals are the abnormal returns themselves and
:math:`\hat\sigma` is their sample standard deviation (ddof = 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BatchFit", "fit_ols", "fit_ols_shared", "fit_unestimated", "COLLINEARITY_TOL"]

#: Smallest eigenvalue of the regressors' correlation matrix below which the
#: regressors of an event are treated as collinear.
COLLINEARITY_TOL = 1e-10


@dataclass(frozen=True)
class BatchFit:
    """Estimates for N events (arrays share the leading event axis).

    Attributes
    ----------
    params : ndarray, shape (N, k)
        Intercept first, then one slope per regressor.
    sigma2 : ndarray, shape (N,)
        Residual variance :math:`\\hat\\sigma^2` with ``df`` degrees of freedom.
    df : ndarray, shape (N,)
        Residual degrees of freedom, ``n_obs - k`` (``n_obs - 1`` when k = 0).
    n_obs : ndarray, shape (N,)
        Valid estimation observations.
    xtx_inv : ndarray, shape (N, k, k)
        :math:`(X'X)^{-1}` including the intercept.
    resid : ndarray, shape (N, M)
        Estimation-window residuals (abnormal returns), NaN where not valid.
    problem : ndarray of object, shape (N,)
        ``None`` when the fit is usable, else a short reason.
    """

    params: np.ndarray
    sigma2: np.ndarray
    df: np.ndarray
    n_obs: np.ndarray
    xtx_inv: np.ndarray
    resid: np.ndarray
    problem: np.ndarray

    @property
    def k(self) -> int:
        return self.params.shape[1]


def fit_ols(y: np.ndarray, Z: np.ndarray, valid: np.ndarray) -> BatchFit:
    """Fit ``y = a + Z b + e`` for every event at once.

    Parameters
    ----------
    y : ndarray, shape (N, M)
        Dependent variable (NaN allowed where ``valid`` is False).
    Z : ndarray, shape (N, M, p)
        Slope regressors; ``p`` may be 0 (constant-mean model).
    valid : ndarray of bool, shape (N, M)
        Observations to use.

    Returns
    -------
    BatchFit
    """
    n, m, p = Z.shape
    valid = valid & np.isfinite(y)
    if p:
        valid &= np.isfinite(Z).all(axis=2)
    n_obs = valid.sum(axis=1)
    count = np.maximum(n_obs, 1).astype(float)
    y0 = np.where(valid, y, 0.0)
    ybar = y0.sum(axis=1) / count
    if not p:
        resid0 = (y0 - ybar[:, None]) * valid
        return _finish(
            ybar[:, None],
            (1.0 / count)[:, None, None],
            resid0,
            valid,
            n_obs,
            ybar,
            np.full(n, None, dtype=object),
        )
    Z0 = np.where(valid[:, :, None], Z, 0.0)
    zbar = Z0.sum(axis=1) / count[:, None]
    # centred regressors, zero on invalid rows; since they sum to zero,
    # Zc'y equals Zc'(y - ybar) and y needs no centring
    Zc = (Z0 - zbar[:, None, :]) * valid[:, :, None]
    S = np.einsum("nmp,nmq->npq", Zc, Zc)
    Szy = np.einsum("nmp,nm->np", Zc, y0)
    raw = np.einsum("nmp,nmp->np", Z0, Z0)
    return _solve(y0, Z0, valid, n_obs, ybar, zbar, S, Szy, raw)


def fit_ols_shared(y: np.ndarray, valid: np.ndarray, F: np.ndarray, rows: np.ndarray) -> BatchFit:
    """:func:`fit_ols` when every event's regressors are rows of one shared matrix.

    The market return or the factors are the same series for every event;
    only the window differs. For events whose window is complete (no missing
    observation) the cross-products come from prefix sums of ``F`` (no
    per-event ``Z'Z``); the others go through :func:`fit_ols`. Both give the
    same estimates (the test suite checks them against statsmodels).

    Parameters
    ----------
    y : ndarray, shape (N, M)
    valid : ndarray of bool, shape (N, M)
    F : ndarray, shape (T, p)
        Shared regressors on the panel's session axis (NaN where missing).
    rows : ndarray of int, shape (N, M)
        Row of ``F`` of each estimation observation (inside ``0..T-1``).
    """
    n, m = y.shape
    p = F.shape[1]
    finite = np.isfinite(F).all(axis=1)
    valid = valid & np.isfinite(y) & finite[rows]
    contiguous = rows[:, -1] - rows[:, 0] == m - 1
    fast = valid.all(axis=1) & contiguous
    if not fast.all():
        slow = ~fast
        part = fit_ols(y[slow], F[rows[slow]], valid[slow])
        if not fast.any():
            return part
    F0 = np.where(finite[:, None], F, 0.0)
    idx = np.flatnonzero(fast)
    C1 = np.concatenate([np.zeros((1, p)), np.cumsum(F0, axis=0)])
    C2 = np.concatenate([np.zeros((1, p, p)), np.cumsum(F0[:, :, None] * F0[:, None, :], axis=0)])
    lo, hi = rows[idx, 0], rows[idx, -1] + 1
    zbar = (C1[hi] - C1[lo]) / m
    S = (C2[hi] - C2[lo]) - m * zbar[:, :, None] * zbar[:, None, :]
    yf = y[idx]
    Zf = F0[rows[idx]]
    ybar = yf.mean(axis=1)
    Szy = np.einsum("nmp,nm->np", Zf, yf) - m * zbar * ybar[:, None]
    raw = np.diagonal(C2[hi] - C2[lo], axis1=1, axis2=2)
    fit = _solve(
        yf, Zf, np.ones_like(yf, dtype=bool), np.full(len(idx), m), ybar, zbar, S, Szy, raw
    )
    if fast.all():
        return fit
    return _merge(n, m, p + 1, [(idx, fit), (np.flatnonzero(~fast), part)])


def _solve(y0, Z0, valid, n_obs, ybar, zbar, S, Szy, raw) -> BatchFit:
    n, p = zbar.shape
    count = np.maximum(n_obs, 1).astype(float)
    problem = np.full(n, None, dtype=object)
    collinear = _collinear(S, raw)
    problem[collinear] = "regressors are constant or collinear in the estimation window"
    S_safe = np.where(collinear[:, None, None], np.eye(p), S)
    S_inv = np.linalg.inv(S_safe)
    slopes = np.einsum("npq,nq->np", S_inv, Szy)
    intercept = ybar - np.einsum("np,np->n", zbar, slopes)
    resid0 = (y0 - intercept[:, None] - np.einsum("nmp,np->nm", Z0, slopes)) * valid
    params = np.concatenate([intercept[:, None], slopes], axis=1)
    Sz = np.einsum("npq,nq->np", S_inv, zbar)
    xtx_inv = np.empty((n, p + 1, p + 1))
    xtx_inv[:, 0, 0] = 1.0 / count + np.einsum("np,np->n", zbar, Sz)
    xtx_inv[:, 0, 1:] = -Sz
    xtx_inv[:, 1:, 0] = -Sz
    xtx_inv[:, 1:, 1:] = S_inv
    return _finish(params, xtx_inv, resid0, valid, n_obs, ybar, problem)


def _finish(params, xtx_inv, resid0, valid, n_obs, level, problem) -> BatchFit:
    k = params.shape[1]
    resid = np.where(valid, resid0, np.nan)
    df = n_obs - k
    ssr = np.einsum("nm,nm->n", resid0, resid0)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.where(df > 0, ssr / np.maximum(df, 1), np.nan)
    _flag_degenerate(problem, df, sigma2, level)
    return BatchFit(params, sigma2, df, n_obs, xtx_inv, resid, problem)


def _merge(n: int, m: int, k: int, parts) -> BatchFit:
    out = {
        "params": np.empty((n, k)),
        "sigma2": np.empty(n),
        "df": np.empty(n, dtype=np.int64),
        "n_obs": np.empty(n, dtype=np.int64),
        "xtx_inv": np.empty((n, k, k)),
        "resid": np.empty((n, m)),
        "problem": np.empty(n, dtype=object),
    }
    for idx, fit in parts:
        for key, array in out.items():
            array[idx] = getattr(fit, key)
    return BatchFit(**out)


def fit_unestimated(ar: np.ndarray, valid: np.ndarray) -> BatchFit:
    """Variance of abnormal returns that need no estimation (k = 0).

    ``sigma2`` is the sample variance (ddof = 1) of the valid estimation-window
    abnormal returns, with ``n_obs - 1`` degrees of freedom; ``resid`` holds the
    abnormal returns themselves.
    """
    n, _ = ar.shape
    valid = valid & np.isfinite(ar)
    n_obs = valid.sum(axis=1)
    count = np.maximum(n_obs, 1).astype(float)
    a0 = np.where(valid, ar, 0.0)
    mean = a0.sum(axis=1) / count
    dev = np.where(valid, a0 - mean[:, None], 0.0)
    df = n_obs - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = np.where(df > 0, (dev**2).sum(axis=1) / np.maximum(df, 1), np.nan)
    problem = np.full(n, None, dtype=object)
    _flag_degenerate(problem, df, sigma2, mean)
    return BatchFit(
        params=np.empty((n, 0)),
        sigma2=sigma2,
        df=df,
        n_obs=n_obs,
        xtx_inv=np.empty((n, 0, 0)),
        resid=np.where(valid, ar, np.nan),
        problem=problem,
    )


def _collinear(S: np.ndarray, raw: np.ndarray) -> np.ndarray:
    diag = np.diagonal(S, axis1=1, axis2=2)
    # a regressor whose centred variation is rounding noise is constant
    constant = (diag <= 1e-12 * raw).any(axis=1)
    scale = 1.0 / np.sqrt(np.where(diag > 0, diag, 1.0))
    corr = S * scale[:, :, None] * scale[:, None, :]
    smallest = np.linalg.eigvalsh(corr)[:, 0]
    return constant | (smallest < COLLINEARITY_TOL)


def _flag_degenerate(problem: np.ndarray, df: np.ndarray, sigma2: np.ndarray, level) -> None:
    few = (df <= 0) & (problem == None)  # noqa: E711 - elementwise on an object array
    problem[few] = "not enough valid observations to estimate the residual variance"
    tiny = np.abs(np.asarray(level, dtype=float)) * 1e-12 + 1e-300
    flat = (df > 0) & ~(sigma2 > tiny**2) & (problem == None)  # noqa: E711
    problem[flat] = "zero residual variance in the estimation window (constant returns?)"
