"""Private helpers shared by the tests: event selection, p-values, option checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from ..exceptions import EventStudyError
from .data import EventPanel, Window, day_label, window_car, window_columns
from .results import Alternative, InvalidTestResult, TestResult

ALTERNATIVES = ("two-sided", "greater", "less")


def check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    """Raise EventStudyError unless ``value`` is one of ``choices``."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise EventStudyError(f"{name} must be one of {valid}; got {value!r}")


def _tail_pvalue(upper_tail: Callable[[float], float], stat: float, alternative: str) -> float:
    """p-value from the upper-tail function of a distribution symmetric about 0."""
    if not np.isfinite(stat):
        return float("nan")
    if alternative == "greater":
        return float(upper_tail(stat))
    if alternative == "less":
        return float(upper_tail(-stat))
    return float(min(1.0, 2.0 * upper_tail(abs(stat))))


def pvalue_normal(stat: float, alternative: Alternative) -> float:
    """p-value of a N(0, 1) statistic."""
    return _tail_pvalue(lambda x: special.ndtr(-x), stat, alternative)


def pvalue_t(stat: float, df: float, alternative: Alternative) -> float:
    """p-value of a t(df) statistic."""
    return _tail_pvalue(lambda x: special.stdtr(df, -x), stat, alternative)


def _bracket(window: Window) -> str:
    """``'[-1, +1]'``: the window in the notation of the event-study literature."""
    return f"[{day_label(window[0])}, {day_label(window[1])}]"


def null_mean(window: Window) -> str:
    """Null hypothesis text for a test on the mean CAR (or AAR for one day)."""
    if window[0] == window[1]:
        return f"AAR[{day_label(window[0])}] = 0"
    return f"CAAR{_bracket(window)} = 0"


def car_label(window: Window) -> str:
    """``'CAR[-1, +1]'`` for a window, ``'AR[0]'`` for a single day."""
    if window[0] == window[1]:
        return f"AR[{day_label(window[0])}]"
    return f"CAR{_bracket(window)}"


@dataclass(frozen=True)
class EventSample:
    """The events that take part in a test over one window.

    ``used`` is a boolean mask over the panel's events; ``car`` and
    ``car_var`` are already restricted to it.
    """

    window: Window
    cols: np.ndarray
    used: np.ndarray
    car: np.ndarray
    car_var: np.ndarray
    n_total: int
    excluded_ids: list[Any]

    @property
    def n(self) -> int:
        return int(self.used.sum())

    @property
    def length(self) -> int:
        """Number of days :math:`L_w` in the window."""
        return int(self.cols.size)

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {"window_days": self.length, "n_excluded": self.n_total - self.n}
        if self.excluded_ids:
            out["excluded_events"] = list(self.excluded_ids)
        return out


def select_events(panel: EventPanel, window: Window, *, standardized: bool = False) -> EventSample:
    """Events with a complete window (and, if ``standardized``, a usable variance)."""
    cols = window_columns(panel, window)  # validates the window
    window = (int(window[0]), int(window[1]))
    car, car_var = window_car(panel, window)
    used = np.isfinite(car)
    if standardized:
        sigma = panel.sigma
        used &= np.isfinite(car_var) & (car_var > 0) & np.isfinite(sigma) & (sigma > 0)
    excluded = [panel.event_ids[i] for i in np.flatnonzero(~used)]
    return EventSample(
        window=window,
        cols=cols,
        used=used,
        car=car[used],
        car_var=car_var[used],
        n_total=panel.n_events,
        excluded_ids=excluded,
    )


def select_standardized(panel: EventPanel, window: Window) -> EventSample:
    """Events with a complete window, a positive CAR variance and a positive sigma."""
    return select_events(panel, window, standardized=True)


def invalid(
    *,
    test: str,
    name: str,
    null: str,
    dist_name: str,
    reference: str,
    n: int,
    reason: str,
    alternative: Alternative,
    details: dict[str, Any] | None = None,
) -> InvalidTestResult:
    """An :class:`InvalidTestResult` with NaN statistic and p-value."""
    return InvalidTestResult(
        test=test,
        name=name,
        stat=float("nan"),
        pvalue=float("nan"),
        null=null,
        dist_name=dist_name,
        df=None,
        n=int(n),
        reference=reference,
        alternative=alternative,
        details=dict(details or {}),
        reason=reason,
    )


def too_few(n: int, needed: int) -> str:
    """Reason text for too few events."""
    return f"needs at least {needed} events with a complete window, got {n}"


def result(
    *,
    test: str,
    name: str,
    stat: float,
    pvalue: float,
    null: str,
    dist_name: str,
    df: float | None,
    n: int,
    reference: str,
    alternative: Alternative,
    details: dict[str, Any],
) -> TestResult:
    """A valid :class:`TestResult` (floats coerced)."""
    return TestResult(
        test=test,
        name=name,
        stat=float(stat),
        pvalue=float(pvalue),
        null=null,
        dist_name=dist_name,
        df=None if df is None else float(df),
        n=int(n),
        reference=reference,
        alternative=alternative,
        details=details,
    )


def used_rows(array: np.ndarray, used: np.ndarray) -> np.ndarray:
    """``array[used]`` without a copy when every event is used (large panels)."""
    return array if used.all() else array[used]
