r"""Size and power of the multi-event tests on real returns (Brown & Warner 1985).

A trial draws ``n_events`` pseudo-events, random (stock, day 0) pairs from a
returns panel, adds a known abnormal return :math:`\delta` to each stock's
day-0 return, estimates the expected-return model and runs the test battery
of :mod:`eventstudy.inference` over a window. Repeating the trial gives each
test's rejection rate: with :math:`\delta = 0` it estimates the size (which
should be close to the nominal level), with :math:`\delta \ne 0` the power.
Because the returns are real, the rates include what simulated normal returns
leave out: fat tails, volatility clustering, earnings days among the "random"
dates and cross-correlation between stocks.

How it is computed
------------------
Every pseudo-event of every trial is fitted in **one** batched
:meth:`EventStudy.fit <eventstudy.EventStudy.fit>` on the unmodified returns.
The abnormal return is then added to the fitted day-0 abnormal returns,
:math:`AR_{i0} + \delta`, instead of refitting on a modified panel. This is
exact: the estimation window does not overlap the event window, so the
parameters, :math:`\hat\sigma_i`, the estimation residuals and the
prediction-error variances do not depend on the day-0 return, and the
expected return :math:`x_0'\hat\beta_i` does not either; only
:math:`AR_{i0} = R_{i0} - x_0'\hat\beta_i` moves, by exactly :math:`\delta`.
Each pseudo-event gets the abnormal return in its own copy of the data, so it
never leaks into another pseudo-event's estimation window (as it would if all
pseudo-events were placed in one modified panel). The test suite checks the
shortcut against a brute-force refit on a modified panel.

The same pseudo-events (and the same bootstrap resamples) are used for every
value of ``abnormal`` (common random numbers), so the points of a power curve
differ only by :math:`\delta`, not by sampling noise.

References
----------
Brown, S. J., & Warner, J. B. (1985). Using daily stock returns: the case of
event studies. *Journal of Financial Economics* 14(1), 3-31.
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import ClusteringWarning, EventStudyError, ModelSpecificationError, WindowError
from .models import ConstantMean, ExpectedReturnModel, MarketAdjusted, MarketModel, get_model
from .panel import clean_frame

__all__ = ["simulate", "simulate_pvalues", "rejection_rates", "pseudo_events", "DEFAULT_N_BOOT"]

#: Bootstrap resamples per trial unless ``n_boot`` is given (the test's own
#: default of 9,999 would dominate the run time of a simulation).
DEFAULT_N_BOOT = 999

#: Columns of :func:`simulate`.
SIZE_POWER_COLUMNS = ("abnormal", "test", "level", "rejection_rate", "n_trials", "n_valid", "mc_se")

_MODELS = (ConstantMean, MarketAdjusted, MarketModel)


# --------------------------------------------------------------------------- public
def simulate(
    returns: pd.DataFrame,
    *,
    n_events: int = 50,
    n_trials: int = 1000,
    abnormal: float | Sequence[float] = 0.0,
    event_window: tuple[int, int] = (-10, 10),
    window: tuple[int, int] = (0, 0),
    estimation_window: tuple[int, int] = (-250, -11),
    model: str | ExpectedReturnModel = "market",
    market: str | None = "SPY",
    tests: str | Iterable[str] | None = None,
    levels: float | Sequence[float] = (0.01, 0.05, 0.10),
    exclude: Iterable[str] | None = None,
    min_estimation_obs: int = 120,
    seed: int = 0,
    progress: bool = True,
    **test_options: Any,
) -> pd.DataFrame:
    r"""Rejection rates of the multi-event tests on pseudo-events drawn from real returns.

    Parameters
    ----------
    returns : pandas.DataFrame
        Simple returns, dates × assets, with the market column (for example
        ``es.datasets.load_prices().pct_change()``). The rows are the sessions.
    n_events : int, default 50
        Pseudo-events per trial (at least 2).
    n_trials : int, default 1000
        Number of trials.
    abnormal : float or sequence of float, default 0.0
        Abnormal return :math:`\delta` added to each stock's day-0 return
        (0.01 is +1%). A sequence gives one power-curve point per value, all
        computed on the same pseudo-events.
    event_window : (int, int), default (-10, 10)
        Event window of the study, in sessions; must contain day 0.
    window : (int, int), default (0, 0)
        Window the tests are run over (inside ``event_window``). The abnormal
        return is injected on day 0 only, so a window that leaves day 0 out
        measures size whatever ``abnormal`` is.
    estimation_window : (int, int), default (-250, -11)
        Estimation window, in sessions relative to day 0.
    model : {"market", "market_adjusted", "mean"} or model object, default "market"
        Expected-return model; a :class:`~eventstudy.MarketModel` (any beta),
        :class:`~eventstudy.MarketAdjusted` or :class:`~eventstudy.ConstantMean`.
    market : str or None, default "SPY"
        Market column: the market of a model given by name, and never drawn as
        a pseudo-event stock. ``None`` only with ``model="mean"``.
    tests : str or iterable of str, optional
        Names from :data:`eventstudy.inference.TESTS` (default: all twelve).
    levels : float or sequence of float, default (0.01, 0.05, 0.10)
        Nominal levels; a trial rejects at level :math:`\alpha` when
        :math:`p < \alpha`.
    exclude : iterable of str, optional
        Columns never drawn as pseudo-event stocks besides the market (e.g.
        ``["QQQ", "XLC"]`` to keep ETFs out).
    min_estimation_obs : int, default 120
        Valid estimation returns a pseudo-event needs (see
        :class:`~eventstudy.EventStudy`); (stock, date) pairs without them, or
        with a missing return in the event window, are never drawn.
    seed : int, default 0
        Seed of the draws and of the bootstrap resamples; the same seed gives
        the same frame.
    progress : bool, default True
        Show a ``tqdm`` progress bar over the trials.
    **test_options
        Passed to the tests that accept them (``alternative``,
        ``bmp_standardize``, ``rank_scale``, ``sign_pvalue``, ``n_boot``,
        ``level``). The bootstrap uses ``n_boot=999`` unless given (its own
        default of 9,999 would dominate the run time) and a seed derived from
        ``seed`` for each trial.

    Returns
    -------
    pandas.DataFrame
        One row per (abnormal, test, level): ``abnormal, test, level,
        rejection_rate, n_trials, n_valid, mc_se``. ``n_valid`` counts the
        trials where the test could run (a finite p-value);
        ``rejection_rate`` is the share of them with :math:`p < \alpha` and
        ``mc_se`` its binomial Monte-Carlo standard error
        :math:`\sqrt{\hat r(1-\hat r)/n_{valid}}`. ``frame.attrs["simulation"]``
        records the settings.

    Raises
    ------
    EventStudyError
        For bad input, naming the argument: ``returns`` not a DataFrame, the
        market or an excluded column missing, ``n_events < 2``, a window
        outside the event window, too few dates for the windows, a non-finite
        ``abnormal``, an unknown test or option.

    See Also
    --------
    simulate_pvalues : the per-trial p-values behind the rates.
    pseudo_events : the pseudo-events of each trial.
    eventstudy.inference.simulate_panel : tests on simulated normal returns.

    Notes
    -----
    The design is Brown & Warner's (1985). A pseudo-event is a (stock, day 0)
    pair drawn uniformly, without replacement within a trial, among the pairs
    whose estimation and event windows lie inside the data with complete
    event-window returns and at least ``min_estimation_obs`` estimation
    returns. :math:`\delta` is added to the day-0 return only. Rather than
    refitting on modified data, the fitted day-0 abnormal return is shifted,
    :math:`AR_{i0} + \delta`, which is exact because nothing estimated on the
    estimation window depends on day 0 (see :mod:`eventstudy.simulation`).
    Pseudo-events that share a date are correlated, as real events are; the
    usual :class:`~eventstudy.exceptions.ClusteringWarning` is not raised.

    With :math:`T` valid trials the Monte-Carlo standard error of a 5% rate is
    about :math:`\sqrt{0.05 \cdot 0.95 / T}`, 0.7 percentage points for 1,000.

    Examples
    --------
    >>> import eventstudy as es
    >>> returns = es.datasets.load_prices().pct_change()
    >>> table = es.simulate(returns, n_events=20, n_trials=10, abnormal=[0, 0.02],
    ...                     tests=["csect_t", "corrado"], levels=0.05, progress=False)
    >>> table.columns.tolist()
    ['abnormal', 'test', 'level', 'rejection_rate', 'n_trials', 'n_valid', 'mc_se']
    >>> table.shape
    (4, 7)
    """
    level_list = _levels(levels)
    pvalues = simulate_pvalues(
        returns,
        n_events=n_events,
        n_trials=n_trials,
        abnormal=abnormal,
        event_window=event_window,
        window=window,
        estimation_window=estimation_window,
        model=model,
        market=market,
        tests=tests,
        exclude=exclude,
        min_estimation_obs=min_estimation_obs,
        seed=seed,
        progress=progress,
        **test_options,
    )
    frame = rejection_rates(pvalues, level_list)
    frame.attrs["simulation"] = dict(pvalues.attrs["simulation"], levels=level_list)
    return frame


def rejection_rates(pvalues: pd.DataFrame, levels: float | Sequence[float]) -> pd.DataFrame:
    """Rejection rates from the per-trial p-values of :func:`simulate_pvalues`.

    Parameters
    ----------
    pvalues : pandas.DataFrame
        ``abnormal, trial, test, p_value`` (other columns are ignored).
    levels : float or sequence of float
        Nominal levels :math:`\\alpha`; a trial rejects when :math:`p < \\alpha`.

    Returns
    -------
    pandas.DataFrame
        The frame of :func:`simulate`, in the order abnormal, test, level of
        first appearance.
    """
    level_list = _levels(levels)
    rows = []
    for (delta, test), group in pvalues.groupby(["abnormal", "test"], sort=False):
        p = group["p_value"].to_numpy(dtype=float)
        valid = p[np.isfinite(p)]
        n_valid = int(valid.size)
        for level in level_list:
            rate = float(np.mean(valid < level)) if n_valid else float("nan")
            se = math.sqrt(rate * (1.0 - rate) / n_valid) if n_valid else float("nan")
            rows.append((float(delta), test, level, rate, int(p.size), n_valid, se))
    return pd.DataFrame(rows, columns=list(SIZE_POWER_COLUMNS))


def simulate_pvalues(
    returns: pd.DataFrame,
    *,
    n_events: int = 50,
    n_trials: int = 1000,
    abnormal: float | Sequence[float] = 0.0,
    event_window: tuple[int, int] = (-10, 10),
    window: tuple[int, int] = (0, 0),
    estimation_window: tuple[int, int] = (-250, -11),
    model: str | ExpectedReturnModel = "market",
    market: str | None = "SPY",
    tests: str | Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    min_estimation_obs: int = 120,
    seed: int = 0,
    progress: bool = True,
    **test_options: Any,
) -> pd.DataFrame:
    """The p-value of every test in every trial of :func:`simulate`.

    Takes the arguments of :func:`simulate` except ``levels``.

    Returns
    -------
    pandas.DataFrame
        One row per (abnormal, trial, test): ``abnormal, trial, test,
        p_value, n`` (``n`` is the number of events the test used; the
        p-value is NaN when the test could not run). Under the null the
        p-values of a well-specified test are uniform on (0, 1).

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.simulation import simulate_pvalues
    >>> returns = es.datasets.load_prices().pct_change()
    >>> p = simulate_pvalues(returns, n_events=10, n_trials=3, tests="patell", progress=False)
    >>> p.columns.tolist(), len(p)
    (['abnormal', 'trial', 'test', 'p_value', 'n'], 3)
    """
    from tqdm.auto import tqdm

    from .inference import compute_tests
    from .inference.registry import _lookup, accepted_options

    deltas = _abnormal(abnormal)
    names = [name for name, _ in _lookup(tests)]
    options = _test_options(names, test_options, accepted_options)
    lo, hi = _pair(event_window, "event_window")
    if not lo <= 0 <= hi:
        raise WindowError(
            f"event_window {(lo, hi)} must contain day 0, where the return is injected"
        )
    a, b = _pair(window, "window")
    if a < lo or b > hi:
        raise WindowError(f"window {(a, b)} is outside event_window {(lo, hi)}")
    events, spec = _draw(
        returns,
        n_events=n_events,
        n_trials=n_trials,
        event_window=(lo, hi),
        estimation_window=estimation_window,
        model=model,
        market=market,
        exclude=exclude,
        min_estimation_obs=min_estimation_obs,
        seed=seed,
    )
    from .study import EventStudy

    study = EventStudy(
        events[["event_id", "ticker", "date"]],
        model=spec["model"],
        returns=returns,
        calendar=None,
        estimation_window=estimation_window,
        event_window=(lo, hi),
        min_estimation_obs=min_estimation_obs,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusteringWarning)  # pseudo-events share dates by design
        res = study.fit()
    row = pd.Index(res.events["event_id"]).get_indexer(events["event_id"])
    trial_rows = np.split(row, np.cumsum(np.bincount(events["trial"], minlength=n_trials))[:-1])
    boot_seeds = _boot_seeds(seed, n_trials) if "bootstrap" in names else None
    day0 = -lo

    p_out = np.full((len(deltas), n_trials, len(names)), np.nan)
    n_out = np.zeros((len(deltas), n_trials, len(names)), dtype=np.int64)
    for trial in tqdm(range(n_trials), disable=not progress, desc="simulate", unit="trial"):
        rows = trial_rows[trial]
        rows = rows[rows >= 0]  # a pseudo-event the fit skipped (reported by its warning)
        base = res.event_panel(rows)
        opts = dict(options)
        if boot_seeds is not None:
            opts["seed"] = int(boot_seeds[trial])
        for d, delta in enumerate(deltas):
            panel = base
            if delta != 0.0:
                shifted = base.event_ar.copy()
                shifted[:, day0] += delta
                panel = dataclasses.replace(base, event_ar=shifted)
            results = compute_tests(panel, (a, b), names, **opts)
            for j, name in enumerate(names):
                p_out[d, trial, j] = results[name].pvalue
                n_out[d, trial, j] = results[name].n
    shape = p_out.shape
    frame = pd.DataFrame(
        {
            "abnormal": np.repeat(deltas, shape[1] * shape[2]),
            "trial": np.tile(np.repeat(np.arange(n_trials), shape[2]), shape[0]),
            "test": np.tile(np.asarray(names, dtype=object), shape[0] * shape[1]),
            "p_value": p_out.ravel(),
            "n": n_out.ravel(),
        }
    )
    frame.attrs["simulation"] = {
        **spec["settings"],
        "abnormal": deltas,
        "window": (a, b),
        "tests": names,
        "test_options": {k: v for k, v in options.items()},
        "n_skipped": int(len(res.skipped)),
    }
    return frame


def pseudo_events(
    returns: pd.DataFrame,
    *,
    n_events: int = 50,
    n_trials: int = 1000,
    event_window: tuple[int, int] = (-10, 10),
    estimation_window: tuple[int, int] = (-250, -11),
    model: str | ExpectedReturnModel = "market",
    market: str | None = "SPY",
    exclude: Iterable[str] | None = None,
    min_estimation_obs: int = 120,
    seed: int = 0,
) -> pd.DataFrame:
    """The pseudo-events :func:`simulate` draws, trial by trial.

    Takes the arguments of :func:`simulate` that decide the draws; the same
    arguments give the same events there and here.

    Returns
    -------
    pandas.DataFrame
        ``trial, event_id, ticker, date``, ``n_events`` rows per trial, ready
        for :class:`~eventstudy.EventStudy` (with ``calendar=None``).

    Examples
    --------
    >>> import eventstudy as es
    >>> from eventstudy.simulation import pseudo_events
    >>> returns = es.datasets.load_prices().pct_change()
    >>> ev = pseudo_events(returns, n_events=5, n_trials=2, seed=1)
    >>> ev.columns.tolist(), len(ev)
    (['trial', 'event_id', 'ticker', 'date'], 10)
    """
    events, _ = _draw(
        returns,
        n_events=n_events,
        n_trials=n_trials,
        event_window=_pair(event_window, "event_window"),
        estimation_window=estimation_window,
        model=model,
        market=market,
        exclude=exclude,
        min_estimation_obs=min_estimation_obs,
        seed=seed,
    )
    return events


# --------------------------------------------------------------------------- draws
def _draw(
    returns: pd.DataFrame,
    *,
    n_events: int,
    n_trials: int,
    event_window: tuple[int, int],
    estimation_window: tuple[int, int],
    model: str | ExpectedReturnModel,
    market: str | None,
    exclude: Iterable[str] | None,
    min_estimation_obs: int,
    seed: int,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Validate the design and draw the pseudo-events of every trial."""
    if not isinstance(returns, pd.DataFrame):
        raise EventStudyError(
            f"returns must be a pandas DataFrame (dates × assets), got {type(returns).__name__}"
        )
    n_events = _count(n_events, "n_events", 2)
    n_trials = _count(n_trials, "n_trials", 1)
    _count(min_estimation_obs, "min_estimation_obs", 1)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise EventStudyError(f"seed must be a non-negative integer, got {seed!r}")
    est = _pair(estimation_window, "estimation_window")
    evt = event_window
    if not (est[1] < evt[0] or est[0] > evt[1]):
        raise WindowError(f"estimation_window {est} overlaps event_window {evt}")
    if min_estimation_obs > est[1] - est[0] + 1:
        raise WindowError(
            f"min_estimation_obs={min_estimation_obs} exceeds the {est[1] - est[0] + 1} sessions "
            f"of estimation_window {est}; lower it or widen the window"
        )
    frame = clean_frame(returns, "returns")
    frame.columns = [c.upper() for c in frame.columns]
    the_model = _model(model, market)
    needed = list(the_model.assets)
    left_out = set(needed)
    if market is not None:
        if not isinstance(market, str):
            raise EventStudyError(f"market must be a column name or None, got {market!r}")
        needed.append(market.upper())
        left_out.add(market.upper())
    for name in dict.fromkeys(needed):
        if name.upper() not in frame.columns:
            raise EventStudyError(
                f"market column {name!r} is not in returns (columns: {', '.join(frame.columns)}); "
                "pass market= with one of them"
            )
    if exclude is not None:
        items = [exclude] if isinstance(exclude, str) else list(exclude)
        missing = [str(x) for x in items if str(x).upper() not in frame.columns]
        if missing:
            raise EventStudyError(
                f"exclude names {', '.join(map(repr, missing))}, not columns of returns "
                f"({', '.join(frame.columns)})"
            )
        left_out |= {str(x).upper() for x in items}
    stocks = [c for c in frame.columns if c not in left_out]
    if not stocks:
        raise EventStudyError(
            f"no stock left to draw pseudo-events from: returns has only {', '.join(frame.columns)}"
            " and all of them are the market or excluded"
        )
    pairs = _candidates(frame, stocks, list(the_model.assets), est, evt, min_estimation_obs)
    if len(pairs) < n_events:
        span = max(est[1], evt[1]) - min(est[0], evt[0]) + 1
        raise EventStudyError(
            f"too few dates for the windows: {len(pairs)} (stock, day 0) pairs have the "
            f"estimation_window {est} and event_window {evt} ({span} sessions) inside the "
            f"{len(frame)} dates of returns with complete data, fewer than n_events={n_events}; "
            "pass more dates or shorter windows"
        )
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[0])
    picks = np.concatenate(
        [rng.choice(len(pairs), size=n_events, replace=False) for _ in range(n_trials)]
    )
    stock_idx, day0_pos = pairs[picks, 0], pairs[picks, 1]
    trial = np.repeat(np.arange(n_trials), n_events)
    number = np.tile(np.arange(n_events), n_trials)
    width_t, width_e = len(str(n_trials - 1)), len(str(n_events - 1))
    events = pd.DataFrame(
        {
            "trial": trial,
            "event_id": [f"t{t:0{width_t}d}-e{e:0{width_e}d}" for t, e in zip(trial, number)],
            "ticker": np.asarray(stocks, dtype=object)[stock_idx],
            "date": frame.index[day0_pos],
        }
    )
    settings = {
        "n_events": n_events,
        "n_trials": n_trials,
        "event_window": tuple(evt),
        "estimation_window": est,
        "model": repr(the_model),
        "stocks": stocks,
        "n_candidates": int(len(pairs)),
        "first": f"{frame.index[0]:%Y-%m-%d}",
        "last": f"{frame.index[-1]:%Y-%m-%d}",
        "seed": int(seed),
    }
    return events, {"model": the_model, "settings": settings}


