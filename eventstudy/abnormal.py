r"""Abnormal returns, CAR and BHAR, with their variances.

For event :math:`i` with estimation-window design :math:`X` (m × k) and
event-window design :math:`X^*` (L × k), the abnormal returns
:math:`AR^* = y^* - X^*\hat\beta` have the prediction-error covariance
(MacKinlay 1997, eq. 7)

.. math::

    V = \hat\sigma^2 \left(I_L + X^*(X'X)^{-1}X^{*\prime}\right)

so that over a sub-window :math:`w` of length :math:`L_w`, with
:math:`s = \sum_{t\in w} x^*_t`,

.. math::

    CAR_w = \sum_{t\in w} AR_t, \qquad
    \operatorname{var}(CAR_w) = \iota'V_w\iota = \hat\sigma^2\,(L_w + s'(X'X)^{-1}s).

With ``ar_variance="sigma"`` the parameter-uncertainty term is dropped:
:math:`\operatorname{var}(AR_t) = \hat\sigma^2` and
:math:`\operatorname{var}(CAR_w) = L_w\hat\sigma^2` (the convention of
EventStudyTools and the R EventStudy package).

The buy-and-hold abnormal return is

.. math::

    BHAR_w = \prod_{t\in w}(1 + R_t) - \prod_{t\in w}(1 + E[R_t])

(with log returns, :math:`e^{\sum r_t} - e^{\sum E[r_t]}`). Its standard error
is the delta-method one: linearising in the abnormal returns around zero,
:math:`BHAR_w \approx g'AR_w` with :math:`g_t = \prod_{s\in w, s\ne t}(1+E[R_s])`
(:math:`g_t = e^{\sum E[r_s]}` for log returns), so
:math:`\operatorname{var}(BHAR_w) \approx g'V_wg`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ar_variance", "window_sum_variance", "car", "bhar"]


def ar_variance(
    x_event: np.ndarray,
    xtx_inv: np.ndarray,
    sigma2: np.ndarray,
    kind: str = "prediction",
    ar_var: np.ndarray | None = None,
) -> np.ndarray:
    """Variance of each event-window AR, shape (N, L).

    Parameters
    ----------
    x_event : ndarray, shape (N, L, k)
        Event-window design rows (intercept first).
    xtx_inv : ndarray, shape (N, k, k)
    sigma2 : ndarray, shape (N,)
    kind : {"prediction", "sigma"}
    ar_var : ndarray, shape (N, L), optional
        Model-given variances of serially uncorrelated ARs (the GARCH
        conditional-variance forecasts); when given they are returned as is.
    """
    if ar_var is not None:
        return np.array(ar_var, dtype=float)
    n, length = x_event.shape[:2]
    if kind == "sigma" or x_event.shape[2] == 0:
        return np.broadcast_to(sigma2[:, None], (n, length)).copy()
    h = np.einsum("nlk,nkj,nlj->nl", x_event, xtx_inv, x_event)
    return sigma2[:, None] * (1.0 + h)


def window_sum_variance(
    weights: np.ndarray,
    x_event: np.ndarray,
    xtx_inv: np.ndarray,
    sigma2: np.ndarray,
    kind: str = "prediction",
    ar_var: np.ndarray | None = None,
) -> np.ndarray:
    r"""Variance of :math:`\sum_t g_t AR_t` for weights ``g`` (N, L): :math:`g'Vg`.

    Zero weights mark days outside the window. With ``ar_var`` (uncorrelated
    ARs of known variances, e.g. GARCH forecasts) it is :math:`\sum_t g_t^2 v_t`.
    """
    if ar_var is not None:
        return np.where(weights != 0, weights**2 * ar_var, 0.0).sum(axis=1)
    base = np.einsum("nl,nl->n", weights, weights)
    if kind == "sigma" or x_event.shape[2] == 0:
        return sigma2 * base
    s = np.einsum("nl,nlk->nk", weights, x_event)
    return sigma2 * (base + np.einsum("nk,nkj,nj->n", s, xtx_inv, s))


def car(
    ar: np.ndarray,
    x_event: np.ndarray,
    xtx_inv: np.ndarray,
    sigma2: np.ndarray,
    columns: slice,
    kind: str = "prediction",
    ar_var: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """CAR over ``columns`` of the event window and its variance, each shape (N,)."""
    weights = np.zeros(ar.shape)
    weights[:, columns] = 1.0
    value = ar[:, columns].sum(axis=1)
    return value, window_sum_variance(weights, x_event, xtx_inv, sigma2, kind, ar_var)


def bhar(
    ret: np.ndarray,
    expected: np.ndarray,
    x_event: np.ndarray,
    xtx_inv: np.ndarray,
    sigma2: np.ndarray,
    columns: slice,
    *,
    return_type: str = "simple",
    kind: str = "prediction",
    ar_var: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """BHAR over ``columns`` and its delta-method variance, each shape (N,)."""
    r, e = ret[:, columns], expected[:, columns]
    weights = np.zeros(ret.shape)
    if return_type == "log":
        value = np.exp(r.sum(axis=1)) - np.exp(e.sum(axis=1))
        weights[:, columns] = np.exp(e.sum(axis=1))[:, None]
    else:
        gross_e = np.prod(1.0 + e, axis=1)
        value = np.prod(1.0 + r, axis=1) - gross_e
        weights[:, columns] = gross_e[:, None] / (1.0 + e)
    return value, window_sum_variance(weights, x_event, xtx_inv, sigma2, kind, ar_var)
