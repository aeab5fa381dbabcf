"""Multi-event inference: test statistics as pure functions of an :class:`EventPanel`.

Every test takes the per-event arrays of an :class:`EventPanel` and a window
``(a, b)`` of relative days (both included; ``(d, d)`` tests the AAR of day
``d``) and returns a :class:`TestResult`, or an :class:`InvalidTestResult`
with a ``reason`` when it cannot be computed. :func:`run_tests` runs several
at once and returns a tidy frame. The conventions where the literature or
other tools differ are listed in ``docs/conventions.md``.

============================  ==========================================  =======================
name                          function                                    reference
============================  ==========================================  =======================
``csect_t``                   :func:`csect_t_test`                        Brown & Warner (1985)
``patell``                    :func:`patell_test`                         Patell (1976)
``bmp``                       :func:`bmp_test`                            Boehmer et al. (1991)
``kolari_pynnonen``           :func:`kolari_pynnonen_test`                Kolari & Pynnönen (2010)
``skewness_t``                :func:`skewness_t_test`                     Lyon et al. (1999)
``crude_dependence``          :func:`crude_dependence_test`               Brown & Warner (1980)
``sign``                      :func:`sign_test`                           binomial sign test
``generalized_sign``          :func:`generalized_sign_test`               Cowan (1992)
``corrado``                   :func:`corrado_test`                        Corrado (1989)
``grank``                     :func:`grank_test`                          Kolari & Pynnönen (2011)
``wilcoxon``                  :func:`wilcoxon_test`                       Wilcoxon (1945)
``bootstrap``                 :func:`bootstrap_test`                      Efron & Tibshirani (1993)
============================  ==========================================  =======================

Examples
--------
>>> from eventstudy.inference import simulate_panel, run_tests
>>> panel = simulate_panel(n_events=40, shock=0.02, seed=7)
>>> frame = run_tests(panel, (0, 0), ["csect_t", "bmp", "grank"])
>>> (frame["p_value"] < 0.05).all()
np.True_
"""

from __future__ import annotations

from .bootstrap import bootstrap_test
from .data import EventPanel, day_label, window_car, window_columns, window_label
from .nonparametric import generalized_sign_test, sign_test, wilcoxon_test
from .parametric import crude_dependence_test, csect_t_test, skewness_t_test
from .rank import corrado_test, grank_test, scaled_ranks
from .registry import TESTS, accepted_options, compute_tests, run_daily_tests, run_tests
from .results import ROW_COLUMNS, InvalidTestResult, TestResult
from .standardized import (
    average_correlation,
    bmp_test,
    kolari_pynnonen_test,
    patell_test,
    standardized_car,
)
from .synthetic import simulate_panel
from .tables import AAR_COLUMNS, CAAR_COLUMNS, aar_table, caar_table, clustered_dates

__all__ = [
    "EventPanel",
    "window_car",
    "window_columns",
    "window_label",
    "day_label",
    "TestResult",
    "InvalidTestResult",
    "ROW_COLUMNS",
    "csect_t_test",
    "patell_test",
    "bmp_test",
    "kolari_pynnonen_test",
    "skewness_t_test",
    "crude_dependence_test",
    "sign_test",
    "generalized_sign_test",
    "corrado_test",
    "grank_test",
    "wilcoxon_test",
    "bootstrap_test",
    "standardized_car",
    "average_correlation",
    "scaled_ranks",
    "TESTS",
    "accepted_options",
    "compute_tests",
    "run_tests",
    "run_daily_tests",
    "aar_table",
    "caar_table",
    "clustered_dates",
    "AAR_COLUMNS",
    "CAAR_COLUMNS",
    "simulate_panel",
]
