r"""More inference: pre-event drift and multiple-testing adjustments.

**Pre-event drift** (leakage, anticipation): is the CAR over a window that
ends before day 0 different from zero? For one event it is the single-event
t on :math:`CAR(w)` with the prediction-error variance and :math:`m - k`
degrees of freedom (MacKinlay 1997); for several, a multi-event test of
:math:`CAAR(w) = 0` (by default the BMP test, robust to event-induced
variance; Boehmer, Musumeci & Poulsen 1991), or any test of the battery.

**Multiple testing.** Testing every day of an event window, or many windows,
inflates the chance of a false rejection. :func:`adjust_pvalues` applies
Holm's (1979) step-down family-wise correction, Benjamini & Hochberg's (1995)
false discovery rate, or any other method of statsmodels' ``multipletests``.

The resampling tests of the CAAR (sign-flip permutation, wild bootstrap) are
in :mod:`eventstudy.resampling`.

References
----------
Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate.
*Journal of the Royal Statistical Society B* 57(1), 289-300.

Boehmer, E., Musumeci, J. and Poulsen, A. B. (1991). Event-study methodology
under conditions of event-induced variance. *Journal of Financial Economics*
30(2), 253-272.

Holm, S. (1979). A simple sequentially rejective multiple test procedure.
*Scandinavian Journal of Statistics* 6(2), 65-70.

MacKinlay, A. C. (1997). Event studies in economics and finance. *Journal of
Economic Literature* 35(1), 13-39.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .exceptions import EventStudyError, WindowError
from .inference._common import (
    ALTERNATIVES,
    check_choice,
    invalid,
    pvalue_t,
    result,
    select_events,
)
from .inference.data import EventPanel, Window, window_columns, window_label
from .inference.results import Alternative, TestResult

__all__ = ["pre_event_drift_test", "adjust_pvalues", "MULTIPLE_TESTING_METHODS"]

#: statsmodels ``multipletests`` methods, with the short aliases accepted.
MULTIPLE_TESTING_METHODS: dict[str, str] = {
    "bonferroni": "bonferroni",
    "sidak": "sidak",
    "holm": "holm",
    "holm-sidak": "holm-sidak",
    "simes-hochberg": "simes-hochberg",
    "hommel": "hommel",
    "fdr_bh": "fdr_bh",
    "bh": "fdr_bh",
    "fdr_by": "fdr_by",
    "by": "fdr_by",
    "fdr_tsbh": "fdr_tsbh",
    "fdr_tsbky": "fdr_tsbky",
}

REF_SINGLE = "MacKinlay (1997), single-event CAR t with prediction-error variance"


def _as_panel(data: object) -> EventPanel:
    if isinstance(data, EventPanel):
        return data
    builder = getattr(data, "event_panel", None)
    if callable(builder):
        return builder()
    raise EventStudyError(
        f"expected fitted results (EventStudyResults) or an EventPanel, got {type(data).__name__}"
    )


# ---------------------------------------------------------------- pre-event drift
def pre_event_drift_test(
    data: object,
    window: Window = (-5, -1),
    *,
    test: str = "auto",
    alternative: Alternative = "two-sided",
    **options: Any,
) -> TestResult:
    """Test for drift before the event: :math:`CAR(w) = 0` (one event) or :math:`CAAR(w) = 0`.

    Parameters
    ----------
    data : EventStudyResults or EventPanel
        Fitted study (or its per-event arrays).
    window : (int, int), default (-5, -1)
        Pre-event window, inclusive; must end before day 0.
    test : str, default "auto"
        ``"car_t"`` (single-event t, one event only), or a multi-event test
        of :data:`eventstudy.inference.TESTS` (``"bmp"``, ``"csect_t"``,
        ``"patell"``, ``"grank"``...). ``"auto"``: ``"car_t"`` for one event,
        ``"bmp"`` for several.
    alternative : {"two-sided", "greater", "less"}
    **options
        Passed to the multi-event test (e.g. ``bmp_standardize``).

    Returns
    -------
    TestResult
        ``test="pre_event_drift"``; ``details["base_test"]`` names the
        statistic used and ``details["car"]`` (or ``caar``) its value.

    Raises
    ------
    WindowError
        If the window does not end before day 0 or is outside the event window.

    Examples
    --------
    >>> from eventstudy.inference import simulate_panel
    >>> panel = simulate_panel(n_events=20, shock=0.02, shock_day=-3, seed=4)
    >>> pre_event_drift_test(panel, (-5, -1)).pvalue < 0.01
    True
    """
    panel = _as_panel(data)
    check_choice("alternative", alternative, ALTERNATIVES)
    window_columns(panel, window)
    a, b = int(window[0]), int(window[1])
    if b >= 0:
        raise WindowError(
            f"a pre-event drift window must end before day 0, got {tuple(window)}; e.g. (-5, -1)"
        )
    n = panel.n_events
    if test == "auto":
        test = "car_t" if n == 1 else "bmp"
    null = (
        f"{'CAR' if test == 'car_t' else 'CAAR'}{window_label((a, b))} = 0 (no drift before day 0)"
    )
    if test == "car_t":
        if n != 1:
            raise EventStudyError(
                f"test='car_t' is the single-event t; these results hold {n} events "
                "(use test='bmp' or 'csect_t', or select one event)"
            )
        return _single_car_t(panel, (a, b), alternative, null)
    from .inference import TESTS

    if not isinstance(test, str) or test not in TESTS:
        raise EventStudyError(
            f"test must be 'auto', 'car_t' or one of {', '.join(TESTS)}; got {test!r}"
        )
    base = TESTS[test](panel, (a, b), alternative=alternative, **options)
    details = {"base_test": base.test, **base.details}
    common = dict(
        test="pre_event_drift",
        name=f"Pre-event drift ({base.name})",
        null=null,
        reference=base.reference,
        alternative=alternative,
    )
    if not base.valid:
        return invalid(
            **common, dist_name=base.dist_name, n=base.n, reason=base.reason, details=details
        )
    return result(
        **common,
        stat=base.stat,
        pvalue=base.pvalue,
        dist_name=base.dist_name,
        df=base.df,
        n=base.n,
        details=details,
    )


def _single_car_t(panel: EventPanel, window: Window, alternative: str, null: str) -> TestResult:
    sample = select_events(panel, window, standardized=True)
    common = dict(
        test="pre_event_drift",
        name="Pre-event drift (single-event CAR t)",
        null=null,
        reference=REF_SINGLE,
        alternative=alternative,
    )
    df = float(panel.resid_df[0])
    if sample.n != 1 or not df > 0:
        return invalid(
            **common,
            dist_name="t(m-k)",
            n=sample.n,
            reason="the event has no complete window or no variance",
        )
    car, se = float(sample.car[0]), float(np.sqrt(sample.car_var[0]))
    stat = car / se
    details = {"base_test": "car_t", "car": car, "se": se, **sample.details()}
    return result(
        **common,
        stat=stat,
        pvalue=pvalue_t(stat, df, alternative),  # type: ignore[arg-type]
        dist_name=f"t({df:.0f})",
        df=df,
        n=1,
        details=details,
    )


# ---------------------------------------------------------------- multiple testing
def adjust_pvalues(
    pvalues: object,
    method: str = "holm",
    *,
    alpha: float = 0.05,
    by: str | list[str] | None = "auto",
) -> Any:
    """Adjust p-values for multiple testing (statsmodels ``multipletests``).

    Parameters
    ----------
    pvalues : array-like, Series or DataFrame
        p-values; a DataFrame must have a ``p_value`` column (the frames of
        ``res.test``, ``res.test_aar``, ``res.aar()``, ``res.car([...])``).
    method : str, default "holm"
        ``"holm"`` (Holm 1979), ``"fdr_bh"``/``"bh"`` (Benjamini & Hochberg
        1995), ``"bonferroni"``, ``"sidak"``, ``"holm-sidak"``, ``"hommel"``,
        ``"fdr_by"``/``"by"``, ...
    alpha : float, default 0.05
        Family-wise error rate or false discovery rate for ``reject``.
    by : str, list of str or None, default "auto"
        DataFrame columns defining separate families (e.g. ``"test"``, so that
        each test's p-values across days form one family). ``"auto"``:
        ``"test"`` when the frame has that column, else one family.

    Returns
    -------
    ndarray, Series or DataFrame
        Adjusted p-values of the same shape; for a DataFrame, a copy with
        columns ``p_adjusted`` and ``reject`` added. Missing p-values (tests
        that could not run) stay missing and are not counted in a family.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm")
    array([0.03, 0.06, 0.06])
    """
    from statsmodels.stats.multitest import multipletests

    key = str(method).lower()
    if key not in MULTIPLE_TESTING_METHODS:
        raise EventStudyError(
            f"method must be one of {', '.join(map(repr, MULTIPLE_TESTING_METHODS))}; "
            f"got {method!r}"
        )
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise EventStudyError(f"alpha must be strictly between 0 and 1, got {alpha!r}")
    sm_method = MULTIPLE_TESTING_METHODS[key]

    def numbers(values: object, what: str) -> np.ndarray:
        try:
            return np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise EventStudyError(
                f"{what} must be numbers between 0 and 1, got {values!r:.80}"
            ) from None

    def family(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        adjusted = np.full(p.shape, np.nan)
        reject = np.zeros(p.shape, dtype=bool)
        ok = np.isfinite(p)
        if np.any((p[ok] < 0) | (p[ok] > 1)):
            raise EventStudyError("p-values must lie in [0, 1]")
        if ok.any():
            rej, adj, _, _ = multipletests(p[ok], alpha=alpha, method=sm_method)
            adjusted[ok], reject[ok] = adj, rej
        return adjusted, reject

    if isinstance(pvalues, pd.DataFrame):
        if "p_value" not in pvalues.columns:
            raise EventStudyError("the frame needs a 'p_value' column")
        out = pvalues.copy()
        cols = (["test"] if "test" in out.columns else []) if by == "auto" else by
        cols = [cols] if isinstance(cols, str) else list(cols or [])
        missing = [c for c in cols if c not in out.columns]
        if missing:
            raise EventStudyError(f"by column(s) {', '.join(missing)} not in the frame")
        out["p_adjusted"] = np.nan
        out["reject"] = False
        groups = out.groupby(cols, sort=False).indices.values() if cols else [np.arange(len(out))]
        for idx in groups:
            adj, rej = family(numbers(out["p_value"], "the 'p_value' column")[idx])
            out.iloc[idx, out.columns.get_loc("p_adjusted")] = adj
            out.iloc[idx, out.columns.get_loc("reject")] = rej
        return out
    if isinstance(pvalues, pd.Series):
        return pd.Series(
            family(numbers(pvalues, "pvalues"))[0], index=pvalues.index, name="p_adjusted"
        )
    if pvalues is None or isinstance(pvalues, (str, bytes, dict)):
        raise EventStudyError(
            f"pvalues must be an array, Series or DataFrame of p-values, got {pvalues!r:.80}"
        )
    p = numbers(pvalues, "pvalues")
    return family(p.ravel())[0].reshape(p.shape)
