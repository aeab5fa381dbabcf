"""Each statistic on tiny cases worked out by hand (numbers in the comments)."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eventstudy.exceptions import EventStudyError
from eventstudy.inference import (
    EventPanel,
    average_correlation,
    bmp_test,
    bootstrap_test,
    corrado_test,
    crude_dependence_test,
    csect_t_test,
    generalized_sign_test,
    grank_test,
    kolari_pynnonen_test,
    patell_test,
    scaled_ranks,
    sign_test,
    simulate_panel,
    skewness_t_test,
    wilcoxon_test,
)


def day0_panel(car, *, var=None, sigma=None, n_obs=None, k=0, est=None) -> EventPanel:
    """A panel whose event window is day 0 alone, so CAR_i = AR_i0."""
    car = np.asarray(car, dtype=float)
    n = car.size
    est = np.zeros((n, 4)) if est is None else np.asarray(est, dtype=float)
    return EventPanel(
        event_ar=car[:, None],
        event_ar_var=(np.ones(n) if var is None else np.asarray(var, dtype=float))[:, None],
        rel_days=np.array([0]),
        est_ar=est,
        sigma=np.ones(n) if sigma is None else np.asarray(sigma, dtype=float),
        n_obs=np.full(n, 10) if n_obs is None else np.asarray(n_obs),
        k=k,
        event_dates=np.arange(n).astype("datetime64[D]"),
    )


def test_csect_t_by_hand():
    # CARs 1, 2, 3: mean 2, s = 1, se = 1/sqrt(3), t = 2 sqrt(3), df 2
    res = csect_t_test(day0_panel([1.0, 2.0, 3.0]), (0, 0))
    assert res.stat == pytest.approx(2 * math.sqrt(3))
    assert res.df == 2
    assert res.pvalue == pytest.approx(2 * stats.t.sf(2 * math.sqrt(3), 2))
    assert res.details["se"] == pytest.approx(1 / math.sqrt(3))


def test_patell_by_hand_with_market_adjusted_k0():
    # SCAR = 2/1, -1/2, 3/1 -> sum 4.5; m = 5, k = 0 -> factor 5/3 each, sum 5
    panel = day0_panel([2.0, -1.0, 3.0], var=[1.0, 4.0, 1.0], n_obs=[5, 5, 5], k=0)
    res = patell_test(panel, (0, 0))
    assert res.stat == pytest.approx(4.5 / math.sqrt(5.0))
    assert res.details["variance_factor"] == pytest.approx(5.0)
    assert res.pvalue == pytest.approx(2 * stats.norm.sf(4.5 / math.sqrt(5)))
    # without the (m-k)/(m-k-2) factor (a known defect of other tools) Z would be larger
    assert res.stat < 4.5 / math.sqrt(3)


def test_patell_factor_uses_each_events_own_df():
    # m - k = 4 and 12: factors 2 and 1.2
    panel = day0_panel([1.0, 1.0], n_obs=[6, 14], k=2)
    assert patell_test(panel, (0, 0)).stat == pytest.approx(2 / math.sqrt(3.2))


def test_bmp_by_hand_both_standardizations():
    car, var, sigma = [0.02, 0.01, 0.04], [1e-4, 4e-4, 4e-4], [0.01, 0.02, 0.02]
    panel = day0_panel(car, var=var, sigma=sigma)
    # prediction: SCAR = 2, 0.5, 2 -> mean 1.5, s = sqrt(0.75), t = 1.5 / (s / sqrt 3) = 3
    res = bmp_test(panel, (0, 0))
    assert res.stat == pytest.approx(3.0)
    assert res.df == 2
    # sigma: CAR / (sigma sqrt(L)) with L = 1 gives the same numbers here
    assert bmp_test(panel, (0, 0), bmp_standardize="sigma").stat == pytest.approx(3.0)


def test_bmp_sigma_standardization_uses_sqrt_window_length():
    panel = simulate_panel(n_events=10, seed=9)
    res = bmp_test(panel, (-2, 2), bmp_standardize="sigma")
    car = panel.event_ar[:, 8:13].sum(axis=1)
    scar = car / (panel.sigma * math.sqrt(5))
    assert res.details["mean_scar"] == pytest.approx(scar.mean())
    assert res.stat == pytest.approx(stats.ttest_1samp(scar, 0).statistic)


def test_kolari_pynnonen_by_hand():
    # residual rows: r01 = 1, r02 = -1, r12 = -1 -> rbar = -1/3
    est = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0], [4.0, 3.0, 2.0, 1.0]])
    panel = day0_panel([0.02, 0.01, 0.04], var=[1e-4, 4e-4, 4e-4], est=est)
    res = kolari_pynnonen_test(panel, (0, 0))
    assert res.details["rbar"] == pytest.approx(-1 / 3)
    assert res.stat == pytest.approx(3.0 * math.sqrt((4 / 3) / (1 - 2 / 3)))  # = 6


def test_average_correlation_matches_pandas_across_row_blocks():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((300, 25)) + rng.standard_normal(25)  # common component
    x[rng.random(x.shape) < 0.2] = np.nan
    x[5, 3:] = np.nan  # an event with only three residuals
    rbar, pairs = average_correlation(x)
    corr = pd.DataFrame(x.T).corr(min_periods=3).to_numpy()
    upper = corr[np.triu_indices(300, k=1)]
    assert pairs == np.isfinite(upper).sum()
    assert rbar == pytest.approx(np.nanmean(upper), rel=1e-10)


def test_skewness_t_by_hand():
    x = np.array([0.0, 0.0, 0.0, 3.0])
    # mean 0.75, s = 1.5, S = 0.5; sum (x - m)^3 = 3(-0.75)^3 + 2.25^3 = 10.125
    # gamma = 10.125 / (4 * 3.375) = 0.75; t = 2 (0.5 + 0.75*0.25/3 + 0.75/24) = 1.1875
    res = skewness_t_test(day0_panel(x), (0, 0))
    assert res.details["skewness"] == pytest.approx(0.75)
    assert res.stat == pytest.approx(1.1875)
    assert res.details["t"] == pytest.approx(1.0)
    assert res.df == 3


def test_skewness_correction_vanishes_for_symmetric_data():
    x = np.array([-1.0, 0.5, 2.0, 3.5])  # symmetric about 1.25
    res = skewness_t_test(day0_panel(x), (0, 0))
    assert res.stat == pytest.approx(stats.ttest_1samp(x, 0).statistic)


def test_crude_dependence_by_hand():
    # estimation AAR_t = mean over events: [0.5, -0.5, 1.5, -1.5] -> mean 0, sd^2 = 5/3
    est = np.array([[1.0, -1.0, 2.0, -2.0], [0.0, 0.0, 1.0, -1.0]])
    panel = day0_panel([1.0, 3.0], est=est)
    res = crude_dependence_test(panel, (0, 0))
    assert res.details["sigma_aar"] == pytest.approx(math.sqrt(5 / 3))
    assert res.stat == pytest.approx(2.0 / math.sqrt(5 / 3))
    assert res.df == 3


def test_crude_dependence_skips_days_without_residuals():
    est = np.array([[1.0, np.nan, 2.0, -2.0, np.nan], [0.0, np.nan, np.nan, -1.0, np.nan]])
    res = crude_dependence_test(day0_panel([1.0, 3.0], est=est), (0, 0))
    series = np.array([0.5, 2.0, -1.5])
    assert res.details["estimation_days"] == 3 and res.df == 2
    assert res.stat == pytest.approx(2.0 / series.std(ddof=1))


def test_sign_by_hand():
    # 4 of 5 non-zero CARs positive (one zero dropped); z = (4 - 2.5) / sqrt(1.25)
    res = sign_test(day0_panel([1.0, 2.0, -1.0, 3.0, 4.0, 0.0]), (0, 0))
    assert res.n == 5 and res.details["n_positive"] == 4 and res.details["n_zero"] == 1
    assert res.stat == pytest.approx(1.5 / math.sqrt(1.25))
    # exact two-sided: P(X >= 4) + P(X <= 1) = 2 * 6/32
    assert res.pvalue == pytest.approx(12 / 32)
    normal = sign_test(day0_panel([1.0, 2.0, -1.0, 3.0, 4.0, 0.0]), (0, 0), sign_pvalue="normal")
    assert normal.pvalue == pytest.approx(2 * stats.norm.sf(1.5 / math.sqrt(1.25)))
    assert normal.stat == res.stat
    assert normal.pvalue == res.details["pvalue_normal"]
    assert res.pvalue == normal.details["pvalue_exact"]


def test_generalized_sign_by_hand():
    # shares of positive residuals 3/4, 1/4 and 2/3 (one residual missing)
    est = np.array([[1.0, 1.0, 1.0, -1.0], [1.0, -1.0, -1.0, -1.0], [1.0, -1.0, np.nan, 1.0]])
    p_hat = (0.75 + 0.25 + 2 / 3) / 3
    res = generalized_sign_test(day0_panel([1.0, 2.0, -1.0], est=est), (0, 0))
    assert res.details["p_hat"] == pytest.approx(p_hat)
    assert res.stat == pytest.approx((2 - 3 * p_hat) / math.sqrt(3 * p_hat * (1 - p_hat)))
    assert res.pvalue == pytest.approx(stats.binomtest(2, 3, p_hat).pvalue)
    normal = generalized_sign_test(
        day0_panel([1.0, 2.0, -1.0], est=est), (0, 0), sign_pvalue="normal"
    )
    assert normal.pvalue == res.details["pvalue_normal"]
    assert normal.pvalue == pytest.approx(2 * stats.norm.sf(abs(res.stat)))


def test_wilcoxon_by_hand():
    # |CAR| ranks: 0.5 -> 1, 1 -> 2, 2 -> 3, 3 -> 4; W+ = 1 + 3 + 4 = 8, W- = 2
    # subset sums of {1,2,3,4}: 3 of 16 are >= 8 and 3 are <= 2 -> p = 6/16
    res = wilcoxon_test(day0_panel([0.5, -1.0, 2.0, 3.0]), (0, 0))
    assert res.stat == 8.0 and res.details["w_minus"] == 2.0
    assert res.details["expected_w"] == 5.0
    assert res.pvalue == pytest.approx(6 / 16)
    sums = [sum(c) for r in range(5) for c in itertools.combinations([1, 2, 3, 4], r)]
    assert sum(s >= 8 or s <= 2 for s in sums) / 16 == pytest.approx(res.pvalue)


def test_wilcoxon_ties_use_normal_approximation():
    res = wilcoxon_test(day0_panel([1.0, -1.0, 2.0, 2.0, 3.0, 0.0]), (0, 0))
    assert res.details["method"] == "approx" and res.n == 5
    assert res.stat == pytest.approx(1.5 + 3.5 + 3.5 + 5)


def test_bootstrap_two_events_by_hand():
    # CARs 0 and 1: bootstrap means 0, 0.5, 1 with probabilities 1/4, 1/2, 1/4
    res = bootstrap_test(day0_panel([0.0, 1.0]), (0, 0), n_boot=20000, seed=1)
    assert res.stat == 0.5
    assert (res.details["ci_low"], res.details["ci_high"]) == (0.0, 1.0)
    assert res.details["se_boot"] == pytest.approx(math.sqrt(1 / 8), rel=0.02)
    # centred: |mean* - 0.5| >= 0.5 when mean* is 0 or 1, probability 1/2
    assert res.pvalue == pytest.approx(0.5, abs=0.015)


def test_bootstrap_close_to_t_interval_for_normal_data():
    panel = simulate_panel(n_events=200, seed=3, shock=0.004)
    boot = bootstrap_test(panel, (0, 0), n_boot=4000)
    t = csect_t_test(panel, (0, 0))
    half = stats.t.ppf(0.975, 199) * t.details["se"]
    assert boot.details["ci_low"] == pytest.approx(t.details["caar"] - half, abs=0.2 * half)
    assert boot.details["ci_high"] == pytest.approx(t.details["caar"] + half, abs=0.2 * half)
    assert boot.details["se_boot"] == pytest.approx(t.details["se"], rel=0.1)


def test_bootstrap_seeding():
    panel = simulate_panel(n_events=20, seed=3)
    a = bootstrap_test(panel, n_boot=500)
    b = bootstrap_test(panel, n_boot=500, seed=0)
    c = bootstrap_test(panel, n_boot=500, rng=np.random.default_rng(0))
    d = bootstrap_test(panel, n_boot=500, seed=1)
    assert a.details == b.details == c.details  # default seed is 0
    assert d.details["ci_low"] != a.details["ci_low"]
    with pytest.raises(EventStudyError, match="either seed= or rng="):
        bootstrap_test(panel, seed=1, rng=np.random.default_rng(1))
    with pytest.raises(EventStudyError, match="Generator"):
        bootstrap_test(panel, rng=1)
    with pytest.raises(EventStudyError, match="level"):
        bootstrap_test(panel, level=95)


def test_scaled_ranks_by_hand_with_ties_and_missing():
    x = np.array([[0.3, 0.1, 0.1, np.nan, 0.5], [1.0, 2.0, 3.0, 4.0, 5.0]])
    # row 0: valid 4 values, ranks 3, 1.5, 1.5, -, 4 -> /5 - 1/2
    expected0 = [3 / 5 - 0.5, 1.5 / 5 - 0.5, 1.5 / 5 - 0.5, np.nan, 4 / 5 - 0.5]
    expected1 = [r / 6 - 0.5 for r in (1, 2, 3, 4, 5)]
    np.testing.assert_allclose(scaled_ranks(x), [expected0, expected1])


def test_corrado_by_hand():
    # two events, three estimation days and the event day, no missing values
    est = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]])
    panel = dataclasses.replace(day0_panel([4.0, 0.5]), est_ar=est)
    # series 1, 2, 3 | 4 -> ranks 1 2 3 4; series 3, 1, 2 | 0.5 -> ranks 4 2 3 1
    # T = 4, U = K/5 - 1/2, daily means [0, -0.1, 0.1, 0] -> Z = 0
    u = np.array([[1, 2, 3, 4], [4, 2, 3, 1]]) / 5 - 0.5
    ubar = u.mean(axis=0)
    s = math.sqrt(np.sum(ubar**2) / 4)
    assert corrado_test(panel, (0, 0)).stat == pytest.approx(ubar[3] / s)
    # second event's day-0 AR becomes the largest: ranks 3 1 2 4
    panel = dataclasses.replace(panel, event_ar=np.array([[4.0], [5.0]]))
    ub = (np.array([[1, 2, 3, 4], [3, 1, 2, 4]]) / 5 - 0.5).mean(axis=0)  # [-0.1,-0.2,0,0.3]
    assert corrado_test(panel, (0, 0)).stat == pytest.approx(0.3 / math.sqrt(0.14 / 4))
    alt = corrado_test(panel, (0, 0), rank_scale="T-1")
    assert alt.stat == pytest.approx(ub[3] / math.sqrt(np.sum(ub**2) / 3))


def test_grank_by_hand():
    # two events with 3 estimation residuals each, sigma 1, CAR variance 1
    est = np.array([[0.5, -1.0, 1.5], [-0.5, 1.0, 0.2]])
    panel = day0_panel([2.0, 1.0], est=est)
    # SCAR = 2, 1; s_SCAR = sqrt(0.5); SCAR* = 2.828, 1.414 -> both rank 4 of 4
    # U = rank/5 - 1/2: event 0 [0.5,-1,1.5 | 2.83] -> ranks 2 1 3 4; event 1 -> 1 3 2 4
    u = np.array([[2, 1, 3, 4], [1, 3, 2, 4]]) / 5 - 0.5
    ubar = u.mean(axis=0)
    s = math.sqrt(np.sum(ubar**2) / 4)
    z = ubar[3] / s
    t = z * math.sqrt((4 - 2) / (4 - 1 - z * z))
    res = grank_test(panel, (0, 0))
    assert res.details["z"] == pytest.approx(z)
    assert res.stat == pytest.approx(t)
    assert res.df == 2
