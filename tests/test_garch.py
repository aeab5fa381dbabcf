"""GARCH expected-return model: the study path against ``arch`` fitted directly."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import pytest

import eventstudy as es
from eventstudy.exceptions import ModelSpecificationError, SkippedEventsWarning, WindowError
from eventstudy.models import GarchModel, get_model

arch = pytest.importorskip("arch")

EVENTS = ["meta-q3-2025-earnings", "meta-q4-2025-earnings"]


@pytest.fixture(scope="module")
def events():
    ev = es.datasets.load_events()
    return ev[ev["event_id"].isin(EVENTS)]


@pytest.fixture(scope="module", params=["normal", "t"])
def fitted(request, events):
    model = GarchModel("SPY", dist=request.param)
    return es.EventStudy(events, model=model, source="snapshot", event_window=(-5, 5)).fit()


def direct_arch(res, event_id, dist):
    """Fit ``arch`` by hand on the event's estimation window and forecast 1..16 steps."""
    y, X = res.estimation_data(event_id)
    am = arch.arch_model(
        100 * y.to_numpy(), x=100 * X[["beta"]].to_numpy(), mean="LS", vol="GARCH",
        p=1, q=1, dist=dist, rescale=False,
    )  # fmt: skip
    fit = am.fit(disp="off")
    fc = fit.forecast(horizon=16, reindex=False, x=np.zeros((1, 16)))
    return fit, np.asarray(fc.variance)[-1] / 1e4


@pytest.mark.parametrize("event_id", EVENTS)
def test_matches_arch_fitted_directly(fitted, event_id):
    dist = fitted.model.dist
    direct, var_path = direct_arch(fitted, event_id, dist)
    params = fitted.params.set_index("event_id").loc[event_id]
    raw = direct.params.to_numpy()
    assert params["alpha"] == pytest.approx(raw[0] / 100, rel=1e-6)
    assert params["beta"] == pytest.approx(raw[1], rel=1e-6)
    assert params["omega"] == pytest.approx(raw[2] / 1e4, rel=1e-6)
    assert params["arch[1]"] == pytest.approx(raw[3], abs=1e-8)
    assert params["garch[1]"] == pytest.approx(raw[4], rel=1e-6)
    if dist == "t":
        assert params["nu"] == pytest.approx(raw[5], rel=1e-6)
    # estimation window (-250, -11), event window (-5, 5): day d is d + 11 steps ahead
    ar = fitted.ar[fitted.ar["event_id"] == event_id]
    horizons = ar["rel_day"].to_numpy() + 11
    np.testing.assert_allclose(ar["ar_se"] ** 2, var_path[horizons - 1], rtol=1e-8)
    i = int(np.flatnonzero(fitted.events["event_id"] == event_id)[0])
    expected = raw[0] / 100 + raw[1] * fitted._panel.column("SPY")[fitted._a["event_rows"][i]]
    np.testing.assert_allclose(ar["ar"], ar["ret"] - expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ar["ar_t"], ar["ar"] / ar["ar_se"])


def test_car_variance_is_sum_of_forecasts_and_df_is_m_minus_2(fitted):
    car = fitted.car((-1, 1)).set_index("event_id")
    ar = fitted.ar.query("-1 <= rel_day <= 1")
    summed = ar.groupby("event_id")["ar_se"].apply(lambda s: np.sqrt((s**2).sum()))
    np.testing.assert_allclose(car.loc[summed.index, "car_se"], summed, rtol=1e-12)
    assert (car["df"] == fitted.params.set_index("event_id")["n_obs"] - 2).all()
    bhar = fitted.bhar((0, 1))
    assert np.isfinite(bhar["bhar_se"]).all() and (bhar["bhar_se"] > 0).all()


def test_ar_variance_option_has_no_effect(events):
    kw = dict(model="garch", source="snapshot", event_window=(-2, 2))
    a = es.EventStudy(events.iloc[:1], ar_variance="prediction", **kw).fit().car((-1, 1))
    b = es.EventStudy(events.iloc[:1], ar_variance="sigma", **kw).fit().car((-1, 1))
    pd.testing.assert_frame_equal(a, b)


def test_fits_are_arch_results_and_params_frame(fitted):
    result = fitted.fits[EVENTS[0]]
    assert type(result).__name__ == "ARCHModelResult"
    assert "Constant Variance" not in str(result.summary())
    names = list(fitted.model.param_names)
    assert list(fitted.params.columns[2 : 2 + len(names)]) == names
    assert (fitted.params["sigma"] > 0).all()


def test_convergence_failure_lands_in_skipped(events, monkeypatch):
    from arch.univariate.base import ARCHModel

    monkeypatch.setattr(
        ARCHModel, "fit", functools.partialmethod(ARCHModel.fit, options={"maxiter": 2})
    )
    with pytest.raises(es.EventStudyError, match="Iteration limit reached"):
        es.EventStudy(events.iloc[:1], model="garch", source="snapshot").fit()


def test_optimizer_error_skips_one_event_with_message(events, monkeypatch):
    from arch.univariate.base import ARCHModel

    real = ARCHModel.fit
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("boom from the optimizer")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ARCHModel, "fit", flaky)
    with pytest.warns(SkippedEventsWarning, match="1 of 2 events skipped"):
        res = es.EventStudy(events, model="garch", source="snapshot", event_window=(-2, 2)).fit()
    assert res.skipped["reason"].iloc[0] == "GARCH(1,1) fit failed: boom from the optimizer"
    assert res.n_events == 1


def test_missing_estimation_days_are_dropped_and_horizon_counts_sessions(rng):
    dates = pd.bdate_range("2021-01-01", periods=400)
    mkt = rng.normal(0, 0.01, 400)
    stock = 0.0002 + 1.2 * mkt + rng.normal(0, 0.012, 400)
    frame = pd.DataFrame({"S": stock, "MKT": mkt}, index=dates)
    frame.iloc[360:370, 0] = np.nan  # last ten estimation days missing
    events = pd.DataFrame({"event_id": ["e"], "ticker": ["S"], "date": [dates[380]]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = es.EventStudy(
            events,
            model=GarchModel("MKT"),
            returns=frame,
            calendar=None,
            estimation_window=(-300, -11),
            event_window=(-3, 3),
        ).fit()
    y, X = res.estimation_data("e")
    assert len(y) == 290 - 10
    fit = arch.arch_model(
        100 * y.to_numpy(), x=100 * X[["beta"]].to_numpy(), mean="LS", rescale=False
    ).fit(disp="off")
    # last valid estimation day is -21: event day d is d + 21 steps ahead
    path = np.asarray(fit.forecast(horizon=24, reindex=False, x=np.zeros((1, 24))).variance)[-1]
    np.testing.assert_allclose(res.ar["ar_se"] ** 2, path[np.arange(-3, 4) + 21 - 1] / 1e4)


def test_specification_errors(events):
    with pytest.raises(ModelSpecificationError, match="p must be an integer >= 1"):
        GarchModel(p=0)
    with pytest.raises(ModelSpecificationError, match="dist must be 'normal' or 't'"):
        GarchModel(dist="skewt")
    with pytest.raises(WindowError, match="must end before event_window"):
        es.EventStudy(events, model="garch", estimation_window=(20, 200), event_window=(-5, 5))
    assert get_model("garch", market="QQQ") == GarchModel("QQQ")
    assert es.models.GarchModel().k == 2
