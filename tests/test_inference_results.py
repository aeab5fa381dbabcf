"""TestResult / InvalidTestResult: attributes, tidy row and display."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.iolib.summary import Summary

from eventstudy.inference import (
    ROW_COLUMNS,
    InvalidTestResult,
    TestResult,
    csect_t_test,
    patell_test,
    simulate_panel,
)


@pytest.fixture(scope="module")
def valid() -> TestResult:
    return patell_test(simulate_panel(n_events=20, seed=0), (-1, 1))


@pytest.fixture(scope="module")
def invalid() -> InvalidTestResult:
    return csect_t_test(simulate_panel(n_events=1, seed=0), (0, 0))


def test_valid_attributes(valid):
    assert valid.test == "patell"
    assert valid.name == "Patell Z"
    assert valid.valid and valid.reason is None
    assert valid.null == "CAAR[-1, +1] = 0"
    assert valid.dist_name == "N(0, 1)"
    assert valid.df is None
    assert valid.n == 20
    assert valid.alternative == "two-sided"
    assert "Patell (1976)" in valid.reference
    assert isinstance(valid.stat, float) and 0 <= valid.pvalue <= 1
    assert {"mean_scar", "variance_factor", "n_excluded"} <= set(valid.details)


def test_invalid_attributes(invalid):
    assert isinstance(invalid, TestResult)  # same interface
    assert not invalid.valid
    assert math.isnan(invalid.stat) and math.isnan(invalid.pvalue)
    assert invalid.reason == "needs at least 2 events with a complete window, got 1"
    assert invalid.n == 1


def test_to_row(valid, invalid):
    row = valid.to_row()
    assert tuple(row) == ROW_COLUMNS
    assert row["test"] == "patell" and row["reason"] is None
    assert row["statistic"] == valid.stat and row["p_value"] == valid.pvalue
    assert np.isnan(row["df"])
    bad = invalid.to_row()
    assert tuple(bad) == ROW_COLUMNS
    assert np.isnan(bad["statistic"]) and np.isnan(bad["p_value"])
    assert bad["reason"].startswith("needs at least 2")


def test_summary_is_statsmodels_summary(valid):
    smry = valid.summary()
    assert isinstance(smry, Summary)
    text = smry.as_text()
    for piece in ("Patell Z", "Null hypothesis:", "CAAR[-1, +1] = 0", "P-value:", "Reference:"):
        assert piece in text
    assert f"{valid.stat:.4f}" in text


def test_display(valid, invalid):
    assert str(valid) == valid.summary().as_text()
    assert valid._repr_html_() == valid.summary().as_html()
    assert "<table" in valid._repr_html_()
    assert repr(valid).startswith(str(valid))
    assert "TestResult, id: 0x" in repr(valid)
    assert "InvalidTestResult, id: 0x" in repr(invalid)
    assert "Not computed:" in str(invalid)
    assert invalid.reason in invalid._repr_html_()


def test_t_result_shows_df():
    res = csect_t_test(simulate_panel(n_events=8, seed=1), (0, 0))
    assert res.df == 7.0 and res.dist_name == "t(7)"
    assert "df:" in str(res)
    assert res.to_row()["df"] == 7.0
