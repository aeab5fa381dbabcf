r"""Groups of events: labels, and tests of a difference between two groups.

Events carry an optional ``group`` column (any column works; see
:func:`group_labels` for the other ways to give labels). The per-group CAAR
and test battery are ``res.caar(window, by="group")`` and
``res.test(window, by="group")``; this module adds the two-group difference
tests on the events' CARs:

**Welch t** (Welch 1947), for unequal variances:

.. math::

    t = \frac{\overline{CAR}_a - \overline{CAR}_b}{\sqrt{s_a^2/n_a + s_b^2/n_b}}, \qquad
    \nu = \frac{(s_a^2/n_a + s_b^2/n_b)^2}
              {\frac{(s_a^2/n_a)^2}{n_a - 1} + \frac{(s_b^2/n_b)^2}{n_b - 1}},

referred to Student's t with :math:`\nu` degrees of freedom.

**Wilcoxon rank-sum / Mann–Whitney U** (Wilcoxon 1945; Mann & Whitney 1947):
with :math:`W_a` the sum of the ranks of group :math:`a` in the pooled sample
(mid-ranks for ties), :math:`U_a = W_a - n_a(n_a + 1)/2`. The p-value is
scipy's: exact for small samples without ties, otherwise the normal
approximation with tie and continuity corrections.

Both can be run on the CARs or on the standardized CARs
(:math:`SCAR_i = CAR_i/\hat\sigma(CAR_i)`), which weights events by their
precision as the BMP test does.

References
----------
Welch, B. L. (1947). The generalization of "Student's" problem when several
different population variances are involved. *Biometrika* 34, 28-35.

Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics
Bulletin* 1(6), 80-83.

Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random
variables is stochastically larger than the other. *Annals of Mathematical
Statistics* 18(1), 50-60.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from .exceptions import EventStudyError
from .inference.results import InvalidTestResult, TestResult

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = ["group_labels", "welch_t_test", "rank_sum_test", "compare_groups", "COMPARE_COLUMNS"]

Alternative = Literal["two-sided", "greater", "less"]

REF_WELCH = "Welch (1947)"
REF_RANKSUM = "Wilcoxon (1945); Mann & Whitney (1947)"

#: Columns of :func:`compare_groups`.
COMPARE_COLUMNS = (
    "window",
    "measure",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "difference",
    "test",
    "statistic",
    "p_value",
    "df",
    "null",
    "reference",
    "reason",
)


def group_labels(events: pd.DataFrame, by: object = "group") -> pd.Series:
    """Group label of each event, aligned with ``events`` (same index).

    Parameters
    ----------
    events : pandas.DataFrame
        Events with an ``event_id`` column (e.g. ``res.events``).
    by : str, mapping, Series or array-like, default "group"
        A column of ``events``; a mapping or Series from ``event_id`` to label;
        or one label per event, in the order of ``events``.

    Returns
    -------
    pandas.Series
        Labels named after the column (``"group"`` otherwise).

    Raises
    ------
    EventStudyError
        If the column does not exist, an event has no label, or an array has
        the wrong length.

    Examples
    --------
    >>> ev = pd.DataFrame({"event_id": ["a", "b"], "size": ["big", "small"]})
    >>> group_labels(ev, "size").tolist()
    ['big', 'small']
    >>> group_labels(ev, {"a": 1, "b": 2}).tolist()
    [1, 2]
    """
    ids = events["event_id"]
    if isinstance(by, str):
        if by not in events.columns:
            raise EventStudyError(
                f"by={by!r} is not a column of the events; columns: {', '.join(events.columns)}"
            )
        labels = events[by].copy()
    elif isinstance(by, (Mapping, pd.Series)):
        lookup = by if isinstance(by, pd.Series) else pd.Series(dict(by), dtype=object)
        labels = pd.Series(ids.map(lookup).to_numpy(), index=events.index, name="group")
    else:
        values = np.asarray(list(by) if isinstance(by, Iterable) else by, dtype=object)
        if values.ndim != 1 or len(values) != len(events):
            raise EventStudyError(
                f"by has {values.size} labels but there are {len(events)} events; give one "
                "label per event, a mapping event_id -> label, or a column name"
            )
        labels = pd.Series(values, index=events.index, name="group")
    blank = labels.isna()
    if blank.any():
        missing = ids[blank].tolist()
        raise EventStudyError(
            f"no group for event(s) {', '.join(map(str, missing[:5]))}"
            + (" ..." if len(missing) > 5 else "")
            + "; give every event a group"
        )
    return labels


def _check_alternative(alternative: str) -> None:
    if alternative not in ("two-sided", "greater", "less"):
        raise EventStudyError(
            f"alternative must be 'two-sided', 'greater' or 'less'; got {alternative!r}"
        )


def _clean(values: object) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    return x[np.isfinite(x)]


def welch_t_test(
    a: object, b: object, *, alternative: Alternative = "two-sided", null: str = "mean_a = mean_b"
) -> TestResult:
    """Welch's t test of equal means of two groups of CARs.

    Parameters
    ----------
    a, b : array-like
        CARs (or SCARs) of the two groups; NaN values are left out.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: group ``a`` has the larger mean.
    null : str
        Text of the null hypothesis.

    Returns
    -------
    TestResult
        ``stat`` the Welch t, ``df`` the Welch–Satterthwaite df; details hold
        the means, their difference and its standard error. Invalid with fewer
        than 2 values in a group or no variation in either.

    Examples
    --------
    >>> welch_t_test([0.03, 0.05, 0.04], [0.0, -0.01, 0.01]).stat > 0
    True
    """
    _check_alternative(alternative)
    x, y = _clean(a), _clean(b)
    common: dict[str, Any] = dict(
        test="welch_t",
        name="Welch t (two groups)",
        null=null,
        reference=REF_WELCH,
        alternative=alternative,
    )
    na, nb = len(x), len(y)
    if na < 2 or nb < 2:
        return _invalid(
            common, na + nb, "t", f"needs at least 2 events per group, got {na} and {nb}"
        )
    va, vb = np.var(x, ddof=1) / na, np.var(y, ddof=1) / nb
    se = float(np.sqrt(va + vb))
    if not se > 0:
        return _invalid(common, na + nb, "t", "CARs do not vary within either group")
    diff = float(x.mean() - y.mean())
    t = diff / se
    df = float((va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1)))
    dist = stats.t(df)
    p = _pvalue(dist.sf(t), dist.cdf(t), alternative)
    details = {
        "mean_a": float(x.mean()),
        "mean_b": float(y.mean()),
        "difference": diff,
        "se": se,
        "n_a": na,
        "n_b": nb,
    }
    return TestResult(
        stat=t, pvalue=p, dist_name=f"t({df:.1f})", df=df, n=na + nb, details=details, **common
    )


def rank_sum_test(
    a: object, b: object, *, alternative: Alternative = "two-sided", null: str = "CAR_a ~ CAR_b"
) -> TestResult:
    """Wilcoxon rank-sum (Mann–Whitney U) test that two groups' CARs come from one distribution.

    Parameters
    ----------
    a, b : array-like
        CARs (or SCARs) of the two groups; NaN values are left out.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: group ``a`` tends to be larger.
    null : str
        Text of the null hypothesis.

    Returns
    -------
    TestResult
        ``stat`` is :math:`U_a`; details hold the rank sum ``W_a``, the
        standardized ``z`` (tie-corrected, no continuity correction) and the
        ``method`` scipy used for the p-value (``"exact"`` or
        ``"asymptotic"``). Invalid when a group is empty.

    Examples
    --------
    >>> rank_sum_test([3.0, 4.0, 5.0], [0.0, 1.0, 2.0]).stat
    9.0
    """
    _check_alternative(alternative)
    x, y = _clean(a), _clean(b)
    common: dict[str, Any] = dict(
        test="rank_sum",
        name="Wilcoxon rank-sum (Mann-Whitney U)",
        null=null,
        reference=REF_RANKSUM,
        alternative=alternative,
    )
    na, nb = len(x), len(y)
    if na < 1 or nb < 1:
        return _invalid(
            common, na + nb, "U", f"needs at least 1 event per group, got {na} and {nb}"
        )
    ranks = stats.rankdata(np.concatenate([x, y]))
    w = float(ranks[:na].sum())
    u = w - na * (na + 1) / 2.0
    n = na + nb
    _, counts = np.unique(ranks, return_counts=True)
    var_u = na * nb / 12.0 * ((n + 1) - (counts**3 - counts).sum() / (n * (n - 1)))
    z = (u - na * nb / 2.0) / np.sqrt(var_u) if var_u > 0 else float("nan")
    ties = bool((counts > 1).any())
    method = "exact" if (na < 8 and nb < 8 and not ties) else "asymptotic"
    res = stats.mannwhitneyu(x, y, alternative=alternative, method=method)
    details = {"rank_sum_a": w, "z": float(z), "method": method, "n_a": na, "n_b": nb}
    dist = "Mann-Whitney U (exact)" if method == "exact" else "N(0, 1) approximation"
    return TestResult(
        stat=u, pvalue=float(res.pvalue), dist_name=dist, df=None, n=n, details=details, **common
    )


def compare_groups(
    results: EventStudyResults,
    window: tuple[int, int] = (-1, 1),
    *,
    by: object = "group",
    groups: tuple[Hashable, Hashable] | None = None,
    measure: Literal["car", "scar"] = "car",
    alternative: Alternative = "two-sided",
) -> pd.DataFrame:
    """Test whether two groups of events have different CARs (Welch t and rank-sum).

    Parameters
    ----------
    results : EventStudyResults
        A fitted study.
    window : (int, int), default (-1, 1)
        CAR window, inclusive relative days.
    by : str, mapping, Series or array-like, default "group"
        Group labels (see :func:`group_labels`).
    groups : (label, label), optional
        The two groups to compare, ``a`` then ``b``; required when ``by`` has
        more than two groups.
    measure : {"car", "scar"}, default "car"
        Compare CARs, or CARs standardized by their prediction-error standard
        error.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: group ``a`` has larger CARs.

    Returns
    -------
    pandas.DataFrame
        Two rows (``welch_t``, ``rank_sum``) with the columns of
        :data:`COMPARE_COLUMNS`; ``reason`` says why a test could not run.

    Raises
    ------
    EventStudyError
        Bad labels, an unknown group, or more than two groups without ``groups=``.

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> ev = ev[ev.kind.isin(["earnings", "product"])]
    >>> res = es.EventStudy(ev, source="snapshot").fit()  # doctest: +SKIP
    >>> es.compare_groups(res, (-1, 1), by="kind")[["test", "p_value"]]  # doctest: +SKIP
    """
    from .results import require_results

    require_results(results, "compare_groups")
    if measure not in ("car", "scar"):
        raise EventStudyError(f"measure must be 'car' or 'scar'; got {measure!r}")
    _check_alternative(alternative)
    labels = group_labels(results.events, by).to_numpy()
    found = list(pd.unique(labels))
    if groups is None:
        if len(found) != 2:
            raise EventStudyError(
                f"by gives {len(found)} group(s) ({', '.join(map(str, found))}); "
                "pass groups=(a, b) to choose the two to compare"
            )
        groups = (found[0], found[1])
    if len(groups) != 2 or groups[0] == groups[1]:
        raise EventStudyError(f"groups must be two different labels, got {groups!r}")
    for g in groups:
        if g not in found:
            raise EventStudyError(
                f"group {g!r} is not among the labels: {', '.join(map(str, found))}"
            )
    cars = results.car(window)
    values = (
        cars["car"].to_numpy() if measure == "car" else (cars["car"] / cars["car_se"]).to_numpy()
    )
    a, b = values[labels == groups[0]], values[labels == groups[1]]
    name = measure.upper()
    label = str(cars["window"].iloc[0]) if len(cars) else f"{tuple(window)}"
    rows = []
    for test in (
        welch_t_test(a, b, alternative=alternative, null=f"mean {name}_a = mean {name}_b"),
        rank_sum_test(
            a, b, alternative=alternative, null=f"{name}_a and {name}_b same distribution"
        ),
    ):
        row = test.to_row()
        fa, fb = a[np.isfinite(a)], b[np.isfinite(b)]
        mean_a = float(fa.mean()) if len(fa) else float("nan")
        mean_b = float(fb.mean()) if len(fb) else float("nan")
        rows.append(
            {
                "window": label,
                "measure": measure,
                "group_a": groups[0],
                "group_b": groups[1],
                "n_a": len(fa),
                "n_b": len(fb),
                "mean_a": mean_a,
                "mean_b": mean_b,
                "difference": mean_a - mean_b,
                "test": row["test"],
                "statistic": row["statistic"],
                "p_value": row["p_value"],
                "df": row["df"],
                "null": row["null"],
                "reference": row["reference"],
                "reason": row["reason"],
            }
        )
    return pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))


def _pvalue(upper: float, lower: float, alternative: str) -> float:
    if alternative == "greater":
        return float(upper)
    if alternative == "less":
        return float(lower)
    return float(min(1.0, 2.0 * min(upper, lower)))


def _invalid(common: dict[str, Any], n: int, dist: str, reason: str) -> InvalidTestResult:
    return InvalidTestResult(
        stat=float("nan"),
        pvalue=float("nan"),
        dist_name=dist,
        df=None,
        n=n,
        reason=reason,
        **common,
    )