def _candidates(
    frame: pd.DataFrame,
    stocks: list[str],
    regressors: list[str],
    est: tuple[int, int],
    evt: tuple[int, int],
    min_obs: int,
) -> np.ndarray:
    """(stock index, day-0 position) pairs whose windows fit, with complete data, shape (n, 2)."""
    t_len = len(frame)
    ok = np.isfinite(frame[stocks].to_numpy(dtype=float))
    if regressors:
        ok &= np.isfinite(frame[[r.upper() for r in regressors]].to_numpy(dtype=float)).all(
            axis=1, keepdims=True
        )
    first = -min(est[0], evt[0])
    last = t_len - 1 - max(est[1], evt[1])
    if last < first:
        return np.empty((0, 2), dtype=np.int64)
    pos = np.arange(first, last + 1)
    cum = np.vstack([np.zeros((1, len(stocks))), np.cumsum(ok, axis=0)])

    def count(lo: int, hi: int) -> np.ndarray:
        """Valid returns in rows ``pos+lo .. pos+hi``, shape (n_pos, n_stocks)."""
        return cum[pos + hi + 1] - cum[pos + lo]

    good = (count(*evt) == evt[1] - evt[0] + 1) & (count(*est) >= min_obs)
    day0, stock = np.nonzero(good)
    return np.column_stack([stock, pos[day0]]).astype(np.int64)


