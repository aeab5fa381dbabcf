"""Properties every test must have: event order, sign symmetry, scale invariance (hypothesis)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventstudy.inference import TESTS, compute_tests, simulate_panel

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WINDOWS = st.sampled_from([(0, 0), (-1, 1), (-3, 2)])
N_BOOT = 199


def _panel(seed: int, missing: float = 0.0):
    return simulate_panel(n_events=9, n_est=40, seed=seed, missing=missing, shock=0.01)


def _permute(panel, perm):
    fn = panel.car_var_fn
    return dataclasses.replace(
        panel,
        event_ar=panel.event_ar[perm],
        event_ar_var=panel.event_ar_var[perm],
        est_ar=panel.est_ar[perm],
        sigma=panel.sigma[perm],
        n_obs=panel.n_obs[perm],
        event_dates=panel.event_dates[perm],
        event_ids=panel.event_ids[perm],
        car_var_fn=lambda a, b: fn(a, b)[perm],
    )


def _transform(panel, scale: float):
    """Multiply every return by ``scale`` (negative flips signs); variances by scale**2."""
    fn = panel.car_var_fn
    return dataclasses.replace(
        panel,
        event_ar=panel.event_ar * scale,
        event_ar_var=panel.event_ar_var * scale**2,
        est_ar=panel.est_ar * scale,
        sigma=panel.sigma * abs(scale),
        car_var_fn=lambda a, b: fn(a, b) * scale**2,
    )


@SETTINGS
@given(seed=st.integers(0, 2**16), perm_seed=st.integers(0, 2**16), window=WINDOWS)
def test_tests_do_not_depend_on_event_order(seed, perm_seed, window):
    panel = _panel(seed, missing=0.1)
    perm = np.random.default_rng(perm_seed).permutation(panel.n_events)
    names = [name for name in TESTS if name != "bootstrap"]  # resamples by position
    a = compute_tests(panel, window, names)
    b = compute_tests(_permute(panel, perm), window, names)
    for name in names:
        assert b[name].stat == pytest.approx(a[name].stat, rel=1e-9, abs=1e-12), name
        assert b[name].pvalue == pytest.approx(a[name].pvalue, rel=1e-9, abs=1e-12), name


@SETTINGS
@given(seed=st.integers(0, 2**16), window=WINDOWS)
def test_flipping_the_sign_of_abnormal_returns(seed, window):
    panel = _panel(seed)
    a = compute_tests(panel, window, n_boot=N_BOOT)
    b = compute_tests(_transform(panel, -1.0), window, n_boot=N_BOOT)
    for name in TESTS:
        assert b[name].pvalue == pytest.approx(a[name].pvalue, rel=1e-9, abs=1e-12), name
        if name == "wilcoxon":  # W+ becomes W-
            assert b[name].stat == pytest.approx(a[name].details["w_minus"])
        else:
            assert b[name].stat == pytest.approx(-a[name].stat, rel=1e-9, abs=1e-12), name
    ci = a["bootstrap"].details
    flipped = b["bootstrap"].details
    assert (flipped["ci_low"], flipped["ci_high"]) == pytest.approx(
        (-ci["ci_high"], -ci["ci_low"]), rel=1e-9
    )


@SETTINGS
@given(seed=st.integers(0, 2**16), window=WINDOWS)
def test_one_sided_p_values_swap_under_sign_flip(seed, window):
    panel = _panel(seed)
    names = ["csect_t", "patell", "bmp", "sign", "generalized_sign", "corrado", "grank"]
    greater = compute_tests(panel, window, names, alternative="greater")
    less = compute_tests(_transform(panel, -1.0), window, names, alternative="less")
    for name in names:
        assert less[name].pvalue == pytest.approx(greater[name].pvalue, rel=1e-9), name


@SETTINGS
@given(
    seed=st.integers(0, 2**16),
    scale=st.floats(0.01, 100.0, allow_nan=False, allow_infinity=False),
    window=WINDOWS,
)
def test_statistics_are_scale_free(seed, scale, window):
    """Returns in percent or in decimals give the same tests (bootstrap's CAAR scales)."""
    panel = _panel(seed, missing=0.1)
    a = compute_tests(panel, window, n_boot=N_BOOT)
    b = compute_tests(_transform(panel, scale), window, n_boot=N_BOOT)
    for name in TESTS:
        expected = a[name].stat * (scale if name == "bootstrap" else 1.0)
        assert b[name].stat == pytest.approx(expected, rel=1e-7, abs=1e-12), name
        assert b[name].pvalue == pytest.approx(a[name].pvalue, rel=1e-7, abs=1e-12), name


@SETTINGS
@given(seed=st.integers(0, 2**16), day=st.integers(-10, 10))
def test_p_values_are_probabilities(seed, day):
    out = compute_tests(_panel(seed, missing=0.2), (day, day), n_boot=N_BOOT)
    for name, res in out.items():
        assert res.valid, (name, res.reason)
        assert 0.0 <= res.pvalue <= 1.0, name
        assert np.isfinite(res.stat), name
