"""EventStudy: the specification of a study, and ``fit()`` wiring the steps together.

The spec is immutable in spirit: the constructor only validates arguments;
:meth:`EventStudy.fit` gathers the data, fits every event's model at once and
returns a new :class:`~eventstudy.results.EventStudyResults`.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from .calendar import TradingCalendar, get_calendar
from .design import gather
from .estimation import BatchFit, fit_ols, fit_ols_shared, fit_unestimated
from .events import load_events
from .exceptions import (
    ClusteringWarning,
    EventStudyError,
    SkippedEventsWarning,
    WindowError,
)
from .garch import fit_garch
from .models import ExpectedReturnModel, GarchModel, MarketAdjusted, MarketModel, get_model
from .panel import ReturnsPanel, panel_from_returns, panel_from_source
from .thin_trading import fit_thin_trading

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = ["EventStudy"]

_CHUNK = 8192


class EventStudy:
    r"""An event study: events, an expected-return model and windows.

    Parameters
    ----------
    events : path-like or pandas.DataFrame
        Events with ``event_id``, ``ticker``, ``date`` and optionally ``time``
        (see :func:`eventstudy.load_events`). Day 0 is recomputed on
        ``calendar``.
    model : str or ExpectedReturnModel, default "market"
        ``"mean"``, ``"market_adjusted"``, ``"market"``, ``"ff3"``,
        ``"carhart"``, ``"ff5"`` or a model object such as
        ``MarketModel(market="QQQ")``.
    estimation_window : (int, int), default (-250, -11)
        Inclusive, in sessions relative to day 0.
    event_window : (int, int), default (-10, 10)
        Inclusive, in sessions relative to day 0; must not overlap the
        estimation window.
    source : {"auto", "snapshot", "yahoo"} or PriceSource, default "auto"
        Where prices come from when ``returns`` is not given.
    returns : pandas.DataFrame, optional
        Your own returns (dates × assets, market column included), e.g. CRSP.
    factors : pandas.DataFrame, optional
        Your own factors in decimals (dates × ``mkt_rf, smb, ..., rf``).
    calendar : str or None, default "XNYS"
        Exchange calendar for day 0 and session counting; ``None`` uses the
        returns' own dates as sessions.
    return_type : {"simple", "log"}, default "simple"
    ar_variance : {"prediction", "sigma"}, default "prediction"
        Variance of single-event ARs and CARs: MacKinlay's prediction-error
        variance, or the plain :math:`\hat\sigma^2` (:math:`L\hat\sigma^2` for
        a CAR) used by EventStudyTools and the R EventStudy package.
    min_estimation_obs : int, default 120
        Events with fewer valid estimation returns are skipped (with a reason).
    exclude_other_events : int, optional
        Mask ±k sessions around the same ticker's other events out of its
        estimation window.

    Examples
    --------
    >>> import eventstudy as es
    >>> events = es.datasets.load_events()
    >>> q3 = events[events.event_id == "meta-q3-2025-earnings"]
    >>> res = es.EventStudy(q3, model="market", source="snapshot").fit()
    >>> round(float(res.car((0, 0))["car"].iloc[0]), 3)
    -0.107
    """

    def __init__(
        self,
        events: str | os.PathLike | pd.DataFrame,
        *,
        model: str | ExpectedReturnModel = "market",
        estimation_window: tuple[int, int] = (-250, -11),
        event_window: tuple[int, int] = (-10, 10),
        source: object = "auto",
        returns: pd.DataFrame | None = None,
        factors: pd.DataFrame | None = None,
        calendar: str | TradingCalendar | None = "XNYS",
        return_type: Literal["simple", "log"] = "simple",
        ar_variance: Literal["prediction", "sigma"] = "prediction",
        min_estimation_obs: int = 120,
        exclude_other_events: int | None = None,
    ) -> None:
        self.events = load_events(events, calendar=None)
        self.model = get_model(model)
        self.estimation_window = _window(estimation_window, "estimation_window")
        self.event_window = _window(event_window, "event_window")
        est, evt = self.estimation_window, self.event_window
        if not (est[1] < evt[0] or est[0] > evt[1]):
            raise WindowError(
                f"estimation_window {est} overlaps event_window {evt}; expected the estimation "
                "window to end before the event window starts "
                f"(e.g. ({evt[0] - 240}, {evt[0] - 1}))"
            )
        if isinstance(self.model, GarchModel) and est[1] >= evt[0]:
            raise WindowError(
                f"a GARCH model forecasts the event-window variance from the estimation window, "
                f"so estimation_window {est} must end before event_window {evt} starts"
            )
        if not isinstance(return_type, str) or return_type not in ("simple", "log"):
            raise EventStudyError(f"return_type must be 'simple' or 'log', got {return_type!r}")
        if not isinstance(ar_variance, str) or ar_variance not in ("prediction", "sigma"):
            raise EventStudyError(
                f"ar_variance must be 'prediction' or 'sigma', got {ar_variance!r}"
            )
        length = est[1] - est[0] + 1
        k = self.model.k
        if not isinstance(min_estimation_obs, (int, np.integer)) or isinstance(
            min_estimation_obs, bool
        ):
            raise EventStudyError(
                f"min_estimation_obs must be an integer, got {min_estimation_obs!r}"
            )
        if min_estimation_obs > length:
            raise WindowError(
                f"min_estimation_obs={min_estimation_obs} exceeds the estimation window's "
                f"{length} sessions {est}; lower it or widen the window"
            )
        if min_estimation_obs < k + 2:
            raise EventStudyError(
                f"min_estimation_obs={min_estimation_obs} is too small for {self.model.label} "
                f"(k={k} parameters); expected at least {k + 2}"
            )
        if exclude_other_events is not None and (
            not isinstance(exclude_other_events, (int, np.integer)) or exclude_other_events < 0
        ):
            raise EventStudyError(
                f"exclude_other_events must be None or a non-negative integer, got "
                f"{exclude_other_events!r}"
            )
        if returns is not None and not isinstance(returns, pd.DataFrame):
            raise EventStudyError(
                f"returns must be a DataFrame (dates × assets), got {type(returns).__name__}"
            )
        if factors is not None and not isinstance(factors, pd.DataFrame):
            raise EventStudyError(
                f"factors must be a DataFrame (dates × factors), got {type(factors).__name__}"
            )
        self.source = source
        self.returns = returns
        self.factors = factors
        self.calendar = None if calendar is None else get_calendar(calendar)
        self.return_type = return_type
        self.ar_variance = ar_variance
        self.min_estimation_obs = int(min_estimation_obs)
        self.exclude_other_events = exclude_other_events

    def __repr__(self) -> str:
        return (
            f"EventStudy({len(self.events)} events, model={self.model!r}, "
            f"estimation_window={self.estimation_window}, event_window={self.event_window})"
        )

    # ------------------------------------------------------------------ fit
    def fit(self) -> EventStudyResults:
        """Estimate every event's model and its abnormal returns.

        Returns
        -------
        EventStudyResults
            Frames (``ar``, ``car()``, ``bhar()``, ``params``), tests,
            ``skipped`` (each with its reason) and ``provenance``.

        Raises
        ------
        EventStudyError
            If no event can be estimated (the message lists why).
        """
        from .results import EventStudyResults

        events = self.events.copy()
        panel, unknown = self._panel(events)
        cal = self.calendar or get_calendar(None, dates=panel.sessions)
        events["day0"] = cal.day0_many(
            pd.DatetimeIndex(events["date"]), events["time"].tolist(), outside="nat"
        )
        reasons = pd.Series([None] * len(events), index=events.index, dtype=object)
        for i in np.flatnonzero(events["day0"].isna().to_numpy()):
            reasons.iloc[i] = _outside_reason(events["date"].iloc[i], cal, panel.sessions)
        for ticker, why in unknown.items():
            reasons[(events["ticker"] == ticker) & reasons.isna()] = why
        absent = ~events["ticker"].isin(panel.assets) & reasons.isna()
        reasons[absent] = "ticker " + events.loc[absent, "ticker"] + " is not in the returns data"
        for name in self.model.assets:
            if name not in panel.assets:
                columns = panel.available or panel.assets
                shown = ", ".join(columns[:12]) + (" ..." if len(columns) > 12 else "")
                raise EventStudyError(
                    f"market column {name!r} is not in the returns data (columns: "
                    f"{shown or 'none'}); pass MarketModel(market=...) with one of them"
                )

        sessions = panel.sessions.values
        day0 = events["day0"].to_numpy(dtype="datetime64[ns]")
        pos = np.searchsorted(sessions, day0)
        in_data = (pos < len(sessions)) & (sessions[np.minimum(pos, len(sessions) - 1)] == day0)
        last, first = panel.sessions[-1], panel.sessions[0]
        late = ~in_data & (day0 > sessions[-1]) & reasons.isna().to_numpy()
        reasons[late] = f"day 0 is after the last date of the data ({last:%Y-%m-%d})"
        early = ~in_data & (day0 < sessions[0]) & reasons.isna().to_numpy()
        reasons[early] = f"day 0 is before the first date of the data ({first:%Y-%m-%d})"
        gap = ~in_data & reasons.isna().to_numpy()
        reasons[gap] = "day 0 is not a date of the returns data"

        todo = np.flatnonzero(reasons.isna().to_numpy())
        positions = pd.Series(np.arange(len(panel.assets)), index=panel.assets)
        asset = positions.reindex(events["ticker"].iloc[todo]).to_numpy(dtype=np.int64)
        exclude_counts = self._exclusion_counts(
            panel, events, pos, in_data & reasons.isna().to_numpy()
        )
        parts = []
        reason_values = reasons.to_numpy(dtype=object, copy=True)
        for lo in range(0, len(todo), _CHUNK):
            idx = todo[lo : lo + _CHUNK]
            part, why = self._fit_chunk(panel, asset[lo : lo + _CHUNK], pos[idx], exclude_counts)
            reason_values[idx] = np.asarray(why, dtype=object)
            parts.append((idx, part))
        reasons = pd.Series(reason_values, index=events.index, dtype=object)
        fitted = reasons.isna().to_numpy()
        arrays = _concat(parts, fitted)
        skipped = events.loc[~fitted, ["event_id", "ticker", "date", "day0"]].assign(
            reason=reasons[~fitted].to_numpy()
        )
        skipped = skipped.reset_index(drop=True)
        if not fitted.any():
            listing = "; ".join(f"{r.event_id}: {r.reason}" for r in skipped.head(5).itertuples())
            raise EventStudyError(
                f"no event could be estimated ({len(skipped)} skipped): {listing}"
                + (" ..." if len(skipped) > 5 else "")
            )
        if len(skipped):
            warnings.warn(
                f"{len(skipped)} of {len(events)} events skipped; see results.skipped for the "
                f"reasons (first: {skipped.event_id[0]}: {skipped.reason[0]})",
                SkippedEventsWarning,
                stacklevel=2,
            )
        used = events.loc[fitted].reset_index(drop=True)
        shared = used["day0"].value_counts()
        shared = shared[shared > 1]
        if len(shared):
            warnings.warn(
                f"{len(shared)} day-0 date(s) are shared by several events (e.g. "
                f"{shared.index[0]:%Y-%m-%d}: {shared.iloc[0]} events); cross-sectional tests "
                "assume independent events: see the Kolari-Pynnonen adjusted BMP and the "
                "crude-dependence tests",
                ClusteringWarning,
                stacklevel=2,
            )
        return EventStudyResults(self, used, skipped, panel, arrays)

    # ------------------------------------------------------------ helpers
    def _panel(self, events: pd.DataFrame) -> tuple[ReturnsPanel, dict[str, str]]:
        tickers = list(dict.fromkeys([*events["ticker"].str.upper(), *self.model.assets]))
        factor_names = list(self.model.factors)
        events["ticker"] = events["ticker"].str.upper()
        if self.returns is not None:
            panel = panel_from_returns(
                self.returns,
                self.factors,
                calendar=self.calendar,
                assets=tickers,
                factor_names=factor_names,
                return_type=self.return_type,
            )
            return panel, {}
        from .sources import resolve_source

        source = resolve_source(self.source)
        start, end = self._date_range(events)
        return panel_from_source(
            source,
            self.factors,
            calendar=self.calendar,
            assets=tickers,
            factor_names=factor_names,
            start=start,
            end=end,
            return_type=self.return_type,
        )

    def _date_range(self, events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
        lo_off = min(self.estimation_window[0], self.event_window[0]) - 1
        hi_off = max(self.estimation_window[1], self.event_window[1])
        dates = pd.DatetimeIndex(events["date"])
        if self.calendar is None:
            days = lambda n: pd.Timedelta(days=int(np.ceil(abs(n) * 7 / 5)) + 10)  # noqa: E731
            return dates.min() - days(lo_off), dates.max() + days(hi_off + 1)
        cal = self.calendar
        lo = max(int(np.searchsorted(cal.sessions.values, dates.min().to_datetime64())) + lo_off, 0)
        hi = min(
            int(np.searchsorted(cal.sessions.values, dates.max().to_datetime64())) + hi_off + 1,
            len(cal.sessions) - 1,
        )
        return cal.sessions[lo], cal.sessions[hi]

    def _exclusion_counts(self, panel, events, pos, ok) -> np.ndarray | None:
        k = self.exclude_other_events
        if k is None:
            return None
        t_len, a_len = len(panel.sessions), len(panel.assets)
        diff = np.zeros((t_len + 1, a_len), dtype=np.int64)
        for p, ticker in zip(pos[ok], events["ticker"].to_numpy()[ok]):
            a = panel.asset_index(ticker)
            diff[max(p - k, 0), a] += 1
            diff[min(p + k + 1, t_len), a] -= 1
        return np.cumsum(diff, axis=0)[:t_len]

    def _fit_chunk(self, panel, asset, pos, exclude_counts):
        est, evt = self.estimation_window, self.event_window
        exclude = None
        if exclude_counts is not None:
            offsets = np.arange(est[0], est[1] + 1)
            rows = np.clip(pos[:, None] + offsets[None, :], 0, len(panel.sessions) - 1)
            own = (np.abs(offsets) <= self.exclude_other_events).astype(np.int64)
            exclude = (exclude_counts[rows, asset[:, None]] - own[None, :]) > 0
        w = gather(panel, self.model, asset, pos, est, evt, exclude)
        extra: dict[str, np.ndarray] = {}  # GARCH: ar_var (N, L) overrides the OLS variance
        if isinstance(self.model, GarchModel):
            fit, extra = fit_garch(w, self.model, est, evt, min_obs=self.min_estimation_obs)
        elif isinstance(self.model, MarketModel) and self.model.beta != "ols":
            fit = fit_thin_trading(panel, w, self.model, pos, est)
        elif isinstance(self.model, MarketAdjusted):
            fit = fit_unestimated(w.y_est, w.valid_est)
        elif w.regressors.shape[1]:
            fit = fit_ols_shared(w.y_est, w.valid_est, w.regressors, w.est_rows)
        else:
            fit = fit_ols(w.y_est, w.Z_est, w.valid_est)
        ones = np.ones(w.y_event.shape + (1,))
        x_event = w.Z_event if fit.k == 0 else np.concatenate([ones, w.Z_event], axis=2)
        predicted = (
            np.zeros(w.y_event.shape)
            if fit.k == 0
            else np.einsum("nlk,nk->nl", x_event, fit.params[:, : x_event.shape[2]])
        )
        ar = w.y_event - predicted
        why = self._reasons(panel, w, fit, ar, exclude)
        part = {
            "params": fit.params,
            "sigma2": fit.sigma2,
            "df": fit.df,
            "n_obs": fit.n_obs,
            "xtx_inv": fit.xtx_inv,
            "est_resid": fit.resid,
            "x_event": x_event,
            "ar": ar,
            "ret": w.ret_event,
            "expected": w.ret_event - ar,
            "event_rows": w.event_rows,
            "day0_pos": pos,
            "asset": asset,
            "excluded": np.zeros(len(pos), dtype=np.int64) if exclude is None else exclude.sum(1),
            **extra,
        }
        return part, why

    def _reasons(self, panel, w, fit: BatchFit, ar, exclude) -> list[str | None]:
        evt = self.event_window
        t_len = len(panel.sessions)
        rel = np.arange(evt[0], evt[1] + 1)
        bad_ar = ~np.isfinite(ar)
        flagged = (
            (w.event_rows[:, -1] >= t_len)
            | (w.event_rows[:, 0] < 0)
            | bad_ar.any(axis=1)
            | (fit.n_obs < self.min_estimation_obs)
            | (fit.problem != None)  # noqa: E711 - elementwise on an object array
        )
        out: list[str | None] = [None] * len(ar)
        for i in np.flatnonzero(flagged):
            out[i] = self._reason(i, panel, w, fit, bad_ar, exclude, rel)
        return out

    def _reason(self, i, panel, w, fit, bad_ar, exclude, rel) -> str:
        """Why event ``i`` of a chunk cannot be used (only called for flagged events)."""
        est, t_len = self.estimation_window, len(panel.sessions)
        rows = w.event_rows[i]
        if rows[-1] >= t_len:
            return (
                f"event window runs past the last date of the data "
                f"({panel.sessions[-1]:%Y-%m-%d}) by {rows[-1] - t_len + 1} session(s)"
            )
        if rows[0] < 0:
            return (
                f"event window starts before the first date of the data "
                f"({panel.sessions[0]:%Y-%m-%d})"
            )
        if bad_ar[i].any():
            j = np.flatnonzero(bad_ar[i])
            days = ", ".join(f"{panel.sessions[rows[x]]:%Y-%m-%d} (day {rel[x]:+d})" for x in j[:3])
            what = "returns or factors" if panel.factor_names else "returns"
            more = " ..." if len(j) > 3 else ""
            return f"missing {what} in the event window on {days}{more}"
        if fit.n_obs[i] < self.min_estimation_obs:
            length = est[1] - est[0] + 1
            outside = int((~w.in_data_est[i]).sum())
            excluded = 0 if exclude is None else int((exclude[i] & np.isfinite(w.y_est[i])).sum())
            missing = length - int(fit.n_obs[i]) - outside - excluded
            details = [
                f"{n} {what}"
                for n, what in (
                    (outside, "before the first date of the data"),
                    (excluded, "excluded around other events"),
                    (missing, "missing"),
                )
                if n
            ]
            return (
                f"only {fit.n_obs[i]} valid estimation returns of {length} "
                f"({', '.join(details)}); min_estimation_obs={self.min_estimation_obs}"
            )
        return str(fit.problem[i])


def _outside_reason(date: pd.Timestamp, cal: TradingCalendar, sessions: pd.DatetimeIndex) -> str:
    """Why an event whose day 0 is not on the calendar (NaT) cannot be used."""
    if date < sessions[0]:
        return f"day 0 is before the first date of the data ({sessions[0]:%Y-%m-%d})"
    if date >= sessions[-1]:
        return f"day 0 is after the last date of the data ({sessions[-1]:%Y-%m-%d})"
    return (
        f"date {date:%Y-%m-%d} is outside the {cal.name} calendar "
        f"({cal.first:%Y-%m-%d} to {cal.last:%Y-%m-%d})"
    )


def _window(value: object, name: str) -> tuple[int, int]:
    try:
        a, b = value  # type: ignore[misc]
    except (TypeError, ValueError):
        raise WindowError(
            f"{name} must be a pair of integers (start, end), got {value!r}"
        ) from None
    for v in (a, b):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise WindowError(f"{name} must be a pair of integers (start, end), got {value!r}")
    if a > b:
        raise WindowError(f"{name} {value!r} is reversed; expected start <= end, e.g. ({b}, {a})")
    return int(a), int(b)


def _concat(parts, fitted_mask) -> dict[str, np.ndarray]:
    """Keep the rows of fitted events, in event order."""
    out: dict[str, list] = {}
    for idx, part in parts:
        keep = fitted_mask[idx]
        for key, value in part.items():
            out.setdefault(key, []).append(value if keep.all() else value[keep])
    return {
        key: values[0] if len(values) == 1 else np.concatenate(values, axis=0)
        for key, values in out.items()
    }
