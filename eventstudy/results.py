"""EventStudyResults: the frames, tests and presentation of a fitted study."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

from . import abnormal
from .exceptions import EventStudyError, WindowError
from .multi_event import MultiEventInference
from .presentation import ResultsPresentation

if TYPE_CHECKING:  # pragma: no cover
    from .panel import ReturnsPanel
    from .study import EventStudy

__all__ = ["EventStudyResults"]


def _label(window: tuple[int, int]) -> str:
    return f"({window[0]:+d}, {window[1]:+d})"


def require_results(obj: object, what: str) -> None:
    """Raise an EventStudyError unless ``obj`` is fitted results (``EventStudy(...).fit()``)."""
    if not isinstance(obj, EventStudyResults):
        raise EventStudyError(
            f"{what} needs fitted results (EventStudy(...).fit()), got {type(obj).__name__}"
        )


def _integral(value: object) -> bool:
    """An int, a numpy integer, or a float with an integer value (not a bool, not NaN)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and float(value).is_integer()


def _is_window_list(window: object) -> bool:
    """Whether ``window`` is a list of windows (``[(a, b), ...]``) rather than one window."""
    return (
        isinstance(window, (list, tuple))
        and len(window) > 0
        and isinstance(window[0], (tuple, list))
    )


def _stars(p: float) -> str:
    return "***" if p < 0.01 else "**" if p < 0.05 else "*" if p < 0.1 else ""


