"""The input of the multi-event tests: one :class:`EventPanel` of per-event arrays.

Every test in :mod:`eventstudy.inference` is a pure function of an
:class:`EventPanel`, a frozen bundle of NumPy arrays aligned by relative
trading day, and of a window ``(a, b)`` given in relative days, both ends
included. The study objects build the panel from a fitted study; tests,
simulations and users can build one by hand.

For event :math:`i` and a window :math:`w = [a, b]` of :math:`L_w = b - a + 1`
days,

.. math::

    CAR_i(w) = \\sum_{t=a}^{b} AR_{it}, \\qquad
    \\widehat{\\operatorname{var}}\\,CAR_i(w) = \\iota' V_i \\iota,

where :math:`V_i = \\hat\\sigma_i^2 (I + X_i^* (X_i'X_i)^{-1} X_i^{*\\prime})` is the
prediction-error covariance of the event-window abnormal returns (MacKinlay
1997, eq. 9). When the panel carries no ``car_var_fn`` the off-diagonal terms
are not known and the variance falls back to :math:`\\sum_t \\operatorname{var} AR_{it}`
(the diagonal of :math:`V_i`), which is exact for the constant-mean model up to
the :math:`1/m` terms and for market-adjusted returns.

References
----------
MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35(1), 13-39.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exceptions import EventStudyError, WindowError

__all__ = ["EventPanel", "day_label", "window_car", "window_columns", "window_label"]

Window = tuple[int, int]


def _as_float(name: str, value: object, ndim: int) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise EventStudyError(f"EventPanel.{name} must be numeric: {exc}") from None
    if arr.ndim != ndim:
        raise EventStudyError(f"EventPanel.{name} must be {ndim}-D, got shape {arr.shape}")
    return arr


@dataclass(frozen=True, eq=False)
class EventPanel:
    """Per-event arrays for N events, all aligned by relative (trading) day.

    Parameters
    ----------
    event_ar : ndarray, shape (N, L)
        Abnormal returns over the whole event window; column ``j`` is relative
        day ``rel_days[j]``. NaN marks a missing return.
    event_ar_var : ndarray, shape (N, L)
        Prediction-error variance of each event-window abnormal return,
        :math:`\\hat\\sigma_i^2 (1 + x_t'(X'X)^{-1}x_t)`.
    rel_days : ndarray of int, shape (L,)
        Relative days of the event window, consecutive and increasing
        (e.g. ``-10 .. 10``).
    est_ar : ndarray, shape (N, M)
        Estimation-window abnormal returns (the OLS residuals), NaN where
        missing. Column ``j`` is the same relative day for every event, so
        that cross-event correlations and the rank tests' daily cross-sections
        can be formed.
    sigma : ndarray, shape (N,)
        Residual standard deviation :math:`\\hat\\sigma_i` with
        :math:`m_i - k` degrees of freedom.
    n_obs : ndarray of int, shape (N,)
        Valid estimation observations :math:`m_i`.
    k : int
        Number of estimated parameters per event, intercept included
        (0 for market-adjusted returns).
    event_dates : ndarray of datetime64, shape (N,)
        Day-0 dates, used to detect events clustered on one date.
    car_var_fn : callable or None, default None
        ``car_var_fn(a, b)`` returns the (N,) prediction-error variance of
        :math:`CAR_i[a, b]`, :math:`\\iota'V_i\\iota`, including the
        off-diagonal parameter-uncertainty terms. ``None`` falls back to the
        sum of ``event_ar_var`` over the window.
    event_ids : ndarray, shape (N,), optional
        Labels of the events (default ``0 .. N-1``), used in result details
        to name excluded events.
    est_rel_days : ndarray of int, shape (M,), optional
        Relative days of the columns of ``est_ar`` (informational; the tests
        only need the columns to be aligned across events).

    Notes
    -----
    The constructor only validates and converts to arrays; it computes
    nothing. Event ``i`` takes part in a test over window ``w`` when its
    abnormal returns are finite on every day of ``w``; the standardized
    tests further need a finite, positive :math:`\\operatorname{var} CAR_i`.
    Each result reports the number of events used (``n``) and excluded
    (``details["n_excluded"]``).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel
    >>> panel = simulate_panel(n_events=5, seed=0)
    >>> panel.n_events, panel.event_ar.shape
    (5, (5, 21))
    """

    event_ar: np.ndarray
    event_ar_var: np.ndarray
    rel_days: np.ndarray
    est_ar: np.ndarray
    sigma: np.ndarray
    n_obs: np.ndarray
    k: int
    event_dates: np.ndarray
    car_var_fn: Callable[[int, int], np.ndarray] | None = None
    event_ids: np.ndarray | None = None
    est_rel_days: np.ndarray | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        ar = _as_float("event_ar", self.event_ar, 2)
        n, length = ar.shape
        ar_var = _as_float("event_ar_var", self.event_ar_var, 2)
        est = _as_float("est_ar", self.est_ar, 2)
        sigma = _as_float("sigma", self.sigma, 1)
        n_obs = _as_float("n_obs", self.n_obs, 1)
        rel = np.asarray(self.rel_days)
        if ar_var.shape != ar.shape:
            raise EventStudyError(
                f"EventPanel.event_ar_var has shape {ar_var.shape}, expected {ar.shape}"
            )
        if est.shape[0] != n:
            raise EventStudyError(f"EventPanel.est_ar has {est.shape[0]} rows, expected N={n}")
        for name, arr in (("sigma", sigma), ("n_obs", n_obs)):
            if arr.shape != (n,):
                raise EventStudyError(f"EventPanel.{name} has shape {arr.shape}, expected ({n},)")
        if rel.shape != (length,) or not np.issubdtype(rel.dtype, np.integer):
            raise EventStudyError(
                f"EventPanel.rel_days must be {length} integers, got {rel.dtype} {rel.shape}"
            )
        if length > 1 and np.any(np.diff(rel) != 1):
            raise EventStudyError("EventPanel.rel_days must be consecutive and increasing")
        if not np.all(np.isfinite(n_obs)) or np.any(n_obs < 0):
            raise EventStudyError("EventPanel.n_obs must be finite non-negative counts")
        k = self.k
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
            raise EventStudyError(f"EventPanel.k must be a non-negative int, got {k!r}")
        try:
            index = pd.DatetimeIndex(np.atleast_1d(np.asarray(self.event_dates)))
        except (TypeError, ValueError) as exc:
            raise EventStudyError(f"EventPanel.event_dates must be dates: {exc}") from None
        if index.tz is not None:  # keep the local session date, not its UTC instant
            index = index.tz_localize(None)
        dates = index.to_numpy(dtype="datetime64[ns]")
        if dates.shape != (n,):
            raise EventStudyError(
                f"EventPanel.event_dates has shape {dates.shape}, expected ({n},)"
            )
        if self.car_var_fn is not None and not callable(self.car_var_fn):
            raise EventStudyError("EventPanel.car_var_fn must be callable or None")
        ids = np.arange(n) if self.event_ids is None else np.asarray(self.event_ids)
        if ids.shape != (n,):
            raise EventStudyError(f"EventPanel.event_ids has shape {ids.shape}, expected ({n},)")
        est_rel = self.est_rel_days
        if est_rel is not None:
            est_rel = np.asarray(est_rel)
            if est_rel.shape != (est.shape[1],):
                raise EventStudyError(
                    f"EventPanel.est_rel_days has shape {est_rel.shape}, expected ({est.shape[1]},)"
                )
        for name, value in (
            ("event_ar", ar),
            ("event_ar_var", ar_var),
            ("rel_days", rel.astype(np.int64)),
            ("est_ar", est),
            ("sigma", sigma),
            ("n_obs", n_obs.astype(np.int64)),
            ("k", int(k)),
            ("event_dates", dates),
            ("event_ids", ids),
            ("est_rel_days", est_rel),
        ):
            put(self, name, value)

    @property
    def n_events(self) -> int:
        """Number of events N (rows)."""
        return int(self.event_ar.shape[0])

    @property
    def resid_df(self) -> np.ndarray:
        """Residual degrees of freedom :math:`m_i - k` of each event, shape (N,)."""
        return self.n_obs - self.k


def window_columns(panel: EventPanel, window: Window) -> np.ndarray:
    """Column indices of ``panel.event_ar`` covering ``window`` (inclusive).

    Raises
    ------
    WindowError
        If ``window`` is not two integers ``a <= b`` inside ``panel.rel_days``.
    """
    try:
        a, b = (int(v) for v in window)
    except (TypeError, ValueError):
        raise WindowError(f"window must be two integers (start, end), got {window!r}") from None
    if (a, b) != tuple(window):
        raise WindowError(f"window must be two integers (start, end), got {window!r}")
    first, last = int(panel.rel_days[0]), int(panel.rel_days[-1])
    if a > b:
        raise WindowError(f"window start {a} is after its end {b}")
    if a < first or b > last:
        raise WindowError(
            f"window ({a}, {b}) is outside the event window ({first}, {last}) of the panel"
        )
    return np.arange(a - first, b - first + 1)


def window_label(window: Window) -> str:
    """Label of a window in the ``window`` column of tidy frames, e.g. ``'(-1, +1)'``.

    The same format as the ``window`` column of the study's CAR frames.

    Examples
    --------
    >>> window_label((-1, 1)), window_label((0, 0))
    ('(-1, +1)', '(+0, +0)')
    """
    return f"({int(window[0]):+d}, {int(window[1]):+d})"


def day_label(day: int) -> str:
    """Signed label of a relative day: ``'-1'``, ``'0'``, ``'+2'``."""
    return f"{int(day):+d}" if day else "0"


def window_car(panel: EventPanel, window: Window) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative abnormal return of each event over ``window`` and its variance.

    Parameters
    ----------
    panel : EventPanel
        The per-event arrays.
    window : tuple of int
        ``(a, b)`` in relative days, both included.

    Returns
    -------
    car : ndarray, shape (N,)
        :math:`CAR_i = \\sum_{t=a}^{b} AR_{it}`; NaN if any day is missing.
    car_var : ndarray, shape (N,)
        ``panel.car_var_fn(a, b)`` when given (the full :math:`\\iota'V_i\\iota`),
        otherwise :math:`\\sum_{t=a}^{b} \\operatorname{var} AR_{it}`.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel
    >>> car, var = window_car(simulate_panel(n_events=3, seed=0), (-1, 1))
    >>> car.shape, bool((var > 0).all())
    ((3,), True)
    """
    cols = window_columns(panel, window)
    car = panel.event_ar[:, cols].sum(axis=1)  # NaN propagates: incomplete windows drop out
    if panel.car_var_fn is None:
        car_var = panel.event_ar_var[:, cols].sum(axis=1)
    else:
        car_var = np.asarray(panel.car_var_fn(int(window[0]), int(window[1])), dtype=float)
        if car_var.shape != (panel.n_events,):
            raise EventStudyError(
                f"car_var_fn{tuple(window)} returned shape {car_var.shape}, "
                f"expected ({panel.n_events},)"
            )
    return car, car_var
