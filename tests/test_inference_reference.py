"""Every multi-event test against independently computed reference values.

``tests/reference/make_inference_reference.py`` fits small market-model
studies with statsmodels and recomputes each statistic from its formula with
loops, pandas and scipy; the values are stored in
``tests/reference/inference_reference.json``. A ``Check...`` mixin compares
one scenario (case, window, convention options) with them; each subclass
sets one scenario, as statsmodels' ``CheckRegressionResults`` does.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from eventstudy.inference import TESTS, EventPanel, compute_tests, run_tests

REF_DIR = Path(__file__).resolve().parent / "reference"
REFERENCE = json.loads((REF_DIR / "inference_reference.json").read_text())
RTOL = 1e-9


def _arr(values) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)


def panel_from_case(case: dict) -> EventPanel:
    """Rebuild an EventPanel from the stored inputs (car variances per stored window)."""
    car_var = {
        tuple(int(v) for v in key.split(",")): np.array(vals, dtype=float)
        for key, vals in case["car_var"].items()
    }
    return EventPanel(
        event_ar=_arr(case["event_ar"]),
        event_ar_var=_arr(case["event_ar_var"]),
        rel_days=np.array(case["rel_days"]),
        est_ar=_arr(case["est_ar"]),
        sigma=np.array(case["sigma"]),
        n_obs=np.array(case["n_obs"]),
        k=case["k"],
        event_dates=np.array(case["event_dates"], dtype="datetime64[D]"),
        car_var_fn=lambda a, b: car_var[(a, b)],
    )


class CheckInference:
    """Compare every registered test on one scenario with the reference values."""

    scenario: int

    @classmethod
    def setup_class(cls) -> None:
        spec = REFERENCE["scenarios"][cls.scenario]
        cls.options = spec["options"]
        cls.window = tuple(spec["window"])
        cls.expected = spec["expected"]
        cls.panel = panel_from_case(REFERENCE["cases"][spec["case"]])
        cls.results = compute_tests(
            cls.panel, cls.window, n_boot=REFERENCE["n_boot"], **cls.options
        )

    def check(self, name: str) -> None:
        res, ref = self.results[name], self.expected[name]
        assert res.valid, res.reason
        np.testing.assert_allclose(res.stat, ref["stat"], rtol=RTOL, atol=1e-12)
        np.testing.assert_allclose(res.pvalue, ref["pvalue"], rtol=1e-7, atol=1e-12)
        assert res.n == ref["n"]
        if ref["df"] is None:
            assert res.df is None
        else:
            assert res.df == ref["df"]

    def test_csect_t(self):
        self.check("csect_t")

    def test_patell(self):
        self.check("patell")

    def test_bmp(self):
        self.check("bmp")
        assert self.results["bmp"].details["standardize"] == self.options["bmp_standardize"]

    def test_kolari_pynnonen(self):
        self.check("kolari_pynnonen")
        np.testing.assert_allclose(
            self.results["kolari_pynnonen"].details["rbar"],
            self.expected["kolari_pynnonen"]["rbar"],
            rtol=RTOL,
        )

    def test_skewness_t(self):
        self.check("skewness_t")

    def test_crude_dependence(self):
        self.check("crude_dependence")

    def test_sign(self):
        self.check("sign")

    def test_generalized_sign(self):
        self.check("generalized_sign")
        np.testing.assert_allclose(
            self.results["generalized_sign"].details["p_hat"],
            self.expected["generalized_sign"]["p_hat"],
            rtol=RTOL,
        )

    def test_corrado(self):
        self.check("corrado")

    def test_grank(self):
        self.check("grank")
        np.testing.assert_allclose(
            self.results["grank"].details["z"], self.expected["grank"]["z"], rtol=RTOL
        )

    def test_wilcoxon(self):
        self.check("wilcoxon")

    def test_bootstrap(self):
        self.check("bootstrap")
        res, ref = self.results["bootstrap"], self.expected["bootstrap"]
        np.testing.assert_allclose(res.details["ci_low"], ref["ci_low"], rtol=RTOL)
        np.testing.assert_allclose(res.details["ci_high"], ref["ci_high"], rtol=RTOL)

    def test_every_registered_test_is_checked(self):
        assert set(self.expected) == set(TESTS)

    def test_frame_matches_objects(self):
        frame = run_tests(self.panel, self.window, n_boot=REFERENCE["n_boot"], **self.options)
        assert frame["reason"].isna().all()
        for row in frame.itertuples():
            np.testing.assert_allclose(row.statistic, self.expected[row.test]["stat"], rtol=RTOL)


class TestCleanDefault(CheckInference):
    """[-1, +1], prediction-standardized BMP, rank scale T, exact sign p-values."""

    scenario = 0


class TestCleanAlternativeConventions(CheckInference):
    """[-1, +1], sigma-standardized BMP, rank scale T-1, normal sign p-values."""

    scenario = 1


class TestCleanEventDay(CheckInference):
    """Day 0 alone: the AAR versions of the tests."""

    scenario = 2


class TestCleanWideWindowSigma(CheckInference):
    """[-2, +2] with sigma-standardized BMP."""

    scenario = 3


class TestMissingWideWindow(CheckInference):
    """Missing estimation returns and an event without day +2 (excluded from [-2, +2])."""

    scenario = 4

    def test_event_excluded(self):
        for res in self.results.values():
            assert res.details["n_excluded"] == 1


class TestMissingEventDayAlternative(CheckInference):
    """Missing estimation returns, day 0, the alternative conventions."""

    scenario = 5


def test_reference_file_is_current():
    """Re-running the script reproduces the stored values (guards against stale JSON)."""
    spec = importlib.util.spec_from_file_location(
        "make_inference_reference", REF_DIR / "make_inference_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module._to_json(module.build())
    for old, new in zip(REFERENCE["scenarios"], fresh["scenarios"]):
        for name, values in old["expected"].items():
            for key, value in values.items():
                if value is None:
                    assert new["expected"][name][key] is None
                else:
                    assert new["expected"][name][key] == pytest.approx(value, rel=1e-12)


def test_corrado_equals_original_rank_formula():
    """Without missing values the scaled-rank statistic is Corrado's K-statistic."""
    case = REFERENCE["cases"]["clean"]
    panel = panel_from_case(case)
    est, ev = _arr(case["est_ar"]), _arr(case["event_ar"])
    x = np.concatenate([est, ev], axis=1)
    n, width = x.shape
    ranks = np.empty_like(x)
    for i in range(n):  # no ties: rank = 1 + number of smaller values
        for t in range(width):
            ranks[i, t] = 1 + np.sum(x[i] < x[i, t])
    dev = ranks.mean(axis=0) - (width + 1) / 2
    s_k = np.sqrt(np.sum(dev**2) / width)
    day0 = est.shape[1] + list(case["rel_days"]).index(0)
    expected = dev[day0] / s_k
    got = compute_tests(panel, (0, 0), ["corrado"])["corrado"].stat
    np.testing.assert_allclose(got, expected, rtol=1e-12)
