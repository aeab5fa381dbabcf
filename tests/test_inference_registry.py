"""The test registry, run_tests / run_daily_tests, options and tests that cannot run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from eventstudy.exceptions import EventStudyError, WindowError
from eventstudy.inference import (
    ROW_COLUMNS,
    TESTS,
    InvalidTestResult,
    accepted_options,
    compute_tests,
    run_daily_tests,
    run_tests,
    simulate_panel,
)

NAMES = [
    "csect_t",
    "patell",
    "bmp",
    "kolari_pynnonen",
    "skewness_t",
    "crude_dependence",
    "sign",
    "generalized_sign",
    "corrado",
    "grank",
    "wilcoxon",
    "bootstrap",
]


@pytest.fixture(scope="module")
def panel():
    return simulate_panel(n_events=15, n_est=60, seed=8)


def test_registry_names():
    assert list(TESTS) == NAMES
    for name, fn in TESTS.items():
        assert callable(fn)
        assert "alternative" in accepted_options(name)


def test_run_tests_frame(panel):
    frame = run_tests(panel, (-1, 1), n_boot=199)
    assert list(frame.columns) == list(ROW_COLUMNS)
    assert frame["test"].tolist() == NAMES
    assert frame["reason"].isna().all()
    assert frame["n"].dtype == np.int64
    assert pd.api.types.is_float_dtype(frame["statistic"])
    assert (frame["p_value"].between(0, 1)).all()
    assert frame.loc[frame.test == "csect_t", "df"].item() == 14


def test_selection_order_and_single_name(panel):
    frame = run_tests(panel, (0, 0), ["grank", "csect_t", "grank"])
    assert frame["test"].tolist() == ["grank", "csect_t"]
    assert run_tests(panel, (0, 0), "sign")["test"].tolist() == ["sign"]


def test_unknown_test_names_the_valid_ones(panel):
    with pytest.raises(EventStudyError, match="unknown test 'patel'.*patell"):
        run_tests(panel, (0, 0), ["patel"])
    with pytest.raises(EventStudyError, match="no test selected"):
        run_tests(panel, (0, 0), [])


def test_unknown_option_raises(panel):
    with pytest.raises(EventStudyError, match="unknown option 'bmp_standardise'"):
        run_tests(panel, (0, 0), bmp_standardise="sigma")
    # an option that exists but none of the selected tests accepts
    with pytest.raises(EventStudyError, match="unknown option 'rank_scale'.*accepted"):
        run_tests(panel, (0, 0), ["csect_t", "bmp"], rank_scale="T-1")


def test_bad_option_value_raises(panel):
    with pytest.raises(EventStudyError, match="bmp_standardize must be one of"):
        run_tests(panel, (0, 0), ["bmp"], bmp_standardize="patell")
    with pytest.raises(EventStudyError, match="rank_scale"):
        run_tests(panel, (0, 0), ["corrado"], rank_scale="N")
    with pytest.raises(EventStudyError, match="alternative"):
        run_tests(panel, (0, 0), ["csect_t"], alternative="two_sided")
    with pytest.raises(EventStudyError, match="n_boot"):
        run_tests(panel, (0, 0), ["bootstrap"], n_boot=0)


def test_bad_window_raises_once(panel):
    with pytest.raises(WindowError):
        run_tests(panel, (-20, 0))


def test_options_routed_only_to_tests_that_take_them(panel):
    out = compute_tests(
        panel, (-1, 1), bmp_standardize="sigma", rank_scale="T-1", sign_pvalue="normal", n_boot=99
    )
    assert out["bmp"].details["standardize"] == "sigma"
    assert out["kolari_pynnonen"].details["standardize"] == "sigma"
    assert out["corrado"].details["rank_scale"] == "T-1"
    assert out["grank"].details["rank_scale"] == "T-1"
    assert out["sign"].dist_name == "N(0, 1)"
    assert out["bootstrap"].details["n_boot"] == 99


@pytest.mark.parametrize("name", NAMES)
def test_one_sided_alternatives(panel, name):
    """greater + less p-values of a continuous statistic add up to 1 (about 1 for exact ones)."""
    opts = {"n_boot": 999} if name == "bootstrap" else {}
    two = TESTS[name](panel, (0, 0), **opts)
    greater = TESTS[name](panel, (0, 0), alternative="greater", **opts)
    less = TESTS[name](panel, (0, 0), alternative="less", **opts)
    assert greater.alternative == "greater"
    assert greater.stat == pytest.approx(two.stat)
    assert 0 <= greater.pvalue <= 1 and 0 <= less.pvalue <= 1
    assert min(greater.pvalue, less.pvalue) <= two.pvalue + 1e-12
    if name in {"sign", "generalized_sign", "wilcoxon", "bootstrap"}:
        assert 1 <= greater.pvalue + less.pvalue <= 1.3  # discrete: both tails hold the atom
    else:
        assert greater.pvalue + less.pvalue == pytest.approx(1.0)
        assert two.pvalue == pytest.approx(2 * min(greater.pvalue, less.pvalue))


def test_run_daily_tests(panel):
    frame = run_daily_tests(panel, ["csect_t", "corrado"], days=[-1, 0, 1])
    assert list(frame.columns) == ["rel_day", *ROW_COLUMNS]
    assert frame["rel_day"].tolist() == [-1, -1, 0, 0, 1, 1]
    day0 = run_tests(panel, (0, 0), ["csect_t", "corrado"])
    pd.testing.assert_frame_equal(
        frame[frame.rel_day == 0].drop(columns="rel_day").reset_index(drop=True), day0
    )
    assert len(run_daily_tests(panel, "csect_t")) == 21
    assert run_daily_tests(panel, "csect_t", days=[]).empty


# ------------------------------------------------------------ cannot run
def _replace(panel, **changes):
    return dataclasses.replace(panel, **changes)


def _rows_by_test(frame):
    return {row.test: row for row in frame.itertuples()}


def test_single_event_gives_invalid_rows_not_errors():
    panel = simulate_panel(n_events=1, seed=2)
    rows = _rows_by_test(run_tests(panel, (-1, 1), n_boot=99))
    for name in ["csect_t", "bmp", "kolari_pynnonen", "skewness_t", "grank", "bootstrap"]:
        assert np.isnan(rows[name].statistic) and "at least" in rows[name].reason
    # tests that work with one event
    for name in ["patell", "crude_dependence", "sign", "generalized_sign", "corrado", "wilcoxon"]:
        assert pd.isna(rows[name].reason), name


def test_all_missing_event_window():
    panel = simulate_panel(n_events=5, seed=2)
    ar = panel.event_ar.copy()
    ar[:, 10] = np.nan  # day 0 missing everywhere
    rows = _rows_by_test(run_tests(_replace(panel, event_ar=ar), (0, 0), n_boot=99))
    assert all(isinstance(r.reason, str) for r in rows.values())
    assert all(r.n == 0 for r in rows.values())


def test_patell_needs_more_than_two_residual_df():
    panel = simulate_panel(n_events=4, seed=2)
    res = TESTS["patell"](_replace(panel, n_obs=np.array([250, 4, 250, 250])), (0, 0))
    assert isinstance(res, InvalidTestResult)
    assert "m-k > 2" in res.reason and "ev001" in res.reason


def test_zero_variance_cases():
    panel = simulate_panel(n_events=5, seed=2)
    ar = panel.event_ar.copy()
    ar[:, 10] = 0.01  # identical day-0 ARs
    same = _replace(panel, event_ar=ar, event_ar_var=np.full_like(ar, 1e-4), car_var_fn=None)
    out = compute_tests(same, (0, 0), n_boot=99)
    for name in ["csect_t", "bmp", "kolari_pynnonen", "skewness_t", "grank", "bootstrap"]:
        assert not out[name].valid, name
        assert "zero variance" in out[name].reason or "all equal" in out[name].reason
    zeros = _replace(panel, event_ar=np.zeros_like(ar))
    out = compute_tests(zeros, (0, 0), ["sign", "wilcoxon"])
    assert not out["sign"].valid and not out["wilcoxon"].valid


def test_no_estimation_data():
    panel = simulate_panel(n_events=5, seed=2)
    empty = _replace(panel, est_ar=np.full_like(panel.est_ar, np.nan))
    out = compute_tests(empty, (0, 0), ["crude_dependence", "generalized_sign", "kolari_pynnonen"])
    assert all(not res.valid for res in out.values())
    assert "estimation" in out["crude_dependence"].reason
    assert "no pair" in out["kolari_pynnonen"].reason


def test_degenerate_generalized_sign():
    panel = simulate_panel(n_events=5, seed=2)
    res = TESTS["generalized_sign"](_replace(panel, est_ar=np.abs(panel.est_ar)), (0, 0))
    assert not res.valid and "share of positive" in res.reason


def test_nonpositive_variance_events_excluded_from_standardized_tests():
    panel = simulate_panel(n_events=6, seed=2)
    sigma = panel.sigma.copy()
    sigma[2] = 0.0
    out = compute_tests(_replace(panel, sigma=sigma), (0, 0), ["patell", "bmp", "csect_t"])
    assert out["patell"].n == 5 and out["patell"].details["excluded_events"] == ["ev002"]
    assert out["bmp"].n == 5
    assert out["csect_t"].n == 6


def test_kolari_pynnonen_invalid_when_correlation_too_negative():
    panel = simulate_panel(n_events=3, n_est=40, seed=2)
    est = panel.est_ar.copy()
    est[1] = -est[0]
    est[2] = -est[0]  # r01 = r02 = -1, r12 = 1: rbar = -1/3, 1 + 2 rbar = 1/3 > 0
    ok = TESTS["kolari_pynnonen"](_replace(panel, est_ar=est), (0, 0))
    assert ok.valid and ok.details["rbar"] == pytest.approx(-1 / 3)
    # pairwise-complete correlations need not form a valid correlation matrix
    nan = np.nan
    est3 = np.array(
        [
            [1, 2, 3, 1, 2, 3, nan, nan, nan],
            [3, 2, 1, nan, nan, nan, 1, 2, 3],
            [nan, nan, nan, 3, 2, 1, 3, 2, 1],
        ]
    )
    small = simulate_panel(n_events=3, n_est=9, seed=2)
    bad = TESTS["kolari_pynnonen"](_replace(small, est_ar=est3), (0, 0))
    assert not bad.valid and "<= 0" in bad.reason and "rbar = -1" in bad.reason
