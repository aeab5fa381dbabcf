"""The batched engine against per-event statsmodels OLS, and hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

import eventstudy as es
from eventstudy.estimation import fit_ols, fit_unestimated

MODELS = ["mean", "market", "ff3", "carhart", "ff5"]


@pytest.fixture(scope="module")
def earnings():
    events = es.datasets.load_events()
    return events[events["kind"] == "earnings"]


@pytest.fixture(scope="module", params=MODELS)
def fitted(request, earnings):
    res = es.EventStudy(earnings, model=request.param, source="snapshot").fit()
    return res


def test_engine_matches_statsmodels_on_snapshot(fitted):
    """params, sigma and prediction-error variance equal statsmodels' to 1e-10."""
    ar = fitted.ar
    for event_id in fitted.events["event_id"]:
        y, X = fitted.estimation_data(event_id)
        ref = sm.OLS(y.to_numpy(), X.to_numpy()).fit()
        ours = fitted.params.set_index("event_id").loc[event_id]
        np.testing.assert_allclose(
            ours[list(fitted.model.param_names)].to_numpy(float), ref.params, rtol=0, atol=1e-10
        )
        assert ours["sigma"] == pytest.approx(np.sqrt(ref.scale), abs=1e-12)
        assert ours["df"] == ref.df_resid
        # prediction-error variance of each event-window AR
        rows = ar[ar["event_id"] == event_id]
        day0 = fitted.events.set_index("event_id").loc[event_id, "day0"]
        dates = pd.DatetimeIndex(rows["date"])
        X_evt = _event_design(fitted, dates)
        pred = ref.get_prediction(X_evt)
        expected_var = ref.scale + pred.se_mean**2
        np.testing.assert_allclose(rows["ar_se"].to_numpy() ** 2, expected_var, rtol=1e-9)
        assert day0 in dates


def _event_design(res, dates):
    model = res.model
    if isinstance(model, es.ConstantMean):
        return np.ones((len(dates), 1))
    if isinstance(model, es.MarketModel):
        spy = es.datasets.load_prices("SPY")["SPY"].pct_change()
        return np.column_stack([np.ones(len(dates)), spy.reindex(dates).to_numpy()])
    ff = es.datasets.load_factors().reindex(dates)
    return np.column_stack([np.ones(len(dates)), ff[list(model.factor_names)].to_numpy()])


def test_lazy_statsmodels_fits(fitted):
    event_id = "meta-q3-2025-earnings"
    ref = fitted.fits[event_id]
    ours = fitted.params.set_index("event_id").loc[event_id]
    np.testing.assert_allclose(
        ref.params.to_numpy(), ours[list(fitted.model.param_names)].to_numpy(float), atol=1e-10
    )
    assert len(fitted.fits) == fitted.n_events


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 5),
    m=st.integers(8, 40),
    p=st.integers(0, 4),
    missing=st.floats(0.0, 0.4),
    seed=st.integers(0, 10_000),
)
def test_engine_on_random_panels_with_missing_values(n, m, p, missing, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(scale=0.01, size=(n, m, p))
    y = 0.0005 + Z @ rng.normal(size=p) + rng.normal(scale=0.02, size=(n, m))
    valid = rng.random((n, m)) >= missing
    y[~valid & (rng.random((n, m)) < 0.5)] = np.nan  # some invalid rows carry NaN
    fit = fit_ols(y, Z, valid)
    for i in range(n):
        v = valid[i] & np.isfinite(y[i])
        if v.sum() <= p + 1:
            assert fit.problem[i] is not None
            continue
        X = np.column_stack([np.ones(v.sum()), Z[i, v]])
        ref = sm.OLS(y[i, v], X).fit()
        if fit.problem[i] is not None:  # collinear by chance
            continue
        np.testing.assert_allclose(fit.params[i], ref.params, atol=1e-10)
        assert fit.sigma2[i] == pytest.approx(ref.scale, rel=1e-9)
        np.testing.assert_allclose(fit.xtx_inv[i], ref.normalized_cov_params, rtol=1e-8, atol=1e-10)
        assert fit.n_obs[i] == v.sum() and fit.df[i] == v.sum() - p - 1


def test_collinear_and_constant_regressors_are_flagged():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(1, 30, 1))
    Z = np.concatenate([z, 2 * z], axis=2)
    y = rng.normal(size=(1, 30))
    assert "collinear" in fit_ols(y, Z, np.ones((1, 30), bool)).problem[0]
    const = np.full((1, 30, 1), 0.01)
    assert "constant" in fit_ols(y, const, np.ones((1, 30), bool)).problem[0]
    flat = fit_ols(np.full((1, 30), 0.002), np.zeros((1, 30, 0)), np.ones((1, 30), bool))
    assert "zero residual variance" in flat.problem[0]


def test_unestimated_uses_sample_std_ddof1():
    ar = np.array([[0.01, -0.02, 0.03, np.nan, 0.0]])
    fit = fit_unestimated(ar, np.ones_like(ar, bool))
    assert fit.sigma2[0] == pytest.approx(np.var([0.01, -0.02, 0.03, 0.0], ddof=1))
    assert fit.df[0] == 3 and fit.n_obs[0] == 4
