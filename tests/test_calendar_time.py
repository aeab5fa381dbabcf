"""Calendar-time portfolios: composition by hand, alpha recovered on simulated drift."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import eventstudy as es
from eventstudy.calendar_time import calendar_time_portfolio
from eventstudy.exceptions import EventStudyError, MissingDataWarning, WindowError

DRIFT = 0.002  # abnormal return per day during the holding period


def simulate(rng, n_firms=40, n_days=700, drift=DRIFT, n_events=120):
    dates = pd.bdate_range("2018-01-01", periods=n_days)
    f = pd.DataFrame(
        {
            "mkt_rf": rng.normal(0.0004, 0.01, n_days),
            "smb": rng.normal(0.0, 0.005, n_days),
            "hml": rng.normal(0.0, 0.005, n_days),
            "rf": np.full(n_days, 0.0001),
        },
        index=dates,
    )
    loadings = rng.uniform([0.6, -0.5, -0.5], [1.4, 0.5, 0.5], (n_firms, 3))
    noise = rng.normal(0, 0.015, (n_days, n_firms))
    excess = f[["mkt_rf", "smb", "hml"]].to_numpy() @ loadings.T + noise
    tickers = [f"F{i:02d}" for i in range(n_firms)]
    firm = rng.integers(0, n_firms, n_events)
    pos = rng.integers(10, n_days - 40, n_events)
    for i, p in zip(firm, pos):
        excess[p + 1 : p + 21, i] += drift
    returns = pd.DataFrame(excess + f[["rf"]].to_numpy(), index=dates, columns=tickers)
    events = pd.DataFrame(
        {
            "event_id": [f"e{k}" for k in range(n_events)],
            "ticker": [tickers[i] for i in firm],
            "date": dates[pos],
        }
    )
    return events, returns, f


@pytest.fixture(scope="module")
def sim():
    return simulate(np.random.default_rng(2000))


def test_recovers_known_drift(sim):
    events, returns, factors = sim
    ct = calendar_time_portfolio(
        events, returns=returns, factors=factors, holding=(1, 20), model="ff3", calendar=None
    )
    assert ct.alpha == pytest.approx(DRIFT, abs=3 * ct.alpha_se)
    assert ct.alpha_t > 4
    assert ct.n_events == len(events) and ct.skipped.empty
    assert ct.fit.params[["mkt_rf", "smb", "hml"]].between(-1.0, 2.0).all()
    null = calendar_time_portfolio(
        events, returns=returns, factors=factors, holding=(25, 45), model="ff3", calendar=None
    )
    assert abs(null.alpha_t) < 3


def test_regression_matches_statsmodels_on_the_portfolio(sim):
    events, returns, factors = sim
    ct = calendar_time_portfolio(
        events, returns=returns, factors=factors, holding=(1, 20), model="capm", calendar=None,
        cov_type="HAC", cov_kwds={"maxlags": 5},
    )  # fmt: skip
    p = ct.portfolio
    ref = sm.OLS(p["excess"], sm.add_constant(p[["mkt_rf"]])).fit(
        cov_type="HAC", cov_kwds={"maxlags": 5}
    )
    assert ct.alpha == pytest.approx(ref.params["const"], rel=1e-12)
    assert ct.alpha_se == pytest.approx(ref.bse["const"], rel=1e-12)
    assert list(ct.conf_int().columns) == ["lower", "upper"]
    assert "alpha" in str(ct) and "<table" in ct._repr_html_()


def test_composition_by_hand():
    dates = pd.bdate_range("2021-03-01", periods=12)
    r = pd.DataFrame({"A": np.arange(12) / 100, "B": -np.arange(12) / 200, "C": 0.01}, index=dates)
    f = pd.DataFrame({"mkt_rf": np.linspace(-0.01, 0.01, 12), "rf": 0.0}, index=dates)
    ev = pd.DataFrame(
        {
            "event_id": ["a1", "a2", "b1"],
            "ticker": ["A", "A", "B"],
            "date": [dates[1], dates[3], dates[2]],
        }
    )
    ct = calendar_time_portfolio(
        ev, returns=r, factors=f, holding=(1, 3), model="capm", calendar=None
    )
    # A held on rows 2..6 once (overlapping a1, a2), B on rows 3..5
    port = ct.portfolio
    assert port.index.tolist() == list(dates[2:7])
    assert port["n_firms"].tolist() == [1, 2, 2, 2, 1]
    expected = [0.02, (0.03 - 0.015) / 2, (0.04 - 0.02) / 2, (0.05 - 0.025) / 2, 0.06]
    np.testing.assert_allclose(port["ret"], expected)
    caps = pd.DataFrame({"A": 3.0, "B": 1.0, "C": 1.0}, index=dates)
    vw = calendar_time_portfolio(
        ev, returns=r, factors=f, holding=(1, 3), model="capm", calendar=None,
        weighting="value", weights=caps,
    )  # fmt: skip
    np.testing.assert_allclose(vw.portfolio["ret"].iloc[1], (3 * 0.03 - 0.015) / 4)
    two = calendar_time_portfolio(
        ev, returns=r, factors=f, holding=(1, 3), model="capm", calendar=None, min_firms=2
    )
    assert two.portfolio.index.tolist() == list(dates[3:6])


def test_value_weights_missing_warn(sim):
    events, returns, factors = sim
    caps = pd.DataFrame(1.0, index=returns.index, columns=returns.columns)
    caps.iloc[:, 0] = np.nan
    with pytest.warns(MissingDataWarning, match="without a positive weight"):
        vw = calendar_time_portfolio(
            events, returns=returns, factors=factors, model="ff3", calendar=None,
            weighting="value", weights=caps,
        )  # fmt: skip
    assert vw.n_missing_weights > 0


def test_monthly_compounds_the_daily_series(sim):
    events, returns, factors = sim
    daily = calendar_time_portfolio(
        events, returns=returns, factors=factors, model="ff3", calendar=None
    )
    monthly = calendar_time_portfolio(
        events, returns=returns, factors=factors, model="ff3", calendar=None, frequency="monthly"
    )
    d = daily.portfolio
    first = d[d.index.to_period("M") == d.index[0].to_period("M")]
    assert monthly.portfolio["ret"].iloc[0] == pytest.approx(np.prod(1 + first["ret"]) - 1)
    gross = np.prod(1 + first["mkt_rf"] + first["rf"]) - np.prod(1 + first["rf"])
    assert monthly.portfolio["mkt_rf"].iloc[0] == pytest.approx(gross)
    assert monthly.alpha > 0 and monthly.frequency == "monthly"
    assert monthly.alpha_annualized == pytest.approx(12 * monthly.alpha)


def test_skipped_events_have_reasons(sim):
    events, returns, factors = sim
    extra = pd.DataFrame(
        {
            "event_id": ["zz", "late"],
            "ticker": ["NOPE", "F01"],
            "date": ["2018-06-01", "2030-01-02"],
        }
    )
    ct = calendar_time_portfolio(
        pd.concat([events, extra]), returns=returns, factors=factors, calendar=None
    )
    reasons = ct.skipped.set_index("event_id")["reason"]
    assert reasons["zz"] == "ticker NOPE is not in the returns data"
    assert "is outside the returns data" in reasons["late"]


def test_bundled_meta_earnings_runs_offline():
    ev = es.datasets.load_events()
    ct = es.calendar_time_portfolio(ev[ev["kind"] == "earnings"], holding=(1, 20), model="ff3")
    assert ct.n_events == 11 and np.isfinite(ct.alpha_t)
    assert ct.portfolio["n_firms"].max() == 1


@pytest.mark.parametrize(
    "kwargs, error, fragment",
    [
        (dict(holding=(5, 1)), WindowError, "reversed"),
        (dict(holding=3), WindowError, "pair of integers"),
        (dict(model="ff7"), EventStudyError, "model 'ff7' is not known"),
        (dict(model=["mkt_rf", "rf"]), EventStudyError, "other than 'rf'"),
        (dict(weighting="value"), EventStudyError, "needs weights="),
        (dict(frequency="weekly"), EventStudyError, "frequency must be"),
        (dict(min_firms=0), EventStudyError, "min_firms must be"),
    ],
)
def test_bad_arguments(sim, kwargs, error, fragment):
    events, returns, factors = sim
    with pytest.raises(error, match=fragment):
        calendar_time_portfolio(events, returns=returns, factors=factors, calendar=None, **kwargs)


def test_too_few_periods(sim):
    events, returns, factors = sim
    with pytest.raises(EventStudyError, match="period"):
        calendar_time_portfolio(
            events.iloc[:1], returns=returns, factors=factors, holding=(1, 2), calendar=None
        )
