"""Run several multi-event tests at once and collect them in a tidy frame.

:data:`TESTS` maps short names to the test functions; :func:`run_tests`
runs a selection over one window and returns one row per test, and
:func:`run_daily_tests` repeats it for every day of the event window (the
AAR tests). Options are passed to the tests that accept them; an option no
selected test accepts is an error, so that a typo never goes unnoticed.
"""

from __future__ import annotations

import functools
import inspect
import operator
from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from ..exceptions import EventStudyError
from .bootstrap import bootstrap_test
from .data import EventPanel, Window, window_columns
from .nonparametric import generalized_sign_test, sign_test, wilcoxon_test
from .parametric import crude_dependence_test, csect_t_test, skewness_t_test
from .rank import corrado_test, grank_test
from .results import ROW_COLUMNS, TestResult
from .standardized import bmp_test, kolari_pynnonen_test, patell_test

__all__ = ["TESTS", "compute_tests", "run_tests", "run_daily_tests", "accepted_options"]

#: Short name -> test function ``fn(panel, window, **options) -> TestResult``.
TESTS: dict[str, Callable[..., TestResult]] = {
    "csect_t": csect_t_test,
    "patell": patell_test,
    "bmp": bmp_test,
    "kolari_pynnonen": kolari_pynnonen_test,
    "skewness_t": skewness_t_test,
    "crude_dependence": crude_dependence_test,
    "sign": sign_test,
    "generalized_sign": generalized_sign_test,
    "corrado": corrado_test,
    "grank": grank_test,
    "wilcoxon": wilcoxon_test,
    "bootstrap": bootstrap_test,
}


@functools.cache
def accepted_options(name: str) -> tuple[str, ...]:
    """Keyword options accepted by the test registered as ``name``.

    Examples
    --------
    >>> accepted_options("bmp")
    ('bmp_standardize', 'alternative')
    """
    params = inspect.signature(_lookup([name])[0][1]).parameters.values()
    return tuple(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)


def _lookup(tests: str | Iterable[str] | None) -> list[tuple[str, Callable[..., TestResult]]]:
    if tests is None:
        return list(TESTS.items())
    if isinstance(tests, str):
        names = [tests]
    else:
        try:
            names = list(tests)
        except TypeError:
            raise EventStudyError(
                f"tests must be a test name or a list of names, got {tests!r}; valid names are: "
                f"{', '.join(TESTS)}"
            ) from None
    unknown = [name for name in names if not isinstance(name, str) or name not in TESTS]
    if unknown:
        raise EventStudyError(
            f"unknown test {', '.join(map(repr, unknown))}; valid names are: {', '.join(TESTS)}"
        )
    if not names:
        raise EventStudyError(f"no test selected; valid names are: {', '.join(TESTS)}")
    return [(name, TESTS[name]) for name in dict.fromkeys(names)]


def compute_tests(
    panel: EventPanel,
    window: Window = (-1, 1),
    tests: str | Iterable[str] | None = None,
    **options: Any,
) -> dict[str, TestResult]:
    """Run the selected tests over one window and return their result objects.

    Parameters
    ----------
    panel : EventPanel
        Per-event arrays.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    tests : str or iterable of str, optional
        Names from :data:`TESTS` (default: all, in registry order).
    **options
        Keyword options, each passed to the selected tests that accept it
        (``alternative``, ``bmp_standardize``, ``rank_scale``,
        ``sign_pvalue``, ``n_boot``, ``level``, ``seed``, ``rng``).

    Returns
    -------
    dict
        Test name -> :class:`TestResult` (or :class:`InvalidTestResult`).

    Raises
    ------
    EventStudyError
        For an unknown test name, an option no selected test accepts, an
        invalid option value, or a window outside the panel.
    """
    selected = _lookup(tests)
    window_columns(panel, window)  # a bad window is reported once, before any test runs
    accepted = {name: accepted_options(name) for name, _ in selected}
    known = {opt for opts in accepted.values() for opt in opts}
    unknown = sorted(set(options) - known)
    if unknown:
        raise EventStudyError(
            f"unknown option {', '.join(map(repr, unknown))} for tests "
            f"{', '.join(name for name, _ in selected)}; accepted options are: "
            f"{', '.join(sorted(known))}"
        )
    out = {}
    for name, fn in selected:
        kwargs = {key: value for key, value in options.items() if key in accepted[name]}
        out[name] = fn(panel, window, **kwargs)
    return out


def run_tests(
    panel: EventPanel,
    window: Window = (-1, 1),
    tests: str | Iterable[str] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Run the selected tests over one window: one tidy row per test.

    Parameters
    ----------
    panel : EventPanel
        Per-event arrays.
    window : tuple of int, default (-1, 1)
        ``(a, b)`` relative days, both included.
    tests : str or iterable of str, optional
        Names from :data:`TESTS` (default: all).
    **options
        Passed to the tests that accept them (see :func:`compute_tests`).

    Returns
    -------
    DataFrame
        Columns ``test, statistic, p_value, n, df, null, reference, reason``;
        ``reason`` is None for a test that ran and says why for one that
        could not (its statistic and p-value are NaN).

    Raises
    ------
    EventStudyError
        For an unknown test name or option (the message lists the valid ones).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, run_tests
    >>> frame = run_tests(simulate_panel(n_events=20, seed=0), (-1, 1), n_boot=499)
    >>> frame["test"].tolist()[:3], frame["reason"].isna().all()
    (['csect_t', 'patell', 'bmp'], np.True_)
    """
    results = compute_tests(panel, window, tests, **options)
    return pd.DataFrame([res.to_row() for res in results.values()], columns=list(ROW_COLUMNS))


def run_daily_tests(
    panel: EventPanel,
    tests: str | Iterable[str] | None = None,
    *,
    days: Iterable[int] | None = None,
    **options: Any,
) -> pd.DataFrame:
    """Run the selected tests on the AAR of each relative day.

    Parameters
    ----------
    panel : EventPanel
        Per-event arrays.
    tests : str or iterable of str, optional
        Names from :data:`TESTS` (default: all).
    days : iterable of int, optional
        Relative days to test (default: every day of the event window).
    **options
        Passed to the tests that accept them (see :func:`compute_tests`).

    Returns
    -------
    DataFrame
        Long frame: ``rel_day`` followed by the columns of :func:`run_tests`,
        one row per day and test; each day is the window ``(d, d)``.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, run_daily_tests
    >>> frame = run_daily_tests(simulate_panel(n_events=20, seed=0), ["csect_t", "patell"])
    >>> frame.shape
    (42, 9)
    """
    if days is None:
        day_list = [int(d) for d in panel.rel_days]
    else:
        try:
            day_list = [operator.index(d) for d in days]
        except TypeError:
            raise EventStudyError(
                f"days must be a list of relative days (integers), got {days!r}"
            ) from None
    frames = []
    for day in day_list:
        frame = run_tests(panel, (day, day), tests, **options)
        frame.insert(0, "rel_day", day)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["rel_day", *ROW_COLUMNS])
    return pd.concat(frames, ignore_index=True)
