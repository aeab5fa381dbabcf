r"""Cross-sectional regressions of CARs on event characteristics.

The second stage of many event studies explains the abnormal returns:

.. math::

    CAR_i(w) = \gamma_0 + \gamma' z_i + u_i, \qquad i = 1, \dots, N,

fitted by OLS with a statsmodels formula, so that the result is a statsmodels
``RegressionResults`` (``summary()``, ``params``, ``conf_int()``,
``t_test()``... work as users expect). The frame the formula sees has one
row per estimated event with

* ``car``, ``car_se``, ``car_t`` over ``window`` (see ``results.car``),
  ``scar`` (:math:`CAR_i/\hat\sigma(CAR_i)`), and ``bhar``;
* every column of ``results.events`` (``ticker``, ``day0``, ``kind``,
  ``group``...);
* the columns of ``data``, matched on ``event_id``.

Covariance
----------
``cov_type`` is passed to statsmodels: ``"nonrobust"``, ``"HC0"`` ...
``"HC3"`` (White 1980; MacKinnon & White 1985; HC3 is advisable in small
samples, Long & Ervin 2000), or ``"cluster"`` (Liang & Zeger 1986), which
clusters on ``cluster`` (default ``"day0"``, so events sharing a calendar
date, whose CARs are correlated, form one cluster; pass ``"ticker"`` for
firms, or two columns for two-way clustering; Petersen 2009).

Events without a value for a variable of the formula are dropped by
statsmodels; the number dropped is announced with a
:class:`~eventstudy.exceptions.MissingDataWarning`.

References
----------
White, H. (1980). A heteroskedasticity-consistent covariance matrix estimator
and a direct test for heteroskedasticity. *Econometrica* 48(4), 817-838.

MacKinnon, J. G. and White, H. (1985). Some heteroskedasticity-consistent
covariance matrix estimators with improved finite sample properties.
*Journal of Econometrics* 29(3), 305-325.

Long, J. S. and Ervin, L. H. (2000). Using heteroscedasticity consistent
standard errors in the linear regression model. *The American Statistician*
54(3), 217-224.

Liang, K.-Y. and Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika* 73(1), 13-22.

Petersen, M. A. (2009). Estimating standard errors in finance panel data sets.
*Review of Financial Studies* 22(1), 435-480.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .exceptions import EventStudyError, MissingDataWarning

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = ["regress", "regression_frame", "COV_TYPES"]

#: Covariance estimators accepted by :func:`regress`.
COV_TYPES = ("nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster")

_OUTCOMES = ("car", "car_se", "car_t", "scar", "bhar")


def regression_frame(
    results: EventStudyResults,
    window: tuple[int, int] = (-1, 1),
    data: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The frame a CAR regression formula sees: one row per estimated event.

    Parameters
    ----------
    results : EventStudyResults
    window : (int, int), default (-1, 1)
        CAR and BHAR window.
    data : pandas.DataFrame, optional
        Event characteristics, with an ``event_id`` column or indexed by
        event id; each event at most once.

    Returns
    -------
    pandas.DataFrame
        ``event_id, car, car_se, car_t, scar, bhar``, the event columns and
        the columns of ``data`` (NaN for events missing from ``data``).

    Raises
    ------
    EventStudyError
        If ``data`` has no event ids, repeats one, or reuses a column name.
    """
    from .results import require_results

    require_results(results, "regress")
    car = results.car(window)
    frame = pd.DataFrame(
        {
            "event_id": car["event_id"].to_numpy(),
            "car": car["car"].to_numpy(),
            "car_se": car["car_se"].to_numpy(),
            "car_t": car["t_stat"].to_numpy(),
            "scar": (car["car"] / car["car_se"]).to_numpy(),
            "bhar": results.bhar(window)["bhar"].to_numpy(),
        }
    )
    events = results.events.reset_index(drop=True)
    frame = pd.concat([frame, events.drop(columns=["event_id"])], axis=1)
    if data is None:
        return frame
    if not isinstance(data, pd.DataFrame):
        raise EventStudyError(
            f"data must be a DataFrame of event characteristics, got {type(data).__name__}"
        )
    extra = data.copy()
    if "event_id" not in extra.columns:
        if extra.index.name not in (None, "event_id"):
            raise EventStudyError(
                f"data needs an 'event_id' column or an index of event ids; its index is named "
                f"{extra.index.name!r} and its columns are {', '.join(map(str, extra.columns))}"
            )
        extra = extra.rename_axis("event_id").reset_index()
    extra["event_id"] = extra["event_id"].astype(str)
    repeated = extra["event_id"][extra["event_id"].duplicated()]
    if len(repeated):
        raise EventStudyError(
            f"data lists event {repeated.iloc[0]!r} more than once; give one row per event"
        )
    clash = sorted(set(extra.columns) & set(frame.columns) - {"event_id"})
    if clash:
        raise EventStudyError(
            f"data column(s) {', '.join(clash)} clash with the columns the regression already "
            "has (CAR measures and event columns); rename them"
        )
    unknown = sorted(set(extra["event_id"]) - set(frame["event_id"]))
    if unknown and not set(extra["event_id"]) & set(frame["event_id"]):
        raise EventStudyError(
            f"none of the event ids in data matches an estimated event (e.g. {unknown[0]!r})"
        )
    return frame.merge(extra, on="event_id", how="left", validate="one_to_one")


