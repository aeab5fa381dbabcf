"""Scholes–Williams and Dimson betas, checked by hand on a small panel."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import eventstudy as es
from eventstudy.exceptions import ModelSpecificationError
from eventstudy.thin_trading import dimson, market_leads_lags, scholes_williams

EST, EVT = (-30, -6), (-2, 2)


@pytest.fixture
def small(rng):
    """60 sessions, one thinly traded stock (reacts to the market with a lag), one missing day."""
    n = 60
    dates = pd.bdate_range("2022-03-01", periods=n)
    mkt = rng.normal(0.0005, 0.01, n)
    stock = 0.0003 + 0.6 * mkt + 0.5 * np.r_[0.0, mkt[:-1]] + rng.normal(0, 0.004, n)
    stock[20] = np.nan
    frame = pd.DataFrame({"THIN": stock, "MKT": mkt}, index=dates)
    events = pd.DataFrame({"event_id": ["e1"], "ticker": ["THIN"], "date": [dates[45]]})
    return frame, events


def fit(frame, events, model):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return es.EventStudy(
            events,
            model=model,
            returns=frame,
            calendar=None,
            estimation_window=EST,
            event_window=EVT,
            min_estimation_obs=15,
        ).fit()


def sample(frame, day0, lags):
    """Estimation days with the stock and every needed market lead/lag present (by hand)."""
    y, m = frame["THIN"].to_numpy(), frame["MKT"].to_numpy()
    rows = [day0 + d for d in range(EST[0], EST[1] + 1)]
    rows = [t for t in rows if np.isfinite(y[t])]
    return y, m, rows


def slope(x, y):
    return np.polyfit(x, y, 1)[0]


def test_scholes_williams_by_hand(small):
    frame, events = small
    res = fit(frame, events, es.MarketModel("MKT", beta="scholes_williams"))
    y, m, rows = sample(frame, 45, 1)
    yy = y[rows]
    b_lag = slope(m[[t - 1 for t in rows]], yy)
    b_0 = slope(m[rows], yy)
    b_lead = slope(m[[t + 1 for t in rows]], yy)
    rho = np.corrcoef(m[rows], m[[t - 1 for t in rows]])[0, 1]
    beta = (b_lag + b_0 + b_lead) / (1 + 2 * rho)
    alpha = yy.mean() - beta * m[rows].mean()
    resid = yy - alpha - beta * m[rows]
    sigma2 = (resid**2).sum() / (len(rows) - 2)

    p = res.params.iloc[0]
    assert p["beta"] == pytest.approx(beta, rel=1e-10)
    assert p["alpha"] == pytest.approx(alpha, rel=1e-8, abs=1e-14)
    assert p["sigma"] ** 2 == pytest.approx(sigma2, rel=1e-10)
    assert p["n_obs"] == len(rows) == 24 and p["df"] == 22
    # the OLS beta understates the sum of the true 0.6 + 0.5 sensitivities
    assert beta > slope(m[rows], yy)

    event_rows = np.arange(45 + EVT[0], 45 + EVT[1] + 1)
    ar = res.ar
    np.testing.assert_allclose(ar["ar"], y[event_rows] - alpha - beta * m[event_rows], rtol=1e-9)
    np.testing.assert_allclose(ar["ar_se"], np.sqrt(sigma2))
    car = res.car((-1, 1)).iloc[0]
    assert car["car_se"] == pytest.approx(np.sqrt(3 * sigma2))
    assert car["df"] == 22


@pytest.mark.parametrize("lags", [1, 2])
def test_dimson_by_hand(small, lags):
    frame, events = small
    res = fit(frame, events, es.MarketModel("MKT", beta="dimson", lags=lags))
    y, m, rows = sample(frame, 45, lags)
    X = np.column_stack(
        [np.ones(len(rows))] + [m[[t + j for t in rows]] for j in range(-lags, lags + 1)]
    )
    coef = np.linalg.lstsq(X, y[rows], rcond=None)[0]
    beta = coef[1:].sum()
    alpha = y[rows].mean() - beta * m[rows].mean()
    resid = y[rows] - alpha - beta * m[rows]
    k = 2 * lags + 2
    p = res.params.iloc[0]
    assert p["beta"] == pytest.approx(beta, rel=1e-10)
    assert p["alpha"] == pytest.approx(alpha, rel=1e-8, abs=1e-14)
    assert p["sigma"] ** 2 == pytest.approx((resid**2).sum() / (len(rows) - k), rel=1e-10)
    assert p["df"] == len(rows) - k
    assert res.car((-2, 2))["df"].iloc[0] == len(rows) - k


def test_lead_of_last_estimation_day_reads_outside_window(small):
    frame, _ = small
    m = frame["MKT"].to_numpy()
    got = market_leads_lags(m, np.array([[0, 59]]), [-1, 0, 1])
    assert np.isnan(got[0, 0, 0]) and np.isnan(got[0, 1, 2])
    assert got[0, 0, 2] == m[1] and got[0, 1, 0] == m[58]


def test_batched_functions_flag_problems():
    y = np.ones((1, 10))
    m = np.ones((1, 10, 3))
    fit = scholes_williams(y, m, np.ones((1, 10), bool))
    assert "constant or collinear" in fit.problem[0]
    short = dimson(
        np.arange(4.0)[None], np.random.default_rng(0).normal(size=(1, 4, 3)), np.ones((1, 4), bool)
    )
    assert "not enough valid observations" in short.problem[0]


def test_meta_thin_trading_betas_are_close_to_ols():
    events = es.datasets.load_events()
    q3 = events[events["event_id"] == "meta-q3-2025-earnings"]
    betas = {}
    for beta in ("ols", "scholes_williams", "dimson"):
        res = es.EventStudy(q3, model=es.MarketModel("SPY", beta=beta), source="snapshot").fit()
        betas[beta] = res.params["beta"].iloc[0]
        assert res.model.label.startswith("Market model")
    # META trades every second: the corrections move beta only a little
    assert abs(betas["scholes_williams"] - betas["ols"]) < 0.25
    assert abs(betas["dimson"] - betas["ols"]) < 0.25


def test_fits_refuse_thin_trading(small):
    frame, events = small
    res = fit(frame, events, es.MarketModel("MKT", beta="dimson"))
    with pytest.raises(es.EventStudyError, match="results.params"):
        res.fits["e1"]


def test_specification():
    assert repr(es.MarketModel("SPY")) == "MarketModel(market='SPY')"
    assert es.MarketModel("SPY", beta="dimson", lags=3).k == 8
    assert "Scholes-Williams" in es.MarketModel(beta="scholes_williams").label
    with pytest.raises(ModelSpecificationError, match="beta must be one of"):
        es.MarketModel(beta="vasicek")
    with pytest.raises(ModelSpecificationError, match="lags=2 applies only to beta='dimson'"):
        es.MarketModel(beta="scholes_williams", lags=2)
    with pytest.raises(ModelSpecificationError, match="lags must be a positive integer"):
        es.MarketModel(beta="dimson", lags=0)
