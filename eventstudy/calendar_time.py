r"""Calendar-time portfolios (Jaffe 1974; Mitchell & Stafford 2000).

Long-horizon abnormal returns are better measured in calendar time: on each
date :math:`t` hold every firm whose holding period covers :math:`t`,

.. math::

    R_{pt} = \sum_{i\in P_t} w_{it} R_{it}, \qquad
    P_t = \{i : t \in [d_{0,i} + a,\; d_{0,i} + b]\},

with equal weights :math:`w_{it} = 1/|P_t|` or value weights
:math:`w_{it} \propto ME_{i,t-1}`, and regress the portfolio's excess return
on the factors,

.. math::

    R_{pt} - R_{ft} = \alpha + \sum_j b_j f_{jt} + e_t .

The intercept :math:`\alpha` is the average abnormal return per period of
holding the event firms; its t statistic accounts for the cross-sectional
correlation of the firms' returns automatically, because the portfolio is one
time series (Mitchell & Stafford 2000, sec. IV; Fama 1998).

Policies
--------
* **Holding period.** ``holding=(a, b)`` counts sessions relative to day 0
  (day 0 as in :func:`eventstudy.load_events`, on ``calendar``); ``(1, 20)``
  starts the day after the reaction. A firm with several events whose
  periods overlap is held once on each date. Periods running past the data
  are held while data exist; events with no held day are listed in
  ``skipped`` with a reason.
* **Weights.** Value weights use the previous session's value of ``weights``
  (e.g. market capitalisation), so there is no look-ahead; a held firm
  without a weight that day is left out of that day's portfolio (counted in
  ``n_missing_weights``).
* **Empty dates.** Dates with fewer than ``min_firms`` firms (or missing
  factors) have no portfolio return and are left out of the regression; the
  number of periods used is ``n_periods``.
* **Monthly.** ``frequency="monthly"`` compounds the daily portfolio return,
  ``rf`` and each factor over the days of the month on which the portfolio
  is defined, :math:`\prod_t(1 + x_t) - 1` (for ``mkt_rf``,
  :math:`\prod(1 + mkt\_rf_t + rf_t) - \prod(1 + rf_t)`); compounding the
  long-short factors is an approximation to the monthly factor files.
* **Standard errors.** ``cov_type`` is passed to statsmodels (``"nonrobust"``
  as in the papers; ``"HC1"``, or ``"HAC"`` with ``cov_kwds={"maxlags": 5}``,
  for the heteroskedasticity that a changing number of firms creates).

References
----------
Jaffe, J. F. (1974). Special information and insider trading. *Journal of
Business* 47(3), 410-428.

Mitchell, M. L. and Stafford, E. (2000). Managerial decisions and long-term
stock price performance. *Journal of Business* 73(3), 287-329.

Fama, E. F. (1998). Market efficiency, long-term returns, and behavioral
finance. *Journal of Financial Economics* 49(3), 283-306.

Fama, E. F. and French, K. R. (1993). Common risk factors in the returns on
stocks and bonds. *Journal of Financial Economics* 33(1), 3-56.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from .calendar import TradingCalendar, get_calendar
from .events import load_events
from .exceptions import EventStudyError, MissingDataWarning, WindowError
from .panel import clean_frame, panel_from_returns

__all__ = ["calendar_time_portfolio", "CalendarTimeResults", "CT_MODELS"]

#: Factor sets by name (the regressors besides the intercept).
CT_MODELS: dict[str, tuple[str, ...]] = {
    "capm": ("mkt_rf",),
    "market": ("mkt_rf",),
    "ff3": ("mkt_rf", "smb", "hml"),
    "carhart": ("mkt_rf", "smb", "hml", "mom"),
    "ff5": ("mkt_rf", "smb", "hml", "rmw", "cma"),
}

_PERIODS_PER_YEAR = {"daily": 252, "monthly": 12}


@dataclass(frozen=True, repr=False)
class CalendarTimeResults:
    """Result of :func:`calendar_time_portfolio`.

    Attributes
    ----------
    alpha, alpha_se, alpha_t, alpha_p : float
        Intercept (abnormal return per period), its standard error, t
        statistic and two-sided p-value.
    fit : statsmodels RegressionResults
        The time-series regression (the intercept is named ``alpha``).
    portfolio : pandas.DataFrame
        One row per period used: ``ret`` (portfolio return), ``rf``,
        ``excess``, ``n_firms`` (firms held; mean daily count for monthly),
        and the factors.
    skipped : pandas.DataFrame
        Events not held on any date: ``event_id, ticker, date, reason``.
    factors, holding, weighting, frequency : spec echoed back
    n_events : int
        Events held on at least one date.
    n_missing_weights : int
        Firm-days left out for lack of a value weight.
    """

    alpha: float
    alpha_se: float
    alpha_t: float
    alpha_p: float
    fit: Any
    portfolio: pd.DataFrame
    skipped: pd.DataFrame
    factors: tuple[str, ...]
    holding: tuple[int, int]
    weighting: str
    frequency: str
    n_events: int
    n_missing_weights: int = 0
    cov_type: str = "nonrobust"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def n_periods(self) -> int:
        """Periods (days or months) in the regression."""
        return int(len(self.portfolio))

    @property
    def alpha_annualized(self) -> float:
        """Alpha times 252 (daily) or 12 (monthly): a simple, not compounded, annual rate."""
        return self.alpha * _PERIODS_PER_YEAR[self.frequency]

    def conf_int(self, level: float = 0.95) -> pd.DataFrame:
        """``lower``/``upper`` confidence bounds of every coefficient."""
        if not 0 < level < 1:
            raise EventStudyError(f"level must be strictly between 0 and 1, got {level!r}")
        ci = self.fit.conf_int(alpha=1 - level)
        ci.columns = ["lower", "upper"]
        return ci

    def summary(self):
        """statsmodels ``Summary`` of the regression, with the portfolio design."""
        title = (
            f"Calendar-time portfolio: {self.weighting}-weighted, holding {self.holding}, "
            f"{self.frequency}"
        )
        smry = self.fit.summary(yname="R_p - R_f", title=title)
        smry.add_extra_txt(
            [
                f"alpha = {self.alpha:.6f} per {'day' if self.frequency == 'daily' else 'month'} "
                f"({self.alpha_annualized:.2%} a year, simple), t = {self.alpha_t:.2f}.",
                f"{self.n_events} events held; {len(self.skipped)} skipped; "
                f"{self.portfolio['n_firms'].mean():.1f} firms per period on average.",
                "Jaffe (1974); Mitchell & Stafford (2000).",
            ]
        )
        return smry

    def __str__(self) -> str:
        return self.summary().as_text()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: alpha={self.alpha:.6f}, t={self.alpha_t:.2f}>\n{self}"

    def _repr_html_(self) -> str:
        return self.summary().as_html()


def calendar_time_portfolio(
    events: str | os.PathLike | pd.DataFrame,
    *,
    returns: pd.DataFrame | None = None,
    factors: pd.DataFrame | None = None,
    holding: tuple[int, int] = (1, 20),
    model: str | Sequence[str] = "ff3",
    weighting: Literal["equal", "value"] = "equal",
    weights: pd.DataFrame | None = None,
    frequency: Literal["daily", "monthly"] = "daily",
    calendar: str | TradingCalendar | None = "XNYS",
    min_firms: int = 1,
    cov_type: str = "nonrobust",
    cov_kwds: dict[str, Any] | None = None,
) -> CalendarTimeResults:
    """Calendar-time portfolio of event firms and its factor-model alpha.

    Parameters
    ----------
    events : path-like or pandas.DataFrame
        Events (``event_id``, ``ticker``, ``date``, optional ``time``).
    returns : pandas.DataFrame, optional
        Simple daily returns, dates × tickers (default: the bundled snapshot).
    factors : pandas.DataFrame, optional
        Daily factors in decimals with ``rf`` (default: the bundled
        Fama–French factors).
    holding : (int, int), default (1, 20)
        First and last session held, relative to day 0, inclusive.
    model : {"capm", "market", "ff3", "carhart", "ff5"} or list of str, default "ff3"
        Factor set, or factor column names.
    weighting : {"equal", "value"}, default "equal"
    weights : pandas.DataFrame, optional
        Dates × tickers of positive values (market capitalisation) for
        ``weighting="value"``; the previous session's value is used.
    frequency : {"daily", "monthly"}, default "daily"
    calendar : str or None, default "XNYS"
        Calendar for day 0 and sessions; None uses the returns' dates.
    min_firms : int, default 1
        Fewest firms for a date's portfolio to count.
    cov_type : str, default "nonrobust"
        statsmodels covariance of the regression (``"HC1"``, ``"HAC"``...).
    cov_kwds : dict, optional
        Keywords of that covariance (e.g. ``{"maxlags": 5}`` for HAC).

    Returns
    -------
    CalendarTimeResults
        ``alpha`` and its t statistic, the statsmodels ``fit``, the
        ``portfolio`` series and ``skipped`` events.

    Raises
    ------
    EventStudyError
        Bad arguments, or no date with a portfolio.

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> ct = es.calendar_time_portfolio(ev[ev.kind == "earnings"], holding=(1, 20), model="ff3")
    >>> ct.n_events
    11
    """
    holding = _holding(holding)
    names = _factor_names(model)
    if weighting not in ("equal", "value"):
        raise EventStudyError(f"weighting must be 'equal' or 'value', got {weighting!r}")
    if weighting == "value" and weights is None:
        raise EventStudyError(
            "weighting='value' needs weights= (dates × tickers, e.g. market caps)"
        )
    if not isinstance(frequency, str) or frequency not in _PERIODS_PER_YEAR:
        raise EventStudyError(f"frequency must be 'daily' or 'monthly', got {frequency!r}")
    if isinstance(min_firms, bool) or not isinstance(min_firms, (int, np.integer)) or min_firms < 1:
        raise EventStudyError(f"min_firms must be a positive integer, got {min_firms!r}")

    ev = load_events(events, calendar=None)
    ev["ticker"] = ev["ticker"].str.upper()
    returns, factors = _defaults(returns, factors)
    cal = None if calendar is None else get_calendar(calendar)
    tickers = list(dict.fromkeys(ev["ticker"]))
    frame = clean_frame(returns, "returns")
    frame.columns = [str(c).upper() for c in frame.columns]
    panel = panel_from_returns(
        frame, factors, calendar=cal, assets=tickers, factor_names=[*names, "rf"],
        return_type="simple",
    )  # fmt: skip
    sessions = panel.sessions
    day_cal = cal or get_calendar(None, dates=sessions)
    dates = pd.DatetimeIndex(ev["date"])
    inside = np.asarray((dates >= day_cal.first) & (dates <= day_cal.last))
    day0 = pd.Series(pd.NaT, index=ev.index, dtype="datetime64[ns]")
    if inside.any():
        day0[inside] = day_cal.day0_many(dates[inside], ev["time"][inside].tolist())
    held, reasons = _membership(panel, ev, pd.DatetimeIndex(day0), holding)
    rets = panel.returns
    held &= np.isfinite(rets)
    n_missing = 0
    if weighting == "value":
        w = clean_frame(weights, "weights")
        w.columns = [str(c).upper() for c in w.columns]
        w = w.reindex(columns=panel.assets).reindex(sessions).shift(1).to_numpy(dtype=float)
        ok = np.isfinite(w) & (w > 0)
        n_missing = int((held & ~ok).sum())
        if n_missing:
            warnings.warn(
                f"{n_missing} firm-day(s) held without a positive weight on the previous session "
                "were left out of the value-weighted portfolio",
                MissingDataWarning,
                stacklevel=2,
            )
        held &= ok
        w = np.where(held, w, 0.0)
    else:
        w = held.astype(float)
    n_firms = held.sum(axis=1)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        port = np.where(held, w * np.nan_to_num(rets), 0.0).sum(axis=1) / total
    fac = pd.DataFrame(panel.factors, index=sessions, columns=panel.factor_names)
    daily = pd.DataFrame({"ret": port, "n_firms": n_firms}, index=sessions).join(fac)
    defined = (n_firms >= min_firms) & np.isfinite(daily[[*names, "rf"]]).all(axis=1).to_numpy()
    daily = daily[defined]
    if frequency == "monthly":
        daily = _monthly(daily, names)
    daily["excess"] = daily["ret"] - daily["rf"]
    if len(daily) <= len(names) + 1:
        raise EventStudyError(
            f"only {len(daily)} {frequency} period(s) have a portfolio of at least {min_firms} "
            f"firm(s) with factor data; the regression on {len(names)} factor(s) needs more "
            "(more events, a longer holding period, or daily frequency)"
        )
    fit = _regress(daily, names, cov_type, cov_kwds)
    used = ~pd.isna(reasons)
    skipped = ev.loc[used, ["event_id", "ticker", "date"]].assign(reason=reasons[used])
    portfolio = daily[["ret", "rf", "excess", "n_firms", *names]].rename_axis("date")
    return CalendarTimeResults(
        alpha=float(fit.params["alpha"]),
        alpha_se=float(fit.bse["alpha"]),
        alpha_t=float(fit.tvalues["alpha"]),
        alpha_p=float(fit.pvalues["alpha"]),
        fit=fit,
        portfolio=portfolio,
        skipped=skipped.reset_index(drop=True),
        factors=tuple(names),
        holding=holding,
        weighting=weighting,
        frequency=frequency,
        n_events=int((~used).sum()),
        n_missing_weights=n_missing,
        cov_type=cov_type,
    )


def _holding(holding: object) -> tuple[int, int]:
    try:
        a, b = holding  # type: ignore[misc]
    except (TypeError, ValueError):
        raise WindowError(
            f"holding must be a pair of integers (first, last), got {holding!r}"
        ) from None
    for v in (a, b):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise WindowError(f"holding must be a pair of integers (first, last), got {holding!r}")
    if a > b:
        raise WindowError(f"holding {holding!r} is reversed; expected first <= last")
    return int(a), int(b)


def _factor_names(model: str | Sequence[str]) -> list[str]:
    if isinstance(model, str):
        key = model.strip().lower()
        if key not in CT_MODELS:
            raise EventStudyError(
                f"model {model!r} is not known; expected one of "
                f"{', '.join(map(repr, CT_MODELS))} or a list of factor columns"
            )
        return list(CT_MODELS[key])
    if not isinstance(model, (list, tuple)):
        raise EventStudyError(
            f"model must be one of {', '.join(map(repr, CT_MODELS))} or a list of factor "
            f"columns, got {model!r}"
        )
    names = [str(m) for m in model]
    if not names or "rf" in names or len(set(names)) != len(names):
        raise EventStudyError(
            f"model must list distinct factor columns other than 'rf', got {list(model)!r}"
        )
    return names


def _defaults(returns, factors):
    from . import datasets

    if returns is None:
        from .sources.base import prices_to_returns

        returns = prices_to_returns(datasets.load_prices())
    if factors is None:
        factors = datasets.load_factors()
    if not isinstance(returns, pd.DataFrame):
        raise EventStudyError(f"returns must be a DataFrame, got {type(returns).__name__}")
    return returns, factors


def _membership(panel, ev, day0, holding):
    """(T, A) holding indicator and a reason per event not held on any date."""
    sessions = panel.sessions.values
    t_len, assets = len(sessions), {a: j for j, a in enumerate(panel.assets)}
    counts = np.zeros((t_len + 1, len(panel.assets)), dtype=np.int64)
    reasons = np.full(len(ev), None, dtype=object)
    pos = np.searchsorted(sessions, day0.values)
    first, last = panel.sessions[0], panel.sessions[-1]
    for i, (ticker, p) in enumerate(zip(ev["ticker"], pos)):
        if ticker not in assets:
            reasons[i] = f"ticker {ticker} is not in the returns data"
            continue
        if pd.isna(day0[i]):
            reasons[i] = (
                f"date {ev['date'].iloc[i]:%Y-%m-%d} is outside the returns data "
                f"({first:%Y-%m-%d} to {last:%Y-%m-%d})"
            )
            continue
        if p >= t_len or sessions[p] != day0.values[i]:
            reasons[i] = f"day 0 ({day0[i]:%Y-%m-%d}) is not a date of the returns data"
            continue
        lo, hi = max(p + holding[0], 0), min(p + holding[1], t_len - 1)
        if lo > hi:
            reasons[i] = f"the holding period {holding} lies outside the returns data"
            continue
        counts[lo, assets[ticker]] += 1
        counts[hi + 1, assets[ticker]] -= 1
    return np.cumsum(counts, axis=0)[:t_len] > 0, reasons


def _monthly(daily: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    month = daily.index.to_period("M")
    grouped = daily.groupby(month)
    out = pd.DataFrame(index=grouped.size().index)
    out["ret"] = grouped["ret"].apply(lambda s: np.prod(1 + s) - 1)
    out["rf"] = grouped["rf"].apply(lambda s: np.prod(1 + s) - 1)
    out["n_firms"] = grouped["n_firms"].mean()
    for name in names:
        if name == "mkt_rf":
            gross = (1 + daily["mkt_rf"] + daily["rf"]).groupby(month).prod()
            out[name] = gross - 1 - out["rf"]
        else:
            out[name] = grouped[name].apply(lambda s: np.prod(1 + s) - 1)
    out.index = out.index.to_timestamp(how="end").normalize()
    return out


def _regress(frame: pd.DataFrame, names: list[str], cov_type: str, cov_kwds):
    import statsmodels.api as sm

    X = frame[names].copy()
    X.insert(0, "alpha", 1.0)
    try:
        return sm.OLS(frame["excess"], X).fit(cov_type=cov_type, cov_kwds=cov_kwds)
    except (ValueError, KeyError, TypeError) as exc:
        raise EventStudyError(f"cov_type={cov_type!r} with cov_kwds={cov_kwds!r}: {exc}") from None
