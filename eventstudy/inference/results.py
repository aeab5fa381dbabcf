"""Small result objects returned by every multi-event test.

A test returns a :class:`TestResult` holding the statistic, its p-value, the
null hypothesis, the reference distribution and the paper it comes from. A
test that cannot be computed on the data at hand (too few events, zero
variance, too few estimation observations, nothing but missing values)
returns an :class:`InvalidTestResult` carrying a ``reason`` instead of raising,
so that a table of tests always has one row per test requested.

Both display themselves in Jupyter: ``__str__`` is ``summary().as_text()``
and ``_repr_html_`` is ``summary().as_html()``, built on
:class:`statsmodels.iolib.summary.Summary`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from statsmodels.iolib.summary import Summary
from statsmodels.iolib.table import SimpleTable

__all__ = ["TestResult", "InvalidTestResult", "Alternative", "ROW_COLUMNS"]

Alternative = Literal["two-sided", "greater", "less"]

#: Columns of :meth:`TestResult.to_row` and of :func:`~eventstudy.inference.run_tests`.
ROW_COLUMNS = ("test", "statistic", "p_value", "n", "df", "null", "reference", "reason")

_ALTERNATIVE_TEXT = {
    "two-sided": "two-sided (!= 0)",
    "greater": "greater (> 0)",
    "less": "less (< 0)",
}


def _fmt(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "nan"
        if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e5):
            return f"{v:.4e}"
        return f"{v:.4f}"
    return str(value)


@dataclass(frozen=True, eq=False, repr=False)
class TestResult:
    """Outcome of one multi-event test.

    Parameters
    ----------
    test : str
        Short registry name (``"patell"``, ``"bmp"``...), as accepted by
        :func:`~eventstudy.inference.run_tests`.
    name : str
        Display name (``"Patell Z"``).
    stat : float
        Value of the test statistic.
    pvalue : float
        p-value of ``stat`` under ``null`` for the given ``alternative``.
    null : str
        The null hypothesis in words, e.g. ``"CAAR[-1, +1] = 0"``.
    dist_name : str
        Reference distribution of ``stat`` under the null, e.g. ``"t(29)"``.
    df : float or None
        Degrees of freedom of a t reference distribution, else None.
    n : int
        Number of events used.
    reference : str
        Short citation of the paper defining the test.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis.
    details : dict
        Intermediate quantities (estimates, variance factors, counts...).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, csect_t_test
    >>> res = csect_t_test(simulate_panel(n_events=20, seed=0), (-1, 1))
    >>> res.name, res.df
    ('Cross-sectional t', 19.0)
    >>> sorted(res.to_row())
    ['df', 'n', 'null', 'p_value', 'reason', 'reference', 'statistic', 'test']
    """

    __test__ = False  # a class named Test* is not a pytest test class

    test: str
    name: str
    stat: float
    pvalue: float
    null: str
    dist_name: str
    df: float | None
    n: int
    reference: str
    alternative: Alternative = "two-sided"
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether the test could be computed (False for :class:`InvalidTestResult`)."""
        return True

    @property
    def reason(self) -> str | None:
        """Why the test could not be computed; None for a valid result."""
        return None

    def to_row(self) -> dict[str, Any]:
        """One row of the tidy test table.

        Returns
        -------
        dict
            Keys ``test, statistic, p_value, n, df, null, reference, reason``.
        """
        return {
            "test": self.test,
            "statistic": float(self.stat),
            "p_value": float(self.pvalue),
            "n": int(self.n),
            "df": np.nan if self.df is None else float(self.df),
            "null": self.null,
            "reference": self.reference,
            "reason": self.reason,
        }

    def summary(self) -> Summary:
        """Summary table of the test (statsmodels ``Summary``).

        Returns
        -------
        statsmodels.iolib.summary.Summary
            Has ``as_text()``, ``as_html()`` and ``as_latex()``.
        """
        rows: list[tuple[str, Any]] = [
            ("Null hypothesis", self.null),
            ("Alternative", _ALTERNATIVE_TEXT.get(self.alternative, self.alternative)),
            ("Statistic", self.stat),
            ("P-value", self.pvalue),
            ("Distribution", self.dist_name),
            ("Events (N)", self.n),
        ]
        if self.df is not None:
            rows.append(("df", self.df))
        if self.reason is not None:
            rows.append(("Not computed", self.reason))
        for key, value in self.details.items():
            if np.ndim(value) == 0 and value is not None:
                rows.append((key, value))
        table = SimpleTable(
            [[_fmt(v)] for _, v in rows],
            stubs=[f"{k}:" for k, _ in rows],
            title=self.name,
            txt_fmt={"data_aligns": "l", "stub_align": "l"},
        )
        smry = Summary()
        smry.tables.append(table)
        smry.add_extra_txt([f"Reference: {self.reference}"])
        return smry

    def __str__(self) -> str:
        return self.summary().as_text()

    def __repr__(self) -> str:
        return f"{self}\n{type(self).__name__}, id: {hex(id(self))}"

    def _repr_html_(self) -> str:
        return self.summary().as_html()


@dataclass(frozen=True, eq=False, repr=False)
class InvalidTestResult(TestResult):
    """A test that could not be computed: ``stat`` and ``pvalue`` are NaN.

    Same interface as :class:`TestResult`, plus the ``reason`` it could not
    run (for example ``"needs at least 2 events, got 1"``).

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel, csect_t_test
    >>> res = csect_t_test(simulate_panel(n_events=1, seed=0), (0, 0))
    >>> res.valid, res.reason
    (False, 'needs at least 2 events with a complete window, got 1')
    """

    reason: str = ""  # type: ignore[assignment]  # a field here, a property on TestResult

    @property
    def valid(self) -> bool:
        """Always False."""
        return False
