"""Pre-event drift, multiple-testing adjustments and resampling tests of the CAAR."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

import eventstudy as es
from eventstudy.exceptions import EventStudyError, WindowError
from eventstudy.inference import EventPanel, bmp_test, csect_t_test, simulate_panel
from eventstudy.inference_extra import adjust_pvalues, pre_event_drift_test
from eventstudy.resampling import permutation_test, wild_bootstrap_test


# ------------------------------------------------------------------ multiple testing
@pytest.mark.parametrize("method", ["holm", "fdr_bh", "bonferroni", "hommel", "fdr_by"])
def test_adjust_matches_multipletests(rng, method):
    p = rng.uniform(0, 0.2, 15)
    ours = adjust_pvalues(p, method)
    np.testing.assert_allclose(ours, multipletests(p, method=method)[1])


def test_adjust_aliases_series_and_missing():
    p = pd.Series([0.01, np.nan, 0.04, 0.03], index=list("abcd"))
    out = adjust_pvalues(p, "bh")
    ref = multipletests([0.01, 0.04, 0.03], method="fdr_bh")[1]
    np.testing.assert_allclose(out.dropna().to_numpy(), ref)
    assert np.isnan(out["b"]) and list(out.index) == list("abcd")


def test_adjust_frame_families_by_test():
    frame = pd.DataFrame(
        {
            "rel_day": [0, 1, 2, 0, 1, 2],
            "test": ["csect_t"] * 3 + ["bmp"] * 3,
            "p_value": [0.001, 0.02, 0.3, 0.04, 0.01, 0.03],
        }
    )
    out = adjust_pvalues(frame, "holm", alpha=0.05)
    for _test, part in out.groupby("test"):
        rej, adj, _, _ = multipletests(part["p_value"], alpha=0.05, method="holm")
        np.testing.assert_allclose(part["p_adjusted"], adj)
        assert part["reject"].tolist() == rej.tolist()
    pooled = adjust_pvalues(frame, "holm", by=None)
    np.testing.assert_allclose(
        pooled["p_adjusted"], multipletests(frame["p_value"], method="holm")[1]
    )
    assert "p_adjusted" not in frame.columns


def test_adjust_errors():
    with pytest.raises(EventStudyError, match="method must be one of"):
        adjust_pvalues([0.1], "fdr")
    with pytest.raises(EventStudyError, match=r"lie in \[0, 1\]"):
        adjust_pvalues([1.5], "holm")
    with pytest.raises(EventStudyError, match="'p_value' column"):
        adjust_pvalues(pd.DataFrame({"p": [0.1]}))
    with pytest.raises(EventStudyError, match="by column"):
        adjust_pvalues(pd.DataFrame({"p_value": [0.1]}), by="window")


# ------------------------------------------------------------------ pre-event drift
def test_drift_detects_leakage_in_simulated_panel():
    panel = simulate_panel(n_events=30, shock=0.02, shock_day=-3, seed=4)
    res = pre_event_drift_test(panel, (-5, -1))
    ref = bmp_test(panel, (-5, -1))
    assert res.test == "pre_event_drift" and res.details["base_test"] == "bmp"
    assert res.stat == pytest.approx(ref.stat) and res.pvalue == pytest.approx(ref.pvalue)
    assert res.pvalue < 0.01 and "no drift before day 0" in res.null
    clean = pre_event_drift_test(panel, (-10, -5), test="csect_t")
    assert clean.stat == pytest.approx(csect_t_test(panel, (-10, -5)).stat)


def test_drift_single_event_equals_car_t():
    events = es.datasets.load_events()
    one = events[events["event_id"] == "meta-scaleai-confirmed"]
    res = es.EventStudy(one, source="snapshot").fit()
    if not hasattr(res, "event_panel"):
        pytest.skip("EventStudyResults.event_panel is not wired yet")
    drift = pre_event_drift_test(res, (-5, -1))
    car = res.car((-5, -1)).iloc[0]
    assert drift.details["base_test"] == "car_t"
    assert drift.stat == pytest.approx(car["t_stat"], rel=1e-10)
    assert drift.pvalue == pytest.approx(car["p_value"], rel=1e-10)
    assert drift.df == car["df"]


def test_drift_errors():
    panel = simulate_panel(n_events=5, seed=1)
    with pytest.raises(WindowError, match="must end before day 0"):
        pre_event_drift_test(panel, (-2, 0))
    with pytest.raises(EventStudyError, match="single-event t"):
        pre_event_drift_test(panel, (-3, -1), test="car_t")
    with pytest.raises(EventStudyError, match="test must be 'auto'"):
        pre_event_drift_test(panel, (-3, -1), test="magic")
    with pytest.raises(EventStudyError, match="expected fitted results"):
        pre_event_drift_test([1, 2, 3])


# ------------------------------------------------------------------ permutation
def panel_from_cars(cars):
    cars = np.asarray(cars, dtype=float)
    n = len(cars)
    return EventPanel(
        event_ar=cars[:, None],
        event_ar_var=np.full((n, 1), 1e-4),
        rel_days=np.array([0]),
        est_ar=np.zeros((n, 5)),
        sigma=np.full(n, 0.01),
        n_obs=np.full(n, 5),
        k=2,
        event_dates=np.arange(n).astype("datetime64[D]"),
    )


def test_exact_permutation_by_brute_force():
    cars = [0.031, -0.004, 0.022, 0.015, -0.011, 0.027]
    res = permutation_test(panel_from_cars(cars), (0, 0))
    x = np.array(cars)
    t_obs = x.mean() / (x.std(ddof=1) / np.sqrt(6))
    count = 0
    for signs in itertools.product([1, -1], repeat=6):
        y = x * np.array(signs)
        count += abs(y.mean() / (y.std(ddof=1) / np.sqrt(6))) >= abs(t_obs) - 1e-12
    assert res.details["exact"] and res.details["n_perm"] == 64
    assert res.pvalue == pytest.approx(count / 64)
    assert res.stat == pytest.approx(t_obs)
    greater = permutation_test(
        panel_from_cars(cars), (0, 0), alternative="greater", statistic="mean"
    )
    n_ge = sum(
        (x * np.array(s)).mean() >= x.mean() - 1e-12 for s in itertools.product([1, -1], repeat=6)
    )
    assert greater.pvalue == pytest.approx(n_ge / 64)


def test_monte_carlo_permutation_is_seeded_and_close_to_t(rng):
    cars = rng.normal(0.004, 0.02, 60)
    panel = panel_from_cars(cars)
    a = permutation_test(panel, (0, 0), n_perm=4999, seed=3)
    b = permutation_test(panel, (0, 0), n_perm=4999, seed=3)
    assert not a.details["exact"] and a.pvalue == b.pvalue
    assert a.pvalue == pytest.approx(stats.ttest_1samp(cars, 0).pvalue, abs=0.03)


def test_wild_bootstrap_close_to_t_and_seeded(rng):
    cars = rng.normal(0.005, 0.02, 80) * rng.uniform(0.5, 2.0, 80)  # unequal variances
    panel = panel_from_cars(cars)
    res = wild_bootstrap_test(panel, (0, 0), n_boot=4999, seed=1)
    assert res.stat == pytest.approx(stats.ttest_1samp(cars, 0).statistic)
    assert res.pvalue == pytest.approx(stats.ttest_1samp(cars, 0).pvalue, abs=0.03)
    again = wild_bootstrap_test(panel, (0, 0), n_boot=4999, seed=1)
    assert again.pvalue == res.pvalue
    mammen = wild_bootstrap_test(panel, (0, 0), n_boot=4999, weights="mammen", seed=1)
    assert mammen.pvalue == pytest.approx(res.pvalue, abs=0.03)


def test_resampling_size_under_the_null():
    rejections = {"permutation": 0, "wild": 0}
    for seed in range(40):
        panel = simulate_panel(n_events=25, seed=100 + seed)
        rejections["permutation"] += permutation_test(panel, (0, 0), n_perm=199).pvalue < 0.05
        rejections["wild"] += wild_bootstrap_test(panel, (0, 0), n_boot=199).pvalue < 0.05
    assert rejections["permutation"] <= 6 and rejections["wild"] <= 6


def test_resampling_invalid_and_errors():
    one = panel_from_cars([0.01])
    assert not permutation_test(one, (0, 0)).valid
    assert not wild_bootstrap_test(panel_from_cars([0.01, 0.01]), (0, 0)).valid
    with pytest.raises(EventStudyError, match="n_perm must be a positive integer"):
        permutation_test(panel_from_cars([0.1, 0.2]), (0, 0), n_perm=0)
    with pytest.raises(EventStudyError, match="weights must be one of"):
        wild_bootstrap_test(panel_from_cars([0.1, 0.2]), (0, 0), weights="normal")


def test_on_fitted_results_when_wired():
    events = es.datasets.load_events()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = es.EventStudy(events[events["kind"] == "earnings"], source="snapshot").fit()
    if not hasattr(res, "event_panel"):
        pytest.skip("EventStudyResults.event_panel is not wired yet")
    perm = permutation_test(res, (-1, 1), n_perm=999)
    wild = wild_bootstrap_test(res, (-1, 1), n_boot=999)
    assert perm.n == wild.n == 11
    assert perm.stat == pytest.approx(res.caar((-1, 1))["t_stat"].iloc[0])