def regress(
    results: EventStudyResults,
    formula: str,
    *,
    window: tuple[int, int] = (-1, 1),
    data: pd.DataFrame | None = None,
    cov_type: Literal["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"] = "nonrobust",
    cluster: str | Sequence[str] = "day0",
    cov_kwds: dict[str, Any] | None = None,
    use_t: bool | None = None,
):
    """Regress CARs on event characteristics with a statsmodels formula.

    Parameters
    ----------
    results : EventStudyResults
        A fitted study.
    formula : str
        A statsmodels/patsy formula, e.g. ``"car ~ surprise + np.log(size)"``;
        the left-hand side is ``car``, ``scar``, ``bhar`` or ``car_t``.
    window : (int, int), default (-1, 1)
        Window of the CAR (and BHAR).
    data : pandas.DataFrame, optional
        Characteristics with an ``event_id`` column or index.
    cov_type : {"nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"}
        Covariance of the coefficients.
    cluster : str or list of two str, default "day0"
        Column(s) defining clusters when ``cov_type="cluster"``.
    cov_kwds : dict, optional
        Further keywords for statsmodels' covariance (e.g.
        ``{"use_correction": False}``).
    use_t : bool, optional
        Student t and F reference distributions for the coefficient tests;
        statsmodels' default (None) uses them for ``"nonrobust"`` only and
        the normal for robust covariances.

    Returns
    -------
    statsmodels.regression.linear_model.RegressionResultsWrapper
        Its ``model.data.frame`` is the frame of :func:`regression_frame`.

    Raises
    ------
    EventStudyError
        An unknown ``cov_type`` or cluster column, a formula naming a column
        that does not exist (the message lists those that do), or too few
        events.

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> size = pd.DataFrame({"event_id": res.events.event_id, "late": range(11)})
    >>> fit = res.regress("car ~ late", data=size, cov_type="HC3")  # doctest: +SKIP
    >>> fit.summary()  # doctest: +SKIP
    """
    import patsy
    import statsmodels.formula.api as smf

    if cov_type not in COV_TYPES:
        raise EventStudyError(
            f"cov_type must be one of {', '.join(map(repr, COV_TYPES))}; got {cov_type!r}"
        )
    if not isinstance(formula, str) or "~" not in formula:
        raise EventStudyError(f"formula must be a string like 'car ~ x1 + x2', got {formula!r}")
    frame = regression_frame(results, window, data)
    try:
        model = smf.ols(formula, data=frame, missing="drop")
    except (patsy.PatsyError, NameError, KeyError, ValueError, TypeError) as exc:
        cols = ", ".join(c for c in frame.columns)
        raise EventStudyError(
            f"formula {formula!r} could not be evaluated ({_first_line(exc)}); "
            f"available columns: {cols}"
        ) from None
    used = pd.Index(model.data.row_labels)
    dropped = len(frame) - len(used)
    if dropped:
        ids = frame.loc[~frame.index.isin(used), "event_id"].tolist()
        warnings.warn(
            f"{dropped} of {len(frame)} events left out of the regression for missing values "
            f"(e.g. {', '.join(map(str, ids[:3]))})",
            MissingDataWarning,
            stacklevel=2,
        )
    k = model.exog.shape[1]
    if len(used) <= k:
        raise EventStudyError(
            f"the regression has {len(used)} events for {k} coefficients; it needs more events"
        )
    if cov_kwds is not None and not isinstance(cov_kwds, dict):
        raise EventStudyError(f"cov_kwds must be a dict or None, got {cov_kwds!r}")
    kwds = dict(cov_kwds or {})
    if cov_type == "cluster":
        columns = [cluster] if isinstance(cluster, str) else list(cluster)
        if not 1 <= len(columns) <= 2:
            raise EventStudyError(f"cluster must name one or two columns, got {cluster!r}")
        for column in columns:
            if column not in frame.columns:
                raise EventStudyError(
                    f"cluster={column!r} is not a column of the regression frame; columns: "
                    f"{', '.join(frame.columns)}"
                )
            if frame.loc[used, column].isna().any():
                raise EventStudyError(f"cluster column {column!r} has missing values")
            n_clusters = frame.loc[used, column].nunique()
            if n_clusters < 2:
                raise EventStudyError(
                    f"cluster={column!r} gives {n_clusters} cluster(s); clustered standard "
                    "errors need at least 2 (and are reliable only with many)"
                )
        codes = np.column_stack([pd.factorize(frame.loc[used, column])[0] for column in columns])
        kwds["groups"] = codes[:, 0] if codes.shape[1] == 1 else codes
    return model.fit(cov_type=cov_type, cov_kwds=kwds or None, use_t=use_t)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
