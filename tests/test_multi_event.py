"""res.caar / res.aar / res.test on a fitted study, against direct computations."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats

import eventstudy as es


@pytest.fixture(scope="module")
def res():
    events = es.datasets.load_events()
    earnings = events[events["kind"] == "earnings"].copy()
    earnings["group"] = np.where(earnings["date"] >= "2025-01-01", "2025+", "2024")
    return es.EventStudy(earnings, source="snapshot").fit()


def test_caar_is_the_mean_car_with_cross_sectional_t(res):
    car = res.car((-1, 1))["car"].to_numpy()
    row = res.caar((-1, 1)).iloc[0]
    ref = stats.ttest_1samp(car, 0.0)
    assert row["caar"] == pytest.approx(car.mean())
    assert row["t_stat"] == pytest.approx(ref.statistic)
    assert row["p_value"] == pytest.approx(ref.pvalue)
    assert row["n"] == len(car)


def test_patell_from_the_study_matches_a_direct_computation(res):
    car = res.car((-1, 1))
    scar = (car["car"] / car["car_se"]).to_numpy()  # prediction-error standardised CARs
    df = res.params["df"].to_numpy()
    z = scar.sum() / np.sqrt((df / (df - 2)).sum())
    row = res.test((-1, 1), "patell").iloc[0]
    assert row["statistic"] == pytest.approx(z)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_battery_rows_and_options(res):
    frame = res.test((0, 0))
    assert len(frame) == 12 and frame["reason"].isna().all()
    assert set(frame["window"]) == {"(+0, +0)"}
    sigma = res.test((0, 0), "bmp", bmp_standardize="sigma").iloc[0]
    pred = res.test((0, 0), "bmp").iloc[0]
    assert sigma["statistic"] != pred["statistic"]
    with pytest.raises(es.EventStudyError, match="unknown test 'magic'"):
        res.test((0, 0), "magic")


def test_aar_and_daily_tests(res):
    aar = res.aar()
    day0 = res.ar.query("rel_day == 0")["ar"]
    assert aar.set_index("rel_day").loc[0, "aar"] == pytest.approx(day0.mean())
    assert aar["caar"].iloc[-1] == pytest.approx(res.car()["car"].mean())
    daily = res.test_aar(["csect_t"], days=[0, 1])
    assert daily["rel_day"].tolist() == [0, 1]


def test_by_group(res):
    frame = res.caar((-1, 1), by="group")
    assert list(frame["group"]) == ["2024", "2025+"]
    cars = res.car((-1, 1)).merge(res.events[["event_id", "group"]], on="event_id")
    for row in frame.itertuples():
        assert row.caar == pytest.approx(cars.loc[cars.group == row.group, "car"].mean())
    tests = res.test((-1, 1), ["csect_t"], by="group")
    assert len(tests) == 2
    with pytest.raises(es.EventStudyError, match="by='sector' is not a column"):
        res.caar(by="sector")


def test_single_event_battery_gives_reasons_not_errors():
    events = es.datasets.load_events()
    one = events[events["event_id"] == "meta-q3-2025-earnings"]
    res = es.EventStudy(one, source="snapshot").fit()
    frame = res.test((-1, 1))
    assert frame.loc[frame.test == "csect_t", "reason"].item()
    assert np.isnan(frame.loc[frame.test == "csect_t", "statistic"].item())


def test_clustering_warning_on_shared_dates():
    events = es.datasets.load_events()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        es.EventStudy(events, source="snapshot").fit()
    assert any(issubclass(w.category, es.ClusteringWarning) for w in caught)


def test_average_correlation_fast_path_equals_corrcoef(rng):
    from eventstudy.inference import average_correlation

    x = rng.normal(size=(40, 60)) + 0.4 * rng.normal(size=(1, 60))
    r = np.corrcoef(x)[np.triu_indices(40, 1)]
    rbar, pairs = average_correlation(x)
    assert rbar == pytest.approx(r.mean(), abs=1e-12) and pairs == 40 * 39 // 2
    x[3, 5] = np.nan  # one missing value: the pairwise-complete path
    rows = [i for i in range(40) if i != 3]
    assert average_correlation(x)[1] == pairs
    assert average_correlation(x[rows])[0] == pytest.approx(
        np.corrcoef(x[rows])[np.triu_indices(39, 1)].mean(), abs=1e-12
    )
