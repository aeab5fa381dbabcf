"""EventStudy end to end: the Meta case, recovery, invariances, skipping, options."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import eventstudy as es
from eventstudy.exceptions import ClusteringWarning, SkippedEventsWarning


@pytest.fixture(scope="module")
def events():
    return es.datasets.load_events()


def one(events, event_id):
    return events[events["event_id"] == event_id]


def test_meta_q3_2025_selloff(events):
    res = es.EventStudy(
        one(events, "meta-q3-2025-earnings"),
        model=es.MarketModel("SPY"),
        estimation_window=(-250, -11),
        source="snapshot",
    ).fit()
    day0 = res.ar.query("rel_day == 0").iloc[0]
    assert day0["date"] == pd.Timestamp("2025-10-30")
    assert -0.13 < day0["ar"] < -0.09
    assert abs(day0["ar_t"]) > 4
    assert day0["ret"] == pytest.approx(664.2169 / 749.1289 - 1)


def test_all_project_events_run(events):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ClusteringWarning)
        res = es.EventStudy(events, source="snapshot").fit()
    assert res.n_events + len(res.skipped) == len(events)
    assert set(res.skipped.columns) == {"event_id", "ticker", "date", "day0", "reason"}
    assert "<table" in res._repr_html_() and "Market model" in str(res)


def test_factor_model_skips_events_beyond_factor_data(events):
    late = pd.DataFrame(
        {
            "event_id": ["late", "ok"],
            "ticker": ["META", "META"],
            "date": ["2026-08-27", "2025-10-29"],
            "time": ["bmo", "amc"],
        }
    )
    with pytest.warns(SkippedEventsWarning, match="1 of 2 events skipped"):
        res = es.EventStudy(late, model="ff3", source="snapshot").fit()
    assert res.skipped["event_id"].tolist() == ["late"]
    assert "missing returns or factors in the event window on 2026-09-01" in res.skipped.reason[0]
    assert res.events["event_id"].tolist() == ["ok"]


def synthetic_panel(rng, n_assets=20, n_days=600, abnormal=0.0, event_day=None):
    dates = pd.bdate_range("2020-01-01", periods=n_days)
    market = rng.normal(0.0003, 0.01, n_days)
    betas = rng.uniform(0.5, 1.5, n_assets)
    noise = rng.normal(0, 0.015, (n_days, n_assets))
    rets = 0.0002 + market[:, None] * betas[None, :] + noise
    frame = pd.DataFrame(rets, index=dates, columns=[f"S{i:02d}" for i in range(n_assets)])
    frame["MKT"] = market
    return frame


def test_recovers_injected_abnormal_return(rng):
    panel = synthetic_panel(rng)
    dates = panel.index
    event_pos = rng.integers(300, 580, size=20)
    for i, pos in enumerate(event_pos):
        panel.iloc[pos, i] += 0.03
    events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(20)],
            "ticker": panel.columns[:20],
            "date": dates[event_pos],
            "time": "bmo",
        }
    )
    res = es.EventStudy(
        events, model=es.MarketModel("MKT"), returns=panel, calendar=None, event_window=(-5, 5)
    ).fit()
    day0 = res.ar.query("rel_day == 0")["ar"]
    # mean AR within 3 standard errors of the injected 3%
    assert abs(day0.mean() - 0.03) < 3 * 0.015 / np.sqrt(20)
    other = res.ar.query("rel_day != 0")["ar"]
    assert abs(other.mean()) < 3 * 0.015 / np.sqrt(len(other))


def test_invariances(rng):
    panel = synthetic_panel(rng, n_assets=6)
    events = pd.DataFrame(
        {
            "event_id": list("abcdef"),
            "ticker": panel.columns[:6],
            "date": panel.index[[400, 420, 440, 460, 480, 500]],
            "time": "bmo",
        }
    )
    kw = dict(returns=panel, calendar=None, model=es.MarketModel("MKT"))
    res = es.EventStudy(events, **kw).fit()
    shuffled = es.EventStudy(events.iloc[::-1], **kw).fit()
    a = res.ar.set_index(["event_id", "rel_day"]).sort_index()
    b = shuffled.ar.set_index(["event_id", "rel_day"]).sort_index()
    pd.testing.assert_frame_equal(a, b)
    # column order of the panel does not matter
    swapped = es.EventStudy(events, **{**kw, "returns": panel[panel.columns[::-1]]}).fit()
    pd.testing.assert_frame_equal(res.ar, swapped.ar)
    # market-adjusted AR is exactly R - Rm
    ma = es.EventStudy(events, returns=panel, calendar=None, model=es.MarketAdjusted("MKT")).fit()
    day = ma.ar.iloc[0]
    assert day["ar"] == panel.loc[day["date"], "S00"] - panel.loc[day["date"], "MKT"]
    # a stock equal to the market has AR 0 under the market model
    twin = panel.assign(TWIN=panel["MKT"])
    ev = pd.DataFrame({"event_id": ["t"], "ticker": ["TWIN"], "date": [panel.index[450]]})
    from eventstudy.estimation import fit_ols

    m = panel["MKT"].to_numpy()[None, :]
    fit = fit_ols(m, m[:, :, None], np.ones_like(m, bool))
    assert fit.params[0] == pytest.approx([0.0, 1.0], abs=1e-12)
    assert np.nanmax(np.abs(fit.resid)) < 1e-15
    # ... and a study on it says why it cannot test anything (zero residual variance)
    with pytest.raises(es.EventStudyError, match="zero residual variance"):
        es.EventStudy(ev, returns=twin, calendar=None, model=es.MarketModel("MKT")).fit()


def test_twin_of_market_has_zero_ar_with_noise_elsewhere(rng):
    panel = synthetic_panel(rng, n_assets=2)
    panel["TWIN"] = panel["MKT"] * 1.0 + 1e-4 * rng.normal(size=len(panel)) * 0
    panel.iloc[:, 0] = panel["MKT"] + rng.normal(0, 1e-3, len(panel))
    ev = pd.DataFrame({"event_id": ["t"], "ticker": [panel.columns[0]], "date": [panel.index[450]]})
    res = es.EventStudy(ev, returns=panel, calendar=None, model=es.MarketModel("MKT")).fit()
    assert res.params.loc[0, "beta"] == pytest.approx(1.0, abs=0.01)
    assert res.ar["ar"].abs().max() < 5e-3


def test_skips_carry_reasons_and_good_events_are_unchanged(rng):
    panel = synthetic_panel(rng, n_assets=4)
    panel.iloc[100:400, 1] = np.nan  # S01 mostly missing
    dates = panel.index
    events = pd.DataFrame(
        {
            "event_id": ["good", "sparse", "early", "late", "ghost"],
            "ticker": ["S00", "S01", "S02", "S03", "NOPE"],
            "date": [dates[450], dates[450], dates[50], dates[595], dates[450]],
            "time": "bmo",
        }
    )
    with pytest.warns(SkippedEventsWarning, match="4 of 5"):
        res = es.EventStudy(events, returns=panel, calendar=None, model=es.MarketModel("MKT")).fit()
    reasons = res.skipped.set_index("event_id")["reason"]
    assert (
        reasons["sparse"].startswith("only 0 valid estimation returns of 240")
        or "valid estimation returns" in reasons["sparse"]
    )
    assert "before the first date of the data" in reasons["early"]
    assert "runs past the last date" in reasons["late"]
    assert reasons["ghost"] == "ticker NOPE is not in the returns data"
    alone = es.EventStudy(
        events.iloc[:1], returns=panel, calendar=None, model=es.MarketModel("MKT")
    ).fit()
    pd.testing.assert_frame_equal(res.ar, alone.ar)


def test_exclude_other_events_masks_estimation_days(events):
    earnings = events[events["kind"] == "earnings"]
    plain = es.EventStudy(earnings, source="snapshot").fit()
    masked = es.EventStudy(earnings, source="snapshot", exclude_other_events=1).fit()
    p = plain.params.set_index("event_id")
    m = masked.params.set_index("event_id")
    q3 = "meta-q3-2025-earnings"
    # four earlier earnings days (±1) fall inside its 240-day estimation window
    assert (
        m.loc[q3, "n_excluded"] > 0
        and m.loc[q3, "n_obs"] == p.loc[q3, "n_obs"] - m.loc[q3, "n_excluded"]
    )
    assert m.loc[q3, "sigma"] < p.loc[q3, "sigma"]


def test_fit_twice_is_bit_identical(events):
    a = es.EventStudy(one(events, "meta-q4-2025-earnings"), source="snapshot").fit()
    b = es.EventStudy(one(events, "meta-q4-2025-earnings"), source="snapshot").fit()
    pd.testing.assert_frame_equal(a.ar, b.ar, check_exact=True)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"model": "capm"}, es.EventStudyError, "model 'capm' is not known"),
        ({"estimation_window": (-11, -250)}, es.WindowError, "reversed"),
        ({"estimation_window": (-250, 0)}, es.WindowError, "overlaps event_window"),
        ({"event_window": (1.5, 2)}, es.WindowError, "pair of integers"),
        ({"min_estimation_obs": 500}, es.WindowError, "exceeds the estimation window"),
        ({"min_estimation_obs": 2}, es.EventStudyError, "too small"),
        ({"return_type": "pct"}, es.EventStudyError, "return_type"),
        ({"ar_variance": "hc3"}, es.EventStudyError, "ar_variance"),
        ({"exclude_other_events": -1}, es.EventStudyError, "exclude_other_events"),
        ({"returns": [1, 2]}, es.EventStudyError, "returns must be a DataFrame"),
        ({"calendar": "MOON"}, es.EventStudyError, "not a known exchange code"),
    ],
)
def test_bad_arguments(events, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        es.EventStudy(one(events, "meta-q3-2025-earnings"), **kwargs)


def test_market_missing_from_returns(rng):
    panel = synthetic_panel(rng, n_assets=2)
    ev = pd.DataFrame({"event_id": ["a"], "ticker": ["S00"], "date": [panel.index[450]]})
    with pytest.raises(es.EventStudyError, match="market column 'SPY' is not in the returns data"):
        es.EventStudy(ev, returns=panel, calendar=None).fit()


def test_user_returns_on_nyse_calendar(rng):
    """A user frame on business days: holidays are not sessions and are reported."""
    panel = synthetic_panel(rng, n_assets=2)
    ev = pd.DataFrame({"event_id": ["a"], "ticker": ["S00"], "date": ["2021-06-01"], "time": "amc"})
    with pytest.warns(es.MissingDataWarning, match="not sessions of the calendar"):
        res = es.EventStudy(ev, returns=panel, model=es.MarketModel("MKT")).fit()
    assert res.ar.query("rel_day == 0")["date"].item() == pd.Timestamp("2021-06-02")
