"""Hand-computed tiny studies for each model, both variance conventions, CAR, BHAR, log returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import eventstudy as es

DATES = pd.bdate_range("2025-01-01", periods=8)
STOCK = [0.01, 0.03, 0.02, 0.00, 0.01, 0.05, -0.02, 0.01]
MARKET = [-0.01, 0.00, 0.01, 0.02, 0.00, 0.01, -0.01, 0.0]


def tiny(model, *, ar_variance="prediction", return_type="simple", factors=None):
    """4 estimation days (rel -5..-2), event window (0, 1) with day 0 = DATES[5]."""
    returns = pd.DataFrame({"ABC": STOCK, "MKT": MARKET}, index=DATES)
    events = pd.DataFrame({"event_id": ["e"], "ticker": ["ABC"], "date": [DATES[5]]})
    study = es.EventStudy(
        events,
        model=model,
        estimation_window=(-5, -2),
        event_window=(0, 1),
        returns=returns,
        factors=factors,
        calendar=None,
        min_estimation_obs=4 if model != "x" else 4,
        ar_variance=ar_variance,
        return_type=return_type,
    )
    return study.fit()


def test_constant_mean_by_hand():
    res = tiny(es.ConstantMean())
    est = np.array(STOCK[:4])  # rel days -5..-2 = DATES[0..3]
    mu, s2 = est.mean(), est.var(ddof=1)
    ar = res.ar
    assert ar["ar"].tolist() == pytest.approx([0.05 - mu, -0.02 - mu])
    assert ar["ar_se"].tolist() == pytest.approx([np.sqrt(s2 * (1 + 1 / 4))] * 2)
    car = res.car((0, 1)).iloc[0]
    assert car["car"] == pytest.approx(0.03 - 2 * mu)
    # var(CAR) = s2 (L + L^2/m) for the constant-mean model
    assert car["car_se"] == pytest.approx(np.sqrt(s2 * (2 + 4 / 4)))
    assert car["df"] == 3
    assert car["p_value"] == pytest.approx(2 * stats.t.sf(abs(car["t_stat"]), 3))


def test_constant_mean_sigma_convention():
    res = tiny(es.ConstantMean(), ar_variance="sigma")
    s2 = np.var(STOCK[:4], ddof=1)
    assert res.ar["ar_se"].tolist() == pytest.approx([np.sqrt(s2)] * 2)
    assert res.car((0, 1))["car_se"].item() == pytest.approx(np.sqrt(2 * s2))


def test_market_adjusted_by_hand():
    res = tiny(es.MarketAdjusted(market="MKT"))
    diff = np.array(STOCK) - np.array(MARKET)
    s2 = diff[:4].var(ddof=1)
    assert res.ar["ar"].tolist() == pytest.approx(diff[5:7].tolist(), abs=1e-15)
    assert res.ar["ar_se"].tolist() == pytest.approx([np.sqrt(s2)] * 2)
    assert res.car().loc[0, "car_se"] == pytest.approx(np.sqrt(2 * s2))
    assert res.car().loc[0, "df"] == 3


def test_market_model_by_hand():
    res = tiny(es.MarketModel(market="MKT"))
    y, x = np.array(STOCK[:4]), np.array(MARKET[:4])
    sxx = ((x - x.mean()) ** 2).sum()
    beta = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    alpha = y.mean() - beta * x.mean()
    resid = y - alpha - beta * x
    s2 = (resid**2).sum() / (4 - 2)
    xe = np.array(MARKET[5:7])
    ar = np.array(STOCK[5:7]) - alpha - beta * xe
    var = s2 * (1 + 1 / 4 + (xe - x.mean()) ** 2 / sxx)
    frame = res.ar
    assert frame["ar"].to_numpy() == pytest.approx(ar)
    assert frame["ar_se"].to_numpy() ** 2 == pytest.approx(var)
    # CAR variance: s2 (L + L^2/m + (sum(xe) - L xbar)^2 / sxx)
    car_var = s2 * (2 + 4 / 4 + (xe.sum() - 2 * x.mean()) ** 2 / sxx)
    assert res.car().loc[0, "car_se"] ** 2 == pytest.approx(car_var)
    assert res.params.loc[0, "alpha"] == pytest.approx(alpha)
    assert res.params.loc[0, "beta"] == pytest.approx(beta)
    # BHAR and its delta-method variance
    expected = np.array(STOCK[5:7]) - ar
    bhar = np.prod(1 + np.array(STOCK[5:7])) - np.prod(1 + expected)
    g = np.array([1 + expected[1], 1 + expected[0]])
    X = np.column_stack([np.ones(4), x])
    Xe = np.column_stack([np.ones(2), xe])
    V = s2 * (np.eye(2) + Xe @ np.linalg.inv(X.T @ X) @ Xe.T)
    row = res.bhar((0, 1)).iloc[0]
    assert row["bhar"] == pytest.approx(bhar)
    assert row["bhar_se"] ** 2 == pytest.approx(g @ V @ g)


def test_factor_model_uses_excess_returns():
    factors = pd.DataFrame({"mkt_rf": np.array(MARKET) - 0.001, "rf": 0.001}, index=DATES)
    res = tiny(es.FactorModel(["mkt_rf"]), factors=factors)
    y = np.array(STOCK[:4]) - 0.001
    x = np.array(MARKET[:4]) - 0.001
    beta = np.polyfit(x, y, 1)[0]
    alpha = y.mean() - beta * x.mean()
    ar0 = (STOCK[5] - 0.001) - alpha - beta * (MARKET[5] - 0.001)
    assert res.ar.loc[0, "ar"] == pytest.approx(ar0)
    assert res.ar.loc[0, "expected"] == pytest.approx(STOCK[5] - ar0)  # rf + prediction


def test_log_returns():
    log_returns = pd.DataFrame({"ABC": np.log1p(STOCK), "MKT": np.log1p(MARKET)}, index=DATES)
    events = pd.DataFrame({"event_id": ["e"], "ticker": ["ABC"], "date": [DATES[5]]})
    res = es.EventStudy(
        events,
        model=es.ConstantMean(),
        estimation_window=(-5, -2),
        event_window=(0, 1),
        returns=log_returns,
        calendar=None,
        min_estimation_obs=4,
        return_type="log",
    ).fit()
    mu = np.log1p(STOCK[:4]).mean()
    ar = np.log1p(STOCK[5:7]) - mu
    assert res.car().loc[0, "car"] == pytest.approx(ar.sum())
    bhar = np.exp(np.log1p(STOCK[5:7]).sum()) - np.exp(2 * mu)
    assert res.bhar().loc[0, "bhar"] == pytest.approx(bhar)


def test_car_window_checks():
    res = tiny(es.ConstantMean())
    with pytest.raises(es.WindowError, match="outside the event window"):
        res.car((-1, 1))
    with pytest.raises(es.WindowError, match="reversed"):
        res.car((1, 0))
    both = res.car([(0, 0), (0, 1)])
    assert both["window"].tolist() == ["(+0, +0)", "(+0, +1)"]
