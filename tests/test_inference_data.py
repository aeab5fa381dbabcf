"""EventPanel validation, window CARs, the AAR/CAAR tables and clustered dates."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from eventstudy.exceptions import EventStudyError, WindowError
from eventstudy.inference import (
    AAR_COLUMNS,
    CAAR_COLUMNS,
    EventPanel,
    aar_table,
    caar_table,
    clustered_dates,
    simulate_panel,
    window_car,
    window_columns,
    window_label,
)


def tiny_panel(**overrides) -> EventPanel:
    """Three events, event window -1..1, four estimation days; numbers easy to add up."""
    fields = dict(
        event_ar=np.array([[0.01, 0.02, -0.01], [0.00, 0.03, 0.01], [-0.02, 0.01, np.nan]]),
        event_ar_var=np.full((3, 3), 1e-4),
        rel_days=np.array([-1, 0, 1]),
        est_ar=np.array(
            [[0.01, -0.01, 0.02, -0.02], [0.0, 0.01, -0.01, 0.0], [0.02, np.nan, -0.02, 0.0]]
        ),
        sigma=np.array([0.01, 0.01, 0.02]),
        n_obs=np.array([4, 4, 3]),
        k=1,
        event_dates=np.array(["2024-01-02", "2024-01-02", "2024-03-01"], dtype="datetime64[D]"),
    )
    fields.update(overrides)
    return EventPanel(**fields)


class TestEventPanel:
    def test_converts_and_exposes_sizes(self):
        panel = tiny_panel(n_obs=[4, 4, 3], sigma=[0.01, 0.01, 0.02])
        assert panel.n_events == 3
        assert panel.event_ar.dtype == float
        assert panel.n_obs.dtype == np.int64
        np.testing.assert_array_equal(panel.resid_df, [3, 3, 2])
        np.testing.assert_array_equal(panel.event_ids, [0, 1, 2])
        assert panel.event_dates.dtype == np.dtype("datetime64[ns]")

    def test_is_frozen(self):
        panel = tiny_panel()
        with pytest.raises(dataclasses.FrozenInstanceError):
            panel.k = 3  # type: ignore[misc]

    @pytest.mark.parametrize(
        ("overrides", "match"),
        [
            ({"event_ar_var": np.ones((3, 2))}, "event_ar_var"),
            ({"est_ar": np.ones((2, 4))}, "est_ar"),
            ({"sigma": np.ones(2)}, "sigma"),
            ({"n_obs": [4, -1, 3]}, "n_obs"),
            ({"rel_days": np.array([-1, 1, 2])}, "consecutive"),
            ({"rel_days": np.array([-1.0, 0.0, 1.0])}, "rel_days"),
            ({"k": -1}, "k must"),
            ({"k": 1.5}, "k must"),
            ({"event_dates": np.array(["2024-01-02"], dtype="datetime64[D]")}, "event_dates"),
            ({"car_var_fn": 3}, "callable"),
            ({"event_ids": ["a", "b"]}, "event_ids"),
            ({"event_ar": np.ones(3)}, "2-D"),
            ({"event_ar": [["x", "y", "z"]] * 3}, "numeric"),
        ],
    )
    def test_rejects_malformed_input(self, overrides, match):
        with pytest.raises(EventStudyError, match=match):
            tiny_panel(**overrides)


class TestWindows:
    def test_window_columns(self):
        panel = tiny_panel()
        np.testing.assert_array_equal(window_columns(panel, (0, 1)), [1, 2])
        np.testing.assert_array_equal(window_columns(panel, (-1, -1)), [0])

    @pytest.mark.parametrize("window", [(1, 0), (-2, 0), (0, 2), (0.5, 1), ("a", 1), (0,)])
    def test_bad_window_raises_window_error(self, window):
        with pytest.raises(WindowError):
            window_columns(tiny_panel(), window)

    def test_window_error_is_an_eventstudy_error(self):
        with pytest.raises(EventStudyError, match="outside the event window"):
            window_car(tiny_panel(), (-5, 0))

    def test_labels(self):
        assert window_label((-1, 1)) == "(-1, +1)"
        assert window_label((0, 5)) == "(+0, +5)"

    def test_car_sums_by_hand_and_propagates_missing(self):
        car, var = window_car(tiny_panel(), (-1, 1))
        np.testing.assert_allclose(car[:2], [0.02, 0.04])
        assert np.isnan(car[2])
        np.testing.assert_allclose(var, [3e-4, 3e-4, 3e-4])  # fallback: sum of daily variances

    def test_car_var_fn_is_used_when_given(self):
        calls = []

        def fn(a, b):
            calls.append((a, b))
            return np.array([1.0, 2.0, 3.0]) * (b - a + 1)

        _, var = window_car(tiny_panel(car_var_fn=fn), (0, 1))
        assert calls == [(0, 1)]
        np.testing.assert_allclose(var, [2.0, 4.0, 6.0])

    def test_car_var_fn_with_wrong_shape_raises(self):
        panel = tiny_panel(car_var_fn=lambda a, b: np.ones(2))
        with pytest.raises(EventStudyError, match="car_var_fn"):
            window_car(panel, (0, 0))

    def test_simulated_car_var_includes_parameter_covariances(self):
        panel = simulate_panel(n_events=5, n_est=30, seed=3)
        _, full = window_car(panel, (-3, 3))
        diag = panel.event_ar_var[:, 7:14].sum(axis=1)
        assert np.all(full > diag)  # positive off-diagonal estimation-error terms


class TestAarTable:
    def test_columns_and_values_against_scipy(self):
        panel = simulate_panel(n_events=12, seed=4)
        tab = aar_table(panel, level=0.9)
        assert tuple(tab.columns) == AAR_COLUMNS
        assert tab["rel_day"].tolist() == list(range(-10, 11))
        for j, row in enumerate(tab.itertuples()):
            x = panel.event_ar[:, j]
            res = stats.ttest_1samp(x, 0.0)
            ci = res.confidence_interval(0.9)
            assert row.aar == pytest.approx(x.mean())
            assert row.aar_se == pytest.approx(stats.sem(x))
            assert row.t_stat == pytest.approx(res.statistic)
            assert row.p_value == pytest.approx(res.pvalue)
            assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high))
            assert row.n == 12
        np.testing.assert_allclose(tab["caar"], np.cumsum(panel.event_ar.mean(axis=0)))

    def test_missing_day_uses_present_events_and_small_n_gives_nan(self):
        tab = aar_table(tiny_panel())
        last = tab.iloc[-1]
        assert last["n"] == 2
        assert last["aar"] == pytest.approx(0.0)
        ar = np.full((3, 3), np.nan)
        ar[0] = [0.01, np.nan, 0.0]
        single = aar_table(tiny_panel(event_ar=ar))
        assert single["n"].tolist() == [1, 0, 1]
        assert single["aar_se"].isna().all()
        assert np.isnan(single.loc[1, "aar"])

    @pytest.mark.parametrize("level", [0, 1, 1.5, "0.9", True])
    def test_bad_level(self, level):
        with pytest.raises(EventStudyError, match="level"):
            aar_table(tiny_panel(), level=level)


class TestCaarTable:
    def test_one_row_against_scipy(self):
        panel = simulate_panel(n_events=15, seed=5)
        tab = caar_table(panel, (-2, 3), level=0.95)
        assert tuple(tab.columns) == CAAR_COLUMNS
        assert len(tab) == 1
        row = tab.iloc[0]
        car = panel.event_ar[:, 8:14].sum(axis=1)
        res = stats.ttest_1samp(car, 0.0)
        ci = res.confidence_interval(0.95)
        assert row["window"] == "(-2, +3)"
        assert row["caar"] == pytest.approx(car.mean())
        assert row["caar_se"] == pytest.approx(stats.sem(car))
        assert row["t_stat"] == pytest.approx(res.statistic)
        assert row["p_value"] == pytest.approx(res.pvalue)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
        assert row["n"] == 15

    def test_incomplete_window_excludes_event(self):
        row = caar_table(tiny_panel(), (-1, 1)).iloc[0]
        assert row["n"] == 2
        assert row["caar"] == pytest.approx(0.03)
        # by hand: CARs 0.02 and 0.04, s = 0.01414, se = 0.01
        assert row["caar_se"] == pytest.approx(0.01)
        assert row["t_stat"] == pytest.approx(3.0)

    def test_bad_window(self):
        with pytest.raises(WindowError):
            caar_table(tiny_panel(), (-3, 1))


class TestClusteredDates:
    def test_shared_dates_counted(self):
        out = clustered_dates(tiny_panel())
        assert out.name == "n_events"
        assert out.index.name == "date"
        assert out.to_dict() == {pd.Timestamp("2024-01-02"): 2}

    def test_time_zone_aware_dates_keep_their_session_date(self):
        dates = pd.DatetimeIndex(["2024-01-02", "2024-01-02", "2024-01-03"], tz="America/New_York")
        out = clustered_dates(tiny_panel(event_dates=dates))
        assert out.to_dict() == {pd.Timestamp("2024-01-02"): 2}

    def test_unparseable_dates_raise(self):
        with pytest.raises(EventStudyError, match="event_dates must be dates"):
            tiny_panel(event_dates=["x", "y", "z"])

    def test_no_cluster_gives_empty_series(self):
        dates = np.array(["2024-01-02", "2024-01-03", "NaT"], dtype="datetime64[D]")
        out = clustered_dates(tiny_panel(event_dates=dates))
        assert out.empty
        assert out.dtype == np.int64

    def test_several_clusters_sorted(self):
        dates = np.array(["2024-05-02", "2024-01-03", "2024-05-02"] * 2, dtype="datetime64[D]")
        panel = simulate_panel(n_events=6, seed=0)
        panel = dataclasses.replace(panel, event_dates=dates)
        out = clustered_dates(panel)
        assert list(out.index) == [pd.Timestamp("2024-01-03"), pd.Timestamp("2024-05-02")]
        assert out.tolist() == [2, 4]