class EventStudyResults(MultiEventInference, ResultsPresentation):
    """Results of :meth:`EventStudy.fit`.

    Frames are tidy (one row per event, or per event and relative day) with
    stable column names; numbers stay numeric (stars only in :meth:`summary`).

    Attributes
    ----------
    study : EventStudy
        The specification that produced these results.
    events : pandas.DataFrame
        The estimated events (with ``day0``), in input order.
    skipped : pandas.DataFrame
        Events not estimated: ``event_id, ticker, date, day0, reason``.
    rel_days : ndarray
        Relative days of the event window.
    """

    def __init__(
        self,
        study: EventStudy,
        events: pd.DataFrame,
        skipped: pd.DataFrame,
        panel: ReturnsPanel,
        arrays: dict[str, np.ndarray],
    ) -> None:
        self.study = study
        self.events = events
        self.skipped = skipped
        self._panel = panel
        self._a = arrays
        self.rel_days = np.arange(study.event_window[0], study.event_window[1] + 1)

    # ------------------------------------------------------------ basics
    @property
    def model(self):
        """The expected-return model."""
        return self.study.model

    @property
    def n_events(self) -> int:
        """Number of estimated events."""
        return len(self.events)

    @property
    def provenance(self) -> dict:
        """Package version, data source and coverage, design."""
        from . import __version__

        return {
            "eventstudy": __version__,
            **self._panel.provenance,
            "calendar": self.study.calendar.name if self.study.calendar else "data",
            "model": repr(self.model),
            "estimation_window": self.study.estimation_window,
            "event_window": self.study.event_window,
            "ar_variance": self.study.ar_variance,
            "n_events": self.n_events,
            "n_skipped": len(self.skipped),
        }

    def _columns(self, window: tuple[int, int] | None) -> tuple[tuple[int, int], slice]:
        lo, hi = self.study.event_window
        if window is None:
            window = (lo, hi)
        try:
            a, b = window  # type: ignore[misc]
            if not all(_integral(v) for v in (a, b)):
                raise TypeError
            a, b = int(a), int(b)
        except (TypeError, ValueError):
            raise WindowError(
                f"window must be a pair of integers (start, end), got {window!r}"
            ) from None
        if a > b:
            raise WindowError(f"window {window!r} is reversed; expected start <= end")
        if a < lo or b > hi:
            raise WindowError(
                f"window {(a, b)} is outside the event window {(lo, hi)}; refit with a wider "
                "event_window"
            )
        return (a, b), slice(a - lo, b - lo + 1)

    @property
    def _df(self) -> np.ndarray:
        return self._a["df"]

    def _pvalue(self, t: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return 2.0 * stats.t.sf(np.abs(t), self._df)

    # ------------------------------------------------------------ frames
    @cached_property
    def ar(self) -> pd.DataFrame:
        """Abnormal returns: one row per event and relative day.

        Columns ``event_id, ticker, rel_day, date, ret, expected, ar, ar_se,
        ar_t, car`` where ``car`` cumulates from the start of the event window.
        """
        a = self._a
        n, length = a["ar"].shape
        var = abnormal.ar_variance(
            a["x_event"], a["xtx_inv"], a["sigma2"], self.study.ar_variance, a.get("ar_var")
        )
        se = np.sqrt(var)
        dates = self._panel.sessions.values[a["event_rows"]]
        frame = pd.DataFrame(
            {
                "event_id": np.repeat(self.events["event_id"].to_numpy(), length),
                "ticker": np.repeat(self.events["ticker"].to_numpy(), length),
                "rel_day": np.tile(self.rel_days, n),
                "date": dates.ravel(),
                "ret": a["ret"].ravel(),
                "expected": a["expected"].ravel(),
                "ar": a["ar"].ravel(),
                "ar_se": se.ravel(),
                "ar_t": (a["ar"] / se).ravel(),
                "car": np.cumsum(a["ar"], axis=1).ravel(),
            }
        )
        return frame

    def car(
        self, window: tuple[int, int] | Sequence[tuple[int, int]] | None = None
    ) -> pd.DataFrame:
        r"""Cumulative abnormal return of each event over a window.

        Parameters
        ----------
        window : (int, int) or list of them, optional
            Inclusive relative days inside the event window (default: all of it).

        Returns
        -------
        pandas.DataFrame
            ``event_id, ticker, window, start, end, car, car_se, t_stat,
            p_value, df``; the t statistic is Student's with df = m − k.

        Notes
        -----
        :math:`\operatorname{var}(CAR) = \hat\sigma^2(L_w + s'(X'X)^{-1}s)`
        (prediction error, MacKinlay 1997) or :math:`L_w\hat\sigma^2` with
        ``ar_variance="sigma"``; see :mod:`eventstudy.abnormal`.
        """
        if _is_window_list(window):
            return pd.concat([self.car(w) for w in window], ignore_index=True)
        window, cols = self._columns(window)  # type: ignore[arg-type]
        a = self._a
        value, var = abnormal.car(
            a["ar"],
            a["x_event"],
            a["xtx_inv"],
            a["sigma2"],
            cols,
            self.study.ar_variance,
            a.get("ar_var"),
        )
        return self._window_frame("car", window, value, var)

    def bhar(
        self, window: tuple[int, int] | Sequence[tuple[int, int]] | None = None
    ) -> pd.DataFrame:
        r"""Buy-and-hold abnormal return of each event over a window.

        :math:`BHAR = \prod(1+R_t) - \prod(1+E[R_t])`, with a delta-method
        standard error (see :mod:`eventstudy.abnormal`).

        Returns
        -------
        pandas.DataFrame
            ``event_id, ticker, window, start, end, bhar, bhar_se, t_stat, p_value, df``.
        """
        if _is_window_list(window):
            return pd.concat([self.bhar(w) for w in window], ignore_index=True)
        window, cols = self._columns(window)  # type: ignore[arg-type]
        a = self._a
        value, var = abnormal.bhar(
            a["ret"],
            a["expected"],
            a["x_event"],
            a["xtx_inv"],
            a["sigma2"],
            cols,
            return_type=self.study.return_type,
            kind=self.study.ar_variance,
            ar_var=a.get("ar_var"),
        )
        return self._window_frame("bhar", window, value, var)

    def _window_frame(self, name, window, value, var) -> pd.DataFrame:
        se = np.sqrt(var)
        t = value / se
        return pd.DataFrame(
            {
                "event_id": self.events["event_id"].to_numpy(),
                "ticker": self.events["ticker"].to_numpy(),
                "window": _label(window),
                "start": window[0],
                "end": window[1],
                name: value,
                f"{name}_se": se,
                "t_stat": t,
                "p_value": self._pvalue(t),
                "df": self._df,
            }
        )

    @cached_property
    def params(self) -> pd.DataFrame:
        """Per-event estimates: parameters, ``sigma``, ``df``, ``n_obs``, ``n_excluded``."""
        frame = pd.DataFrame(self._a["params"], columns=list(self.model.param_names))
        frame.insert(0, "event_id", self.events["event_id"].to_numpy())
        frame.insert(1, "ticker", self.events["ticker"].to_numpy())
        frame["sigma"] = np.sqrt(self._a["sigma2"])
        frame["df"] = self._a["df"]
        frame["n_obs"] = self._a["n_obs"]
        frame["n_excluded"] = self._a["excluded"]
        return frame

    @cached_property
    def fits(self) -> Mapping:
        """statsmodels ``RegressionResults`` per event id, computed on first access.

        Examples
        --------
        >>> res.fits["meta-q3-2025-earnings"].summary()  # doctest: +SKIP
        """
        return _LazyFits(self)

    def estimation_data(self, event_id: str) -> tuple[pd.Series, pd.DataFrame]:
        """The valid estimation-window ``y`` and regressors ``X`` (with constant) of one event."""
        from .design import gather
        from .models import MarketAdjusted

        i = self._event_index(event_id)
        a, st = self._a, self.study
        w = gather(
            self._panel,
            self.model,
            a["asset"][i : i + 1],
            a["day0_pos"][i : i + 1],
            st.estimation_window,
            st.event_window,
        )
        valid = np.isfinite(a["est_resid"][i])
        rows = a["day0_pos"][i] + np.arange(st.estimation_window[0], st.estimation_window[1] + 1)
        index = self._panel.sessions[rows[valid]]
        y = pd.Series(w.y_est[0, valid], index=index, name="y")
        if isinstance(self.model, MarketAdjusted):
            X = pd.DataFrame(index=index)
        else:
            names = [n for n in self.model.param_names[1 : self.model.k]]
            X = pd.DataFrame(w.Z_est[0, valid], index=index, columns=names)
            X.insert(0, "const", 1.0)
        return y, X

    def _event_index(self, event_id: str) -> int:
        if not isinstance(event_id, str):
            raise EventStudyError(f"event_id must be a string (an event id), got {event_id!r}")
        matches = np.flatnonzero(self.events["event_id"].to_numpy() == event_id)
        if len(matches) == 0:
            skipped = self.skipped.set_index("event_id")["reason"]
            if event_id in skipped.index:
                raise EventStudyError(f"event {event_id!r} was skipped: {skipped[event_id]}")
            raise EventStudyError(f"no event {event_id!r} in these results")
        return int(matches[0])

    # ------------------------------------------------------------ second stage
    def regress(
        self,
        formula: str,
        *,
        window: tuple[int, int] = (-1, 1),
        data: pd.DataFrame | None = None,
        cov_type: str = "nonrobust",
        cluster: str | Sequence[str] = "day0",
        cov_kwds: dict | None = None,
        use_t: bool | None = None,
    ):
        """Cross-sectional regression of CARs on event characteristics (statsmodels formula).

        ``res.regress("car ~ surprise + np.log(size)", window=(-1, 1), data=extra,
        cov_type="HC3")`` returns statsmodels ``RegressionResults``; the
        formula sees ``car, car_se, car_t, scar, bhar``, the event columns and
        those of ``data`` (matched on ``event_id``). See
        :func:`eventstudy.regression.regress` for the options and references.
        """
        from .regression import regress

        return regress(
            self, formula, window=window, data=data, cov_type=cov_type,  # type: ignore[arg-type]
            cluster=cluster, cov_kwds=cov_kwds, use_t=use_t,
        )  # fmt: skip

    def compare_groups(
        self,
        window: tuple[int, int] = (-1, 1),
        *,
        by: object = "group",
        groups: tuple | None = None,
        measure: str = "car",
        alternative: str = "two-sided",
    ) -> pd.DataFrame:
        """Welch t and Wilcoxon rank-sum tests of a CAR difference between two groups.

        See :func:`eventstudy.groups.compare_groups`.
        """
        from .groups import compare_groups

        return compare_groups(
            self, window, by=by, groups=groups, measure=measure,  # type: ignore[arg-type]
            alternative=alternative,  # type: ignore[arg-type]
        )  # fmt: skip

    def pre_event_drift(self, window: tuple[int, int] = (-5, -1), *, test: str = "auto", **options):
        """Test for drift (leakage) before day 0 (a TestResult).

        One event: the CAR t with prediction-error variance; several: BMP by
        default. See :func:`eventstudy.inference_extra.pre_event_drift_test`.
        """
        from .inference_extra import pre_event_drift_test

        return pre_event_drift_test(self, window, test=test, **options)

    # ------------------------------------------------------------ display
    def summary(self, window: tuple[int, int] | None = None):
        """A statsmodels ``Summary``: the design, then one line per event.

        Parameters
        ----------
        window : (int, int), optional
            CAR window reported per event; default (-1, +1) when inside the
            event window, else the whole event window.
        """
        from statsmodels.iolib.summary import Summary
        from statsmodels.iolib.table import SimpleTable

        if window is None:
            lo, hi = self.study.event_window
            window = (-1, 1) if lo <= -1 and hi >= 1 else (lo, hi)
        table = self.car(window)
        prov = self.provenance
        ret = prov.get("returns", {})
        left = [
            ("Model:", self.model.label),
            ("Estimation window:", str(self.study.estimation_window)),
            ("Event window:", str(self.study.event_window)),
            ("AR variance:", self.study.ar_variance),
            ("Return type:", self.study.return_type),
        ]
        right = [
            ("Events:", f"{self.n_events}"),
            ("Skipped:", f"{len(self.skipped)}"),
            ("Data:", f"{ret.get('name', '?')}"),
            ("Coverage:", f"{ret.get('first', '?')} to {ret.get('last', '?')}"),
            ("Calendar:", str(prov["calendar"])),
        ]
        smry = Summary()
        smry.add_table_2cols(
            self,
            gleft=[(k, [v]) for k, v in left],
            gright=[(k, [v]) for k, v in right],
            title="Event study results",
        )
        times = self.events["time"].to_numpy()
        day0 = pd.DatetimeIndex(self.events["day0"])
        shared = day0.duplicated(keep=False)
        rows = []
        for i, r in enumerate(table.itertuples()):
            flag = ("†" if times[i] == "unknown" else "") + ("‡" if shared[i] else "")
            rows.append(
                [
                    f"{r.event_id}{flag}",
                    f"{day0[i]:%Y-%m-%d}",
                    f"{r.car:+.4f}{_stars(r.p_value)}",
                    f"{r.t_stat:.2f}",
                    f"{r.p_value:.3f}",
                ]
            )
        smry.tables.append(
            SimpleTable(
                rows,
                headers=["event", "day 0", f"CAR{_label(window)}", "t", "p"],
                title="",
            )
        )
        notes = ["* p<0.1, ** p<0.05, *** p<0.01 (two-sided, Student t with df = m - k)."]
        if (times == "unknown").any():
            notes.append("† time of day unknown: day 0 assumes the news came before the close.")
        if shared.any():
            notes.append("‡ day 0 shared with another event (clustered).")
        if len(self.skipped):
            notes.append(f"{len(self.skipped)} event(s) skipped: see results.skipped.")
        smry.add_extra_txt(notes)
        return smry

    def __str__(self) -> str:
        return self.summary().as_text()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.n_events} events, {self.model!r}>\n{self}"

    def _repr_html_(self) -> str:
        return self.summary().as_html()


class _LazyFits(Mapping):
    """Mapping event_id -> statsmodels RegressionResults, fitted on access."""

    def __init__(self, results: EventStudyResults) -> None:
        self._results = results
        self._cache: dict[str, object] = {}

    def __getitem__(self, event_id: str):
        if "garch_fit" in self._results._a:  # arch ARCHModelResult, fitted on percent returns
            return self._results._a["garch_fit"][self._results._event_index(event_id)]
        if getattr(self._results.model, "beta", "ols") != "ols":
            raise EventStudyError(
                f"{self._results.model.label} is not one OLS regression; its alpha and beta are "
                f"in results.params (see eventstudy.thin_trading)"
            )
        if event_id not in self._cache:
            import statsmodels.api as sm

            y, X = self._results.estimation_data(event_id)
            if X.shape[1] == 0:
                raise EventStudyError(
                    f"{self._results.model.label} estimates no parameters; there is no regression "
                    f"to return for {event_id!r}"
                )
            self._cache[event_id] = sm.OLS(y, X).fit()
        return self._cache[event_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results.events["event_id"])

    def __len__(self) -> int:
        return self._results.n_events
