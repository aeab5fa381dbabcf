"""Multi-event inference on a fitted study: CAAR, AAR and the test battery.

:class:`MultiEventInference` is inherited by
:class:`~eventstudy.results.EventStudyResults`. It turns the fitted arrays into
an :class:`~eventstudy.inference.EventPanel` and hands it to the pure
functions of :mod:`eventstudy.inference`. Every statistic uses the
prediction-error variance of the abnormal returns (as in the original
papers), whatever ``ar_variance`` the single-event t statistics use; the
alternative standardisation of the BMP test is the ``bmp_standardize``
option.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import abnormal

__all__ = ["MultiEventInference"]


class MultiEventInference:
    """Mixin: ``caar``, ``aar``, ``test``, ``test_aar``, ``test_results``."""

    # --------------------------------------------------------------- panel
    def event_panel(self, events: Iterable[int] | None = None):
        """The per-event arrays the tests work on (an :class:`~eventstudy.inference.EventPanel`).

        Parameters
        ----------
        events : iterable of int, optional
            Row positions in :attr:`events` to keep (default: all).
        """
        from .inference import EventPanel

        a = self._a
        # all events: basic slicing gives views, no copy of the (N, M) arrays
        idx = slice(None) if events is None else _positions(events, self.n_events)
        ar_var = a.get("ar_var")
        sub = {key: a[key][idx] for key in ("ar", "x_event", "xtx_inv", "sigma2")}
        sub_ar_var = None if ar_var is None else ar_var[idx]
        lo = self.study.event_window[0]

        def car_var(start: int, end: int) -> np.ndarray:
            cols = slice(start - lo, end - lo + 1)
            return abnormal.car(
                sub["ar"],
                sub["x_event"],
                sub["xtx_inv"],
                sub["sigma2"],
                cols,
                "prediction",
                sub_ar_var,
            )[1]

        est = self.study.estimation_window
        return EventPanel(
            event_ar=sub["ar"],
            event_ar_var=abnormal.ar_variance(
                sub["x_event"], sub["xtx_inv"], sub["sigma2"], "prediction", sub_ar_var
            ),
            rel_days=self.rel_days,
            est_ar=a["est_resid"][idx],
            sigma=np.sqrt(sub["sigma2"]),
            n_obs=a["n_obs"][idx],
            k=int(self.model.k),
            event_dates=self.events["day0"].to_numpy(dtype="datetime64[ns]")[idx],
            car_var_fn=car_var,
            event_ids=self.events["event_id"].to_numpy()[idx],
            est_rel_days=np.arange(est[0], est[1] + 1),
        )

    @cached_property
    def _full_panel(self):
        return self.event_panel()

    def _default_window(self, window):
        if window is not None:
            return self._columns(window)[0]
        lo, hi = self.study.event_window
        return (-1, 1) if lo <= -1 and hi >= 1 else (lo, hi)

    def _groups(self, by: object):
        """Yield ``(label, panel)`` for the whole sample or each group of ``by``."""
        if by is None:
            yield None, self._full_panel
            return
        from .groups import group_labels  # a column, a mapping event_id -> label, or labels

        labels = group_labels(self.events, by)
        for label in pd.unique(labels):
            yield label, self.event_panel(np.flatnonzero((labels == label).to_numpy()))

    @staticmethod
    def _stack(frames: list[tuple[object, pd.DataFrame]], by: str | None) -> pd.DataFrame:
        if by is None:
            return frames[0][1]
        out = []
        name = by if isinstance(by, str) else "group"
        for label, frame in frames:
            frame = frame.copy()
            frame.insert(0, name, label)
            out.append(frame)
        return pd.concat(out, ignore_index=True)

    # ---------------------------------------------------------------- CAAR
    def caar(
        self, window: tuple[int, int] | None = None, *, level: float = 0.95, by: str | None = None
    ) -> pd.DataFrame:
        r"""Cumulative average abnormal return over a window, across events.

        Parameters
        ----------
        window : (int, int), optional
            Relative days, inclusive (default (-1, +1)).
        level : float, default 0.95
            Confidence level of ``ci_low``/``ci_high``.
        by : str, optional
            An events column (e.g. ``"group"``): one row per group.

        Returns
        -------
        pandas.DataFrame
            ``window, caar, caar_se, t_stat, p_value, ci_low, ci_high, n``
            (cross-sectional standard error :math:`s_{CAR}/\sqrt N`, Student t
            with N − 1 df).
        """
        from .inference import caar_table

        window = self._default_window(window)
        frames = [(g, caar_table(p, window, level=level)) for g, p in self._groups(by)]
        return self._stack(frames, by)

    def aar(self, *, level: float = 0.95, by: str | None = None) -> pd.DataFrame:
        """Average abnormal return per relative day, with cross-sectional bands.

        Returns
        -------
        pandas.DataFrame
            ``rel_day, aar, aar_se, t_stat, p_value, ci_low, ci_high, n, caar``.
        """
        from .inference import aar_table

        frames = [(g, aar_table(p, level=level)) for g, p in self._groups(by)]
        return self._stack(frames, by)

    # --------------------------------------------------------------- tests
    def test(
        self,
        window: tuple[int, int] | None = None,
        tests: str | Iterable[str] | None = None,
        *,
        by: str | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """Run the multi-event test battery over a window.

        Parameters
        ----------
        window : (int, int), optional
            Relative days, inclusive (default (-1, +1)).
        tests : str or iterable of str, optional
            Names from :data:`eventstudy.inference.TESTS` (default: all):
            ``csect_t, patell, bmp, kolari_pynnonen, skewness_t,
            crude_dependence, sign, generalized_sign, corrado, grank,
            wilcoxon, bootstrap``.
        by : str, optional
            An events column: the battery is run in each group.
        **options
            Passed to the tests that accept them: ``bmp_standardize``
            (``"prediction"`` | ``"sigma"``), ``rank_scale`` (``"T"`` |
            ``"T-1"``), ``sign_pvalue``, ``alternative``, ``n_boot``,
            ``level``, ``seed``.

        Returns
        -------
        pandas.DataFrame
            One row per test: ``window, test, statistic, p_value, n, df, null,
            reference, reason`` (``reason`` says why a test could not run; its
            statistic is then NaN).

        Examples
        --------
        >>> import eventstudy as es
        >>> ev = es.datasets.load_events()
        >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
        >>> res.test((0, 0), ["csect_t", "patell"])["test"].tolist()
        ['csect_t', 'patell']
        """
        from .inference import run_tests, window_label

        window = self._default_window(window)
        frames = []
        for group, panel in self._groups(by):
            frame = run_tests(panel, window, tests, **options)
            frame.insert(0, "window", window_label(window))
            frames.append((group, frame))
        return self._stack(frames, by)

    def test_results(
        self,
        window: tuple[int, int] | None = None,
        tests: str | Iterable[str] | None = None,
        **options: Any,
    ) -> dict:
        """The tests as result objects (``stat``, ``pvalue``, ``null``, ``summary()``)."""
        from .inference import compute_tests

        return compute_tests(self._full_panel, self._default_window(window), tests, **options)

    def test_aar(
        self,
        tests: str | Iterable[str] | None = None,
        *,
        days: Iterable[int] | None = None,
        **options: Any,
    ) -> pd.DataFrame:
        """The test battery on each relative day's AAR (one row per day and test)."""
        from .inference import run_daily_tests

        return run_daily_tests(self._full_panel, tests, days=days, **options)


def _positions(events: object, n: int) -> np.ndarray:
    """Row positions ``0 <= i < n`` from an iterable of integers (an EventStudyError otherwise)."""
    from .exceptions import EventStudyError

    try:
        idx = np.asarray([operator.index(i) for i in events], dtype=np.int64)  # type: ignore
    except TypeError:
        raise EventStudyError(
            f"events must be row positions (integers) in results.events, got {events!r}"
        ) from None
    bad = idx[(idx < 0) | (idx >= n)]
    if len(bad):
        raise EventStudyError(
            f"event position {int(bad[0])} is out of range; results hold {n} events (0 to {n - 1})"
        )
    return idx
