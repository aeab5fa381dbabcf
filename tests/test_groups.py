"""Groups: labels, and the two-group difference tests checked against scipy."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import eventstudy as es
from eventstudy.exceptions import EventStudyError
from eventstudy.groups import compare_groups, group_labels, rank_sum_test, welch_t_test


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_welch_matches_scipy(rng, alternative):
    a, b = rng.normal(0.02, 0.03, 12), rng.normal(0.0, 0.05, 7)
    ours = welch_t_test(a, b, alternative=alternative)
    ref = stats.ttest_ind(a, b, equal_var=False, alternative=alternative)
    assert ours.stat == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert ours.df == pytest.approx(ref.df, rel=1e-12)
    assert ours.details["difference"] == pytest.approx(a.mean() - b.mean())


@pytest.mark.parametrize("sizes", [(5, 6), (15, 11)])
@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_rank_sum_matches_scipy(rng, sizes, alternative):
    a, b = rng.normal(0.01, 0.02, sizes[0]), rng.normal(0.0, 0.02, sizes[1])
    ours = rank_sum_test(a, b, alternative=alternative)
    ref = stats.mannwhitneyu(a, b, alternative=alternative)  # scipy's own "auto" method
    assert ours.stat == pytest.approx(ref.statistic)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    # W_a by hand: ranks of group a in the pooled sample
    pooled = np.concatenate([a, b])
    w = sum(int((pooled <= x).sum()) for x in a)
    assert ours.details["rank_sum_a"] == w
    assert ours.details["z"] == pytest.approx(stats.ranksums(a, b).statistic, rel=1e-10)


def test_rank_sum_with_ties_uses_the_normal_approximation():
    a, b = [0.01, 0.02, 0.02, 0.03], [0.02, 0.0, -0.01]
    ours = rank_sum_test(a, b)
    ref = stats.mannwhitneyu(a, b, method="asymptotic")
    assert ours.details["method"] == "asymptotic"
    assert ours.pvalue == pytest.approx(ref.pvalue)


def test_invalid_results_carry_a_reason():
    res = welch_t_test([0.1], [0.2, 0.3])
    assert not res.valid and "at least 2 events per group" in res.reason
    assert np.isnan(res.stat)
    assert not welch_t_test([1.0, 1.0], [2.0, 2.0]).valid
    assert not rank_sum_test([], [1.0]).valid
    with pytest.raises(EventStudyError, match="alternative must be"):
        welch_t_test([1.0, 2.0], [1.0, 3.0], alternative="bigger")


def test_group_labels_sources():
    ev = pd.DataFrame({"event_id": ["a", "b", "c"], "group": ["x", "y", "x"]})
    assert group_labels(ev).tolist() == ["x", "y", "x"]
    assert group_labels(ev, pd.Series({"c": 3, "a": 1, "b": 2})).tolist() == [1, 2, 3]
    assert group_labels(ev, ["p", "q", "p"]).tolist() == ["p", "q", "p"]
    with pytest.raises(EventStudyError, match="by='size' is not a column"):
        group_labels(ev, "size")
    with pytest.raises(EventStudyError, match="no group for event"):
        group_labels(ev, {"a": 1})
    with pytest.raises(EventStudyError, match="by has 2 labels but there are 3 events"):
        group_labels(ev, ["p", "q"])


@pytest.fixture(scope="module")
def grouped():
    """Synthetic study with a +3% day-0 shock in group 'hit' and none in 'miss'."""
    rng = np.random.default_rng(8)
    dates = pd.bdate_range("2020-01-01", periods=500)
    mkt = rng.normal(0.0003, 0.01, 500)
    frame = pd.DataFrame(
        {f"S{i:02d}": 0.8 * mkt + rng.normal(0, 0.01, 500) for i in range(16)}, index=dates
    )
    frame["MKT"] = mkt
    pos = rng.integers(300, 480, 16)
    group = np.where(np.arange(16) < 8, "hit", "miss")
    for i in range(8):
        frame.iloc[pos[i], i] += 0.03
    events = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(16)],
            "ticker": frame.columns[:16],
            "date": dates[pos],
            "group": group,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = es.EventStudy(
            events, model=es.MarketModel("MKT"), returns=frame, calendar=None, event_window=(-3, 3)
        ).fit()
    return res


def test_compare_groups_on_a_study(grouped):
    out = compare_groups(grouped, (0, 0), by="group", groups=("hit", "miss"))
    assert out["test"].tolist() == ["welch_t", "rank_sum"]
    assert (out["p_value"] < 0.01).all()
    car = grouped.car((0, 0))
    hit = (grouped.events["group"] == "hit").to_numpy()
    ref = stats.ttest_ind(car["car"][hit], car["car"][~hit], equal_var=False)
    assert out["statistic"].iloc[0] == pytest.approx(ref.statistic)
    assert out["difference"].iloc[0] == pytest.approx(
        car["car"][hit].mean() - car["car"][~hit].mean()
    )
    scar = compare_groups(grouped, (0, 0), measure="scar")
    assert scar["measure"].eq("scar").all() and scar["group_a"].iloc[0] == "hit"
    assert (scar["p_value"] < 0.01).all()


def test_compare_groups_errors(grouped):
    with pytest.raises(EventStudyError, match="group 'other' is not among the labels"):
        compare_groups(grouped, (0, 0), groups=("hit", "other"))
    with pytest.raises(EventStudyError, match="by gives 3 group"):
        compare_groups(grouped, (0, 0), by=[f"g{i % 3}" for i in range(16)])
    with pytest.raises(EventStudyError, match="measure must be"):
        compare_groups(grouped, (0, 0), measure="bhar")


def test_by_group_in_caar_and_test_when_available(grouped):
    if not hasattr(grouped, "caar"):
        pytest.skip("res.caar is not wired yet")
    caar = grouped.caar((0, 0), by="group")
    assert caar["group"].tolist() == ["hit", "miss"]
    assert caar["caar"].iloc[0] > 0.02 and abs(caar["caar"].iloc[1]) < 0.01
    mapping = dict(zip(grouped.events["event_id"], grouped.events["group"]))
    pd.testing.assert_frame_equal(grouped.caar((0, 0), by=mapping), caar)
    tests = grouped.test((0, 0), ["csect_t"], by="group")
    assert tests["group"].tolist() == ["hit", "miss"] and tests["p_value"].iloc[0] < 0.01
    method = grouped.compare_groups((0, 0), groups=("hit", "miss"))
    pd.testing.assert_frame_equal(method, compare_groups(grouped, (0, 0), groups=("hit", "miss")))
