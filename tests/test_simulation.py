"""es.simulate: size and power of the test battery on pseudo-events from the bundled returns.

The shortcut (fit once, add the abnormal return to the fitted day-0 AR) is
checked against a brute-force refit on returns that really carry it; size is
checked with Brown & Warner's (1985) design of 250 samples of 50 pseudo-events
against a binomial band, power with +2% on day 0.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import eventstudy as es
from eventstudy.exceptions import EventStudyError, WindowError
from eventstudy.inference import TESTS, EventPanel, compute_tests
from eventstudy.simulation import (
    SIZE_POWER_COLUMNS,
    _boot_seeds,
    pseudo_events,
    rejection_rates,
    simulate_pvalues,
)

PARAMETRIC = ["csect_t", "patell", "bmp", "kolari_pynnonen", "skewness_t", "crude_dependence"]
NONPARAMETRIC = ["sign", "generalized_sign", "corrado", "grank", "wilcoxon", "bootstrap"]


@pytest.fixture(scope="module")
def returns() -> pd.DataFrame:
    return es.datasets.load_prices().pct_change()


# ------------------------------------------------------------------ shortcut vs brute force
def _stack(panels: list[EventPanel]) -> EventPanel:
    """One EventPanel from single-event panels (each fitted on its own modified returns)."""
    return EventPanel(
        event_ar=np.vstack([p.event_ar for p in panels]),
        event_ar_var=np.vstack([p.event_ar_var for p in panels]),
        rel_days=panels[0].rel_days,
        est_ar=np.vstack([p.est_ar for p in panels]),
        sigma=np.concatenate([p.sigma for p in panels]),
        n_obs=np.concatenate([p.n_obs for p in panels]),
        k=panels[0].k,
        event_dates=np.concatenate([p.event_dates for p in panels]),
        car_var_fn=lambda a, b: np.concatenate([p.car_var_fn(a, b) for p in panels]),
        event_ids=np.concatenate([p.event_ids for p in panels]),
    )


def _brute_force(returns, events, delta, model, window, seed) -> pd.DataFrame:
    """Refit every pseudo-event on a copy of the returns with delta added on its day 0."""
    rows = []
    for trial, group in events.groupby("trial"):
        panels = []
        for ev in group.itertuples():
            modified = returns.copy()
            modified.loc[ev.date, ev.ticker] += delta
            study = es.EventStudy(
                pd.DataFrame({"event_id": [ev.event_id], "ticker": [ev.ticker], "date": [ev.date]}),
                model=model,
                returns=modified,
                calendar=None,
            )
            res = study.fit()
            assert len(res.skipped) == 0
            day0 = res.ar.loc[res.ar.rel_day == 0]
            assert day0["ret"].item() == pytest.approx(returns.loc[ev.date, ev.ticker] + delta)
            panels.append(res.event_panel())
        boot_seed = int(_boot_seeds(seed, trial + 1)[trial])
        results = compute_tests(_stack(panels), window, seed=boot_seed, n_boot=999)
        rows += [(trial, name, r.pvalue) for name, r in results.items()]
    return pd.DataFrame(rows, columns=["trial", "test", "p_value"])


@pytest.mark.parametrize(
    ("model", "window"), [("market", (0, 0)), ("market", (-1, 1)), ("mean", (0, 0))]
)
def test_shortcut_equals_a_refit_on_modified_returns(returns, model, window):
    design = dict(n_events=6, n_trials=3, model=model, seed=11)
    events = pseudo_events(returns, **design)
    fast = simulate_pvalues(returns, abnormal=[0.0, 0.02], window=window, progress=False, **design)
    for delta in (0.0, 0.02):
        slow = _brute_force(returns, events, delta, model, window, seed=11)
        mine = fast[fast.abnormal == delta].reset_index(drop=True)
        assert mine[["trial", "test"]].equals(slow[["trial", "test"]])
        assert np.isfinite(slow["p_value"]).all()
        np.testing.assert_allclose(mine["p_value"], slow["p_value"], rtol=1e-10, atol=1e-10)
    # the injected return moves the p-values, so the comparison above could fail
    p0 = fast.loc[fast.abnormal == 0.0, "p_value"].to_numpy()
    p2 = fast.loc[fast.abnormal == 0.02, "p_value"].to_numpy()
    assert np.mean(np.abs(p2 - p0) > 1e-3) > 0.9


# ------------------------------------------------------------------ size and power
@pytest.fixture(scope="module")
def size_power(returns) -> pd.DataFrame:
    """Brown & Warner (1985): 250 samples of 50 pseudo-events, with 0 and +2% on day 0."""
    return es.simulate(
        returns,
        n_events=50,
        n_trials=250,
        abnormal=[0.0, 0.02],
        levels=0.05,
        seed=2025,
        progress=False,
    )


@pytest.mark.parametrize("name", list(TESTS))
def test_size_within_a_binomial_band(size_power, name):
    row = size_power[(size_power.abnormal == 0.0) & (size_power.test == name)].iloc[0]
    assert row.n_valid == 250
    lo, hi = stats.binom.interval(0.999, 250, 0.05)
    rejections = round(row.rejection_rate * row.n_valid)
    assert lo <= rejections <= hi, f"{name}: {rejections}/250 rejections at 5%"


@pytest.mark.parametrize("name", PARAMETRIC + NONPARAMETRIC)
def test_power_with_two_percent_on_day0(size_power, name):
    rates = size_power[size_power.test == name].set_index("abnormal")["rejection_rate"]
    assert rates[0.02] > 0.5, f"{name}: {rates[0.02]:.3f}"
    assert rates[0.02] > rates[0.0] + 0.3


def test_frame_layout_and_monte_carlo_error(size_power):
    assert list(size_power.columns) == list(SIZE_POWER_COLUMNS)
    assert size_power[["abnormal", "test"]].apply(tuple, axis=1).tolist() == [
        (d, name) for d in (0.0, 0.02) for name in TESTS
    ]
    assert (size_power.n_trials == 250).all()
    r, n = size_power.rejection_rate, size_power.n_valid
    np.testing.assert_allclose(size_power.mc_se, np.sqrt(r * (1 - r) / n), rtol=1e-12)
    info = size_power.attrs["simulation"]
    assert info["n_skipped"] == 0 and info["seed"] == 2025 and info["levels"] == [0.05]


def test_rates_recount_the_pvalues(returns):
    p = simulate_pvalues(
        returns,
        n_events=20,
        n_trials=8,
        abnormal=[0, 0.01],
        tests=["csect_t", "sign"],
        progress=False,
    )
    table = rejection_rates(p, [0.05, 0.5])
    for row in table.itertuples():
        sel = p[(p.abnormal == row.abnormal) & (p.test == row.test)]["p_value"]
        assert row.n_valid == sel.notna().sum() == 8
        assert row.rejection_rate == sum(v < row.level for v in sel) / 8


# ------------------------------------------------------------------ draws
def test_pseudo_events_respect_the_windows_and_exclusions(returns):
    holed = returns.copy()
    hole = holed.index[600]
    holed.loc[hole, "AAPL"] = np.nan
    ev = pseudo_events(holed, n_events=12, n_trials=40, exclude=["QQQ", "xlc"], seed=3)
    assert set(ev.ticker) <= set(returns.columns) - {"SPY", "QQQ", "XLC"}
    assert len(set(ev.ticker)) > 5
    assert ev.groupby("trial").size().eq(12).all()
    assert not ev.duplicated(["trial", "ticker", "date"]).any()
    assert ev.event_id.is_unique
    pos = returns.index.get_indexer(ev.date)
    assert pos.min() >= 250 and pos.max() <= len(returns) - 11  # windows inside the data
    aapl = pos[ev.ticker.to_numpy() == "AAPL"]
    assert not ((aapl >= 590) & (aapl <= 610)).any()  # the hole is never in an event window
    with pytest.warns(es.ClusteringWarning):  # 480 pseudo-events on 13 stocks share dates
        res = es.EventStudy(ev, returns=holed, calendar=None).fit()
    assert len(res.skipped) == 0


def test_same_seed_same_frame_other_seed_other_draws(returns):
    kwargs = dict(
        n_events=10, n_trials=5, abnormal=[0, 0.01], tests=["bmp", "bootstrap"], progress=False
    )
    first = es.simulate(returns, seed=5, **kwargs)
    again = es.simulate(returns, seed=5, **kwargs)
    pd.testing.assert_frame_equal(first, again)
    assert not pseudo_events(returns, n_events=10, n_trials=5, seed=5).equals(
        pseudo_events(returns, n_events=10, n_trials=5, seed=6)
    )
    p5 = simulate_pvalues(returns, seed=5, **kwargs)
    p6 = simulate_pvalues(returns, seed=6, **kwargs)
    assert not np.allclose(p5.p_value, p6.p_value)


def test_common_random_numbers_across_abnormal_levels(returns):
    kwargs = dict(n_events=10, n_trials=4, tests=["csect_t", "bootstrap"], progress=False)
    both = simulate_pvalues(returns, abnormal=[0.01, 0.0], **kwargs)
    alone = simulate_pvalues(returns, abnormal=0.0, **kwargs)
    np.testing.assert_array_equal(
        both.loc[both.abnormal == 0.0, "p_value"].to_numpy(), alone.p_value.to_numpy()
    )


def test_abnormal_return_is_injected_on_day0_only(returns):
    p = simulate_pvalues(
        returns,
        n_events=10,
        n_trials=4,
        abnormal=[0, 0.05],
        window=(1, 3),
        tests=["csect_t", "bmp", "sign", "corrado"],
        progress=False,
    )
    clean, shifted = (p[p.abnormal == d].set_index(["trial", "test"]).p_value for d in (0, 0.05))
    moment = ["csect_t", "bmp", "sign"]  # use the window's ARs only
    np.testing.assert_array_equal(clean.loc[:, moment], shifted.loc[:, moment])
    # the rank test ranks day 0 with every other day, so a shifted day 0 moves the
    # ranks (not the returns) of days +1..+3
    assert not np.array_equal(clean.loc[:, "corrado"], shifted.loc[:, "corrado"])


@pytest.mark.parametrize("model", ["market_adjusted", "mean", es.MarketModel("QQQ")])
def test_other_models(returns, model):
    table = es.simulate(
        returns, n_events=10, n_trials=3, model=model, tests="csect_t", levels=0.1, progress=False
    )
    assert table.n_valid.item() == 3
    if isinstance(model, es.MarketModel):  # its market is never drawn either
        assert "QQQ" not in table.attrs["simulation"]["stocks"]


def test_progress_bar(returns, capsys):
    es.simulate(returns, n_events=5, n_trials=2, tests="csect_t", progress=True)
    assert "simulate" in capsys.readouterr().err


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("change", "match"),
    [
        (dict(returns=[[0.1, 0.2]]), "returns must be a pandas DataFrame"),
        (dict(market="XYZ"), "market column 'XYZ'"),
        (dict(model="market", market=None), "needs market="),
        (dict(n_events=1), "n_events must be an integer >= 2"),
        (dict(n_events=2.5), "n_events"),
        (dict(n_trials=0), "n_trials"),
        (dict(window=(0, 11)), "window .* is outside event_window"),
        (dict(window=(1, 0)), "window .* reversed"),
        (dict(event_window=(1, 10)), "event_window .* must contain day 0"),
        (dict(estimation_window=(-250, -5)), "overlaps event_window"),
        (dict(estimation_window=(-100, -11)), "min_estimation_obs=120 exceeds the 90 sessions"),
        (dict(abnormal=float("nan")), "abnormal must hold finite numbers"),
        (dict(abnormal=[0.0, np.inf]), "abnormal must hold finite"),
        (dict(abnormal="0.01"), "abnormal must be a number"),
        (dict(levels=1.5), "levels must lie strictly between 0 and 1"),
        (dict(tests=["csect_t", "nope"]), "unknown test 'nope'"),
        (dict(tests="csect_t", n_boot=99), "unknown option 'n_boot'"),
        (dict(rng=np.random.default_rng(0)), "rng is not an option"),
        (dict(exclude=["AAPL", "ZZZ"]), "exclude names 'ZZZ'"),
        (dict(model="ff3"), "simulate supports"),
        (dict(seed=-1), "seed must be"),
        (dict(n_events=10_000), "too few dates for the windows"),
    ],
)
def test_bad_input(returns, change, match):
    kwargs = dict(returns=returns, n_events=5, n_trials=2, progress=False)
    kwargs.update(change)
    with pytest.raises(EventStudyError, match=match):
        es.simulate(kwargs.pop("returns"), **kwargs)


def test_too_few_dates_and_nothing_to_draw(returns):
    with pytest.raises(EventStudyError, match="too few dates for the windows"):
        es.simulate(returns.iloc[:200], n_trials=2, progress=False)
    with pytest.raises(EventStudyError, match="no stock left"):
        es.simulate(returns[["SPY", "QQQ"]], exclude="QQQ", n_trials=2, progress=False)
    with pytest.raises(WindowError, match="estimation_window must be a pair"):
        es.simulate(returns, estimation_window=(-250,), n_trials=2, progress=False)


def test_no_clustering_warning(returns):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        es.simulate(returns, n_events=40, n_trials=20, tests="csect_t", progress=False)
