"""Cross-sectional CAR regressions against statsmodels fitted directly."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import eventstudy as es
from eventstudy.exceptions import EventStudyError, MissingDataWarning
from eventstudy.regression import regress, regression_frame


@pytest.fixture(scope="module")
def study():
    """30 synthetic events whose day-0 AR rises with a 'surprise' characteristic."""
    rng = np.random.default_rng(11)
    n_ev, n_days = 30, 420
    dates = pd.bdate_range("2019-01-01", periods=n_days)
    mkt = rng.normal(0.0003, 0.01, n_days)
    frame = pd.DataFrame(
        {f"S{i:02d}": 1.1 * mkt + rng.normal(0, 0.01, n_days) for i in range(n_ev)}, index=dates
    )
    frame["MKT"] = mkt
    pos = rng.integers(280, 400, n_ev)
    pos[:6] = pos[6:12]  # six pairs of events share a date
    surprise = rng.normal(0, 1, n_ev)
    size = rng.uniform(1, 100, n_ev)
    for i in range(n_ev):
        frame.iloc[pos[i], i] += 0.01 * surprise[i]
    events = pd.DataFrame(
        {
            "event_id": [f"e{i:02d}" for i in range(n_ev)],
            "ticker": frame.columns[:n_ev],
            "date": dates[pos],
            "group": np.where(surprise > 0, "beat", "miss"),
        }
    )
    extra = pd.DataFrame({"surprise": surprise, "size": size}, index=events["event_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = es.EventStudy(
            events, model=es.MarketModel("MKT"), returns=frame, calendar=None, event_window=(-2, 2)
        ).fit()
    return res, extra


def direct(res, extra, window=(0, 0)):
    car = res.car(window).set_index("event_id")["car"]
    X = sm.add_constant(extra.loc[car.index, ["surprise"]].assign(log_size=np.log(extra["size"])))
    return car, X


@pytest.mark.parametrize("cov_type", ["nonrobust", "HC1", "HC3"])
def test_matches_statsmodels(study, cov_type):
    res, extra = study
    fit = regress(
        res, "car ~ surprise + np.log(size)", window=(0, 0), data=extra, cov_type=cov_type
    )
    car, X = direct(res, extra)
    ref = sm.OLS(car, X).fit(cov_type=cov_type)
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(fit.bse.to_numpy(), ref.bse.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(fit.pvalues.to_numpy(), ref.pvalues.to_numpy(), rtol=1e-8)
    assert fit.params["surprise"] == pytest.approx(0.01, abs=0.003)
    assert "surprise" in str(fit.summary())


def test_cluster_on_event_date_matches_statsmodels(study):
    res, extra = study
    fit = regress(res, "car ~ surprise", window=(0, 0), data=extra, cov_type="cluster")
    car, X = direct(res, extra)
    day0 = res.events.set_index("event_id").loc[car.index, "day0"]
    ref = sm.OLS(car, X[["const", "surprise"]]).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(day0)[0]}
    )
    np.testing.assert_allclose(fit.bse.to_numpy(), ref.bse.to_numpy(), rtol=1e-10)
    assert fit.cov_type == "cluster"


def test_event_columns_and_outcomes_are_available(study):
    res, extra = study
    frame = regression_frame(res, (-1, 1), extra)
    assert {"car", "car_se", "car_t", "scar", "bhar", "ticker", "day0", "group"} <= set(frame)
    np.testing.assert_allclose(frame["scar"], frame["car"] / frame["car_se"])
    fit = regress(res, "scar ~ C(group)", window=(-1, 1), cov_type="HC3")
    assert "C(group)[T.miss]" in fit.params.index
    assert fit.params["C(group)[T.miss]"] < 0


def test_missing_characteristics_warn_and_drop(study):
    res, extra = study
    partial = extra.iloc[:25].reset_index()
    with pytest.warns(MissingDataWarning, match="5 of 30 events left out"):
        fit = regress(res, "car ~ surprise", window=(0, 0), data=partial)
    assert fit.nobs == 25


def test_errors_name_the_problem(study):
    res, extra = study
    with pytest.raises(EventStudyError, match="could not be evaluated.*available columns"):
        regress(res, "car ~ beta_of_ceo", data=extra)
    with pytest.raises(EventStudyError, match="cov_type must be one of"):
        regress(res, "car ~ surprise", data=extra, cov_type="HAC")
    with pytest.raises(EventStudyError, match="cluster='sector' is not a column"):
        regress(res, "car ~ surprise", data=extra, cov_type="cluster", cluster="sector")
    with pytest.raises(EventStudyError, match="clash"):
        regress(res, "car ~ surprise", data=extra.assign(ticker="X"))
    with pytest.raises(EventStudyError, match="more than once"):
        regress(res, "car ~ surprise", data=pd.concat([extra, extra]))
    with pytest.raises(EventStudyError, match="formula must be a string"):
        regress(res, "car surprise", data=extra)


def test_results_method_when_wired(study):
    res, extra = study
    if not hasattr(res, "regress"):
        pytest.skip("EventStudyResults.regress is not wired yet")
    fit = res.regress("car ~ surprise", window=(0, 0), data=extra, cov_type="HC3")
    ref = regress(res, "car ~ surprise", window=(0, 0), data=extra, cov_type="HC3")
    np.testing.assert_allclose(fit.params, ref.params)
