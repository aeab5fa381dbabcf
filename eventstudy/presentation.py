"""Plots, exports and the HTML report of a results object (delegating methods).

Kept apart from :mod:`eventstudy.results` so that the numbers and their
presentation evolve separately; :class:`~eventstudy.results.EventStudyResults`
inherits these methods. Each one imports its module on first use, so
``import eventstudy`` imports neither matplotlib nor seaborn.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .exceptions import EventStudyError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["ResultsPresentation", "PlotKind"]

PlotKind = Literal["car", "ar", "returns", "ar_distribution", "caar", "car_heatmap"]


class ResultsPresentation:
    """Mixin: ``plot``, ``to_frame``, ``to_csv``, ``to_latex``, ``to_excel``, ``report``."""

    def plot(self, kind: PlotKind = "car", **kwargs: Any):
        """Draw one of the figures of :mod:`eventstudy.plotting`.

        Parameters
        ----------
        kind : {"car", "ar", "returns", "ar_distribution", "caar", "car_heatmap"}
            :func:`~eventstudy.plotting.plot_car`, :func:`~eventstudy.plotting.plot_ar`,
            :func:`~eventstudy.plotting.plot_returns`,
            :func:`~eventstudy.plotting.plot_ar_distribution`,
            :func:`~eventstudy.plotting.plot_caar` or
            :func:`~eventstudy.plotting.plot_car_heatmap`.
        **kwargs
            Passed on (``event_id=``, ``window=``, ``ax=``...).

        Returns
        -------
        matplotlib.axes.Axes or seaborn.FacetGrid

        Examples
        --------
        >>> import eventstudy as es
        >>> ev = es.datasets.load_events()
        >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
        >>> ax = res.plot("ar", event_id="meta-q4-2025-earnings")
        """
        import inspect

        from .plotting import PLOTS

        if not isinstance(kind, str) or kind not in PLOTS:
            raise EventStudyError(
                f"plot kind {kind!r} is not known; expected one of {', '.join(map(repr, PLOTS))}"
            )
        accepted = list(inspect.signature(PLOTS[kind]).parameters)[1:]
        unknown = [key for key in kwargs if key not in accepted]
        if unknown:
            raise EventStudyError(
                f"plot kind {kind!r} has no option {', '.join(map(repr, unknown))}; "
                f"its options are {', '.join(accepted)}"
            )
        return PLOTS[kind](self, **kwargs)

    def to_frame(self, table: str = "car", *, windows=None) -> pd.DataFrame:
        """One table of the results as a tidy DataFrame.

        Parameters
        ----------
        table : str, default "car"
            ``"car"`` (per event and window, with day 0, time and kind),
            ``"bhar"``, ``"ar"``, ``"events"``, ``"params"``, ``"skipped"``,
            ``"caar"`` and ``"tests"`` (with multi-event inference) or
            ``"provenance"``.
        windows : list of (int, int), optional
            Windows of the CAR/BHAR/CAAR/test tables (default: ``(-1, 1), (0, 0),
            (0, 1), (-5, 5)`` and the event window, where they fit).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import eventstudy as es
        >>> ev = es.datasets.load_events()
        >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
        >>> res.to_frame(windows=[(-1, 1)]).columns[:4].tolist()
        ['event_id', 'ticker', 'day0', 'time']
        """
        from . import export

        if table == "car":
            return export.car_table(self, windows)  # type: ignore[arg-type]
        frames = export.tables(self, windows)  # type: ignore[arg-type]
        if not isinstance(table, str) or table not in frames:
            raise EventStudyError(
                f"table {table!r} is not available; expected one of {', '.join(map(repr, frames))}"
            )
        return frames[table]

    def to_csv(self, directory: str | os.PathLike, *, windows=None) -> dict[str, Path]:
        """Write every table to ``directory/<table>.csv``; returns the paths by table name.

        Examples
        --------
        >>> paths = res.to_csv("out/")  # doctest: +SKIP
        >>> sorted(paths)[:3]  # doctest: +SKIP
        ['ar', 'bhar', 'car']
        """
        from . import export

        return export.to_csv(self, directory, windows)  # type: ignore[arg-type]

    def to_latex(
        self,
        windows=None,
        *,
        path: str | os.PathLike | None = None,
        caption: str | None = None,
        label: str = "tab:car",
        digits: int = 2,
        percent: bool = True,
        stat: Literal["t_stat", "p_value"] = "t_stat",
    ) -> str:
        r"""A booktabs LaTeX table of CARs with t-statistics and stars.

        See :func:`eventstudy.export.to_latex` for the parameters.

        Examples
        --------
        >>> import eventstudy as es
        >>> ev = es.datasets.load_events()
        >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
        >>> "\\toprule" in res.to_latex([(-1, 1)])
        True
        """
        from . import export

        return export.to_latex(
            self,  # type: ignore[arg-type]
            windows,
            path=path,
            caption=caption,
            label=label,
            digits=digits,
            percent=percent,
            stat=stat,
        )

    def to_excel(self, path: str | os.PathLike, *, windows=None) -> Path:
        """Write every table to one ``.xlsx`` workbook, one sheet per table (needs openpyxl).

        Examples
        --------
        >>> res.to_excel("results.xlsx")  # doctest: +SKIP
        """
        from . import export

        return export.to_excel(self, path, windows)  # type: ignore[arg-type]

    def report(
        self,
        path: str | os.PathLike,
        *,
        windows=None,
        title: str | None = None,
        max_facets: int = 12,
        figures: bool = True,
    ) -> Path:
        """Write one self-contained HTML report (figures embedded, no external files).

        The design (model, windows, data provenance and last date), the
        per-event CAR table, the multi-event tests, the skipped events with
        their reasons, and the figures.

        Parameters
        ----------
        path : path-like
            The ``.html`` file to write (its folder must exist).
        windows : list of (int, int), optional
            CAR windows of the tables (default: the standard windows that fit).
        title : str, optional
        max_facets : int, default 12
            At most this many per-event CAR panels (the most significant).
        figures : bool, default True
            Include the figures (``False``: tables only, much faster).

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> res.report("report.html")  # doctest: +SKIP
        """
        from .report import write_report

        return write_report(
            self,  # type: ignore[arg-type]
            path,
            windows=windows,
            title=title,
            max_facets=max_facets,
            figures=figures,
        )