def _boot_seeds(seed: int, n_trials: int) -> np.ndarray:
    """One bootstrap seed per trial, shared by every abnormal level (common random numbers)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[1])
    return rng.integers(0, 2**63 - 1, size=n_trials, dtype=np.int64)


# --------------------------------------------------------------------------- checks
def _model(model: str | ExpectedReturnModel, market: str | None) -> ExpectedReturnModel:
    if market is not None and not isinstance(market, str):
        raise EventStudyError(f"market must be a column name or None, got {market!r}")
    if isinstance(model, str) and model.strip().lower() in ("market", "market_adjusted"):
        if market is None:
            raise EventStudyError(f"model={model!r} needs market=, the market column")
    the_model = get_model(model, market=None if market is None else market.upper())
    if not isinstance(the_model, _MODELS):
        raise ModelSpecificationError(
            f"simulate supports the 'mean', 'market_adjusted' and 'market' models (or "
            f"ConstantMean, MarketAdjusted, MarketModel objects), got {the_model!r}"
        )
    return the_model


def _pair(value: object, name: str) -> tuple[int, int]:
    try:
        lo, hi = value  # type: ignore[misc]
    except (TypeError, ValueError):
        raise WindowError(
            f"{name} must be a pair of integers (start, end), got {value!r}"
        ) from None
    for v in (lo, hi):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise WindowError(f"{name} must be a pair of integers (start, end), got {value!r}")
    if lo > hi:
        raise WindowError(f"{name} {value!r} is reversed; expected start <= end")
    return int(lo), int(hi)


def _count(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise EventStudyError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _abnormal(value: object) -> list[float]:
    items = list(value) if isinstance(value, (Sequence, np.ndarray, pd.Series)) else [value]
    if isinstance(value, str) or not items:
        raise EventStudyError(
            f"abnormal must be a number or a non-empty list of numbers, got {value!r}"
        )
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Real) or not math.isfinite(item):
            raise EventStudyError(
                f"abnormal must hold finite numbers (returns such as 0.01 for +1%), got {item!r}"
            )
        out.append(float(item))
    return list(dict.fromkeys(out))


def _levels(value: object) -> list[float]:
    items = list(value) if isinstance(value, (Sequence, np.ndarray)) else [value]
    if isinstance(value, str) or not items:
        raise EventStudyError(f"levels must be a number or a list of numbers, got {value!r}")
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Real) or not 0 < item < 1:
            raise EventStudyError(f"levels must lie strictly between 0 and 1, got {item!r}")
    return [float(x) for x in dict.fromkeys(items)]


def _test_options(names: list[str], options: dict[str, Any], accepted) -> dict[str, Any]:
    """Validate the options once, and give the bootstrap its simulation default."""
    if "rng" in options:
        raise EventStudyError(
            "rng is not an option of simulate: the bootstrap draws from seeds derived from seed="
        )
    known = {opt for name in names for opt in accepted(name)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise EventStudyError(
            f"unknown option {', '.join(map(repr, unknown))} for tests {', '.join(names)}; "
            f"accepted options are: {', '.join(sorted(known - {'seed', 'rng'}))}"
        )
    out = dict(options)
    if "bootstrap" in names:
        out.setdefault("n_boot", DEFAULT_N_BOOT)
    return out
