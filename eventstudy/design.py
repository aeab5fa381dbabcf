"""Gather every event's estimation and event windows from the panel, at once.

Windows are rows of the panel's session axis relative to each event's day-0
position; the gather is one fancy-indexing operation per array (no copy of
the panel per event, no Python loop over events).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .models import ExpectedReturnModel, MarketAdjusted
from .panel import ReturnsPanel

__all__ = ["Windows", "gather"]


@dataclass(frozen=True)
class Windows:
    """Stacked windows for N events.

    ``y_*`` is the model's dependent variable (raw or excess return, or
    R − Rm for market-adjusted), ``Z_*`` the slope regressors, ``ret_event``
    the raw return and ``offset_event`` what separates ``y`` from the raw
    return (rf, Rm or 0), so that ``expected = ret − AR``.
    """

    y_est: np.ndarray
    regressors: np.ndarray
    est_rows: np.ndarray
    valid_est: np.ndarray
    in_data_est: np.ndarray
    y_event: np.ndarray
    Z_event: np.ndarray
    ret_event: np.ndarray
    event_rows: np.ndarray

    @property
    def Z_est(self) -> np.ndarray:  # noqa: N802 - matrix notation
        """Estimation-window slope regressors, shape (N, M, p) (gathered on demand)."""
        return self.regressors[self.est_rows]


def gather(
    panel: ReturnsPanel,
    model: ExpectedReturnModel,
    asset: np.ndarray,
    day0_pos: np.ndarray,
    estimation: tuple[int, int],
    event: tuple[int, int],
    exclude: np.ndarray | None = None,
) -> Windows:
    """Stack the windows of events with asset columns ``asset`` and day-0 rows ``day0_pos``.

    Rows outside the panel read as missing. ``exclude`` (N, M) marks
    estimation days to leave out (other events of the same ticker).
    """
    t_len = len(panel.sessions)
    est_off = np.arange(estimation[0], estimation[1] + 1)
    evt_off = np.arange(event[0], event[1] + 1)
    est_rows = day0_pos[:, None] + est_off[None, :]
    evt_rows = day0_pos[:, None] + evt_off[None, :]
    in_est = (est_rows >= 0) & (est_rows < t_len)
    est_rows_c = np.clip(est_rows, 0, t_len - 1)
    evt_rows_c = np.clip(evt_rows, 0, t_len - 1)
    in_evt = (evt_rows >= 0) & (evt_rows < t_len)

    r = panel.returns
    ret_est = np.where(in_est, r[est_rows_c, asset[:, None]], np.nan)
    ret_evt = np.where(in_evt, r[evt_rows_c, asset[:, None]], np.nan)
    y_est, y_evt = ret_est, ret_evt
    if isinstance(model, MarketAdjusted):
        m = panel.column(model.market)
        y_est = ret_est - m[est_rows_c]
        y_evt = ret_evt - m[evt_rows_c]
        cols = np.empty((t_len, 0))
    else:
        if model.excess:
            rf = panel.column("rf")
            y_est = ret_est - rf[est_rows_c]
            y_evt = ret_evt - rf[evt_rows_c]
        regressors = [n for n in (*model.assets, *model.factors) if n != "rf"]
        if regressors:
            cols = np.stack([panel.column(n) for n in regressors], axis=1)  # (T, p)
        else:
            cols = np.empty((t_len, 0))
    Z_evt = cols[evt_rows_c]
    valid = in_est & np.isfinite(y_est)
    if cols.shape[1]:
        valid &= np.isfinite(cols).all(axis=1)[est_rows_c]
    if exclude is not None:
        valid &= ~exclude
    return Windows(
        y_est=y_est,
        regressors=cols,
        est_rows=est_rows_c,
        valid_est=valid,
        in_data_est=in_est,
        y_event=y_evt,
        Z_event=Z_evt,
        ret_event=ret_evt,
        event_rows=evt_rows,
    )
