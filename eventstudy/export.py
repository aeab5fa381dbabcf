r"""Tables of a fitted study, and their CSV, LaTeX and Excel exports.

:func:`tables` gathers every table of a result as tidy DataFrames (numbers
stay numbers); the writers below turn them into files. Every writer writes to
a temporary file beside the target and renames it into place, so an error
never leaves a half-written file behind.

Tables
------
``events``      the estimated events (with ``day0``)
``ar``          abnormal returns, one row per event and relative day
``car``         CAR per event and window (with the events' ``day0``, ``kind``, ``time``)
``bhar``        BHAR per event and window
``params``      per-event model estimates
``skipped``     events not estimated, with the reason
``caar``        cross-event CAAR per window (``res.caar``)
``tests``       the multi-event test battery per window (``res.test``)
``provenance``  package version, data source and coverage, design
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._plotting_utils import pretty_window, stars, window_label
from .exceptions import EventStudyError, MissingDependencyError

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = [
    "MissingDependencyError",
    "default_windows",
    "tables",
    "car_table",
    "to_csv",
    "to_latex",
    "to_excel",
    "atomic_path",
    "TABLES",
]

#: CAR windows reported when none are given (those inside the event window); the
#: first is the headline window of the report and the command line.
STANDARD_WINDOWS = ((-1, 1), (0, 0), (0, 1), (-5, 5))

#: Names of the tables, in the order they are written.
TABLES = ("events", "car", "bhar", "ar", "params", "skipped", "caar", "tests", "provenance")


def default_windows(res: EventStudyResults) -> list[tuple[int, int]]:
    """The standard CAR windows that fit inside the study's event window.

    ``(-1, 1), (0, 0), (0, 1), (-5, 5)`` and the event window itself.
    """
    from .results import require_results

    require_results(res, "the export")
    lo, hi = res.study.event_window
    out = [w for w in STANDARD_WINDOWS if lo <= w[0] and w[1] <= hi]
    if (lo, hi) not in out:
        out.append((lo, hi))
    return out


def _windows(res: EventStudyResults, windows) -> list[tuple[int, int]]:
    from .results import require_results

    require_results(res, "the export")
    if windows is None:
        return default_windows(res)
    if not isinstance(windows, (list, tuple)):
        raise EventStudyError(f"windows must be a list of (start, end) pairs, got {windows!r}")
    if len(windows) == 2 and all(isinstance(v, (int, np.integer)) for v in windows):
        windows = [windows]
    out = []
    for w in windows:
        window, _ = res._columns(w)  # validates: a pair inside the event window
        out.append(window)
    if not out:
        raise EventStudyError("windows is empty; pass at least one (start, end) pair")
    return list(dict.fromkeys(out))


def car_table(res: EventStudyResults, windows=None) -> pd.DataFrame:
    """CAR of every event over every window, beside the event's day 0, kind and time.

    Returns
    -------
    pandas.DataFrame
        ``event_id, ticker, day0, time, kind, window, start, end, car,
        car_se, t_stat, p_value, df``.
    """
    windows = _windows(res, windows)
    frame = res.car(windows)
    info = [c for c in ("day0", "time", "kind") if c in res.events.columns]
    extra = res.events[["event_id", *info]]
    frame = frame.merge(extra, on="event_id", how="left", validate="many_to_one")
    first = ["event_id", "ticker", *info]
    return frame[first + [c for c in frame.columns if c not in first]]


def per_window(res: EventStudyResults, name: str, windows) -> pd.DataFrame:
    """``res.caar(w)`` or ``res.test(w)`` for every window, stacked (one ``window`` column)."""
    method = getattr(res, name)
    parts = []
    for w in windows:
        part = method(w)
        if "window" not in part.columns:
            part.insert(0, "window", window_label(w))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def provenance_frame(res: EventStudyResults) -> pd.DataFrame:
    """``res.provenance`` flattened to ``key, value`` rows (``returns.last``...)."""
    rows = []
    for key, value in res.provenance.items():
        if isinstance(value, dict):
            rows.extend((f"{key}.{k}", str(v)) for k, v in value.items())
        else:
            rows.append((key, str(value)))
    return pd.DataFrame(rows, columns=["key", "value"])


def tables(res: EventStudyResults, windows=None) -> dict[str, pd.DataFrame]:
    """Every table of a result, as tidy DataFrames.

    Parameters
    ----------
    res : EventStudyResults
    windows : list of (int, int), optional
        CAR/BHAR/CAAR/test windows (default: :func:`default_windows`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Keyed by the names of :data:`TABLES`, in that order.

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> from eventstudy.export import tables
    >>> list(tables(res))[:3]
    ['events', 'car', 'bhar']
    """
    windows = _windows(res, windows)
    out = {
        "events": res.events.copy(),
        "car": car_table(res, windows),
        "bhar": res.bhar(windows),
        "ar": res.ar.copy(),
        "params": res.params.copy(),
        "skipped": res.skipped.copy(),
    }
    out["caar"] = per_window(res, "caar", windows)
    out["tests"] = per_window(res, "test", windows)
    out["provenance"] = provenance_frame(res)
    return {name: out[name] for name in TABLES if name in out}


def as_path(path: object, what: str) -> Path:
    """``path`` as a Path; an EventStudyError naming ``what`` if it is not path-like."""
    if not isinstance(path, (str, os.PathLike)) or str(path).strip() == "":
        raise EventStudyError(f"{what} must be a file or folder path, got {path!r}")
    return Path(path)


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` if the block succeeds."""
    target = as_path(path, "path")
    if target.is_dir():
        raise EventStudyError(f"{target} is a directory; expected a file name")
    if not target.parent.exists():
        raise EventStudyError(f"{target.parent} does not exist; create the folder first")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def to_csv(res: EventStudyResults, directory: str | os.PathLike, windows=None) -> dict[str, Path]:
    """Write every table to ``directory/<name>.csv`` (the folder is created if needed).

    Returns
    -------
    dict of str to pathlib.Path
        The files written, by table name.
    """
    folder = as_path(directory, "directory")
    if folder.exists() and not folder.is_dir():
        raise EventStudyError(f"{folder} exists and is not a directory")
    frames = tables(res, windows)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in frames.items():
        written[name] = folder / f"{name}.csv"
        with atomic_path(written[name]) as tmp:
            frame.to_csv(tmp, index=False, date_format="%Y-%m-%d")
    return written


# ------------------------------------------------------------------ LaTeX
_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: object) -> str:
    """Escape LaTeX's special characters in ``text``."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _latex_number(value: float, digits: int, scale: float) -> str:
    if not np.isfinite(value):
        return "--"
    text = f"{value * scale:.{digits}f}"
    return "$-$" + text[1:] if text.startswith("-") else text


def to_latex(
    res: EventStudyResults,
    windows=None,
    *,
    path: str | os.PathLike | None = None,
    caption: str | None = None,
    label: str = "tab:car",
    digits: int = 2,
    percent: bool = True,
    stat: str = "t_stat",
) -> str:
    r"""A booktabs table of CARs with t-statistics and stars, as papers print them.

    One row per event (and a CAAR row, with the cross-sectional t, when there
    are several events), one column per window; each cell holds the CAR with stars and,
    below it, the t-statistic in parentheses. Needs ``\usepackage{booktabs}``.

    Parameters
    ----------
    res : EventStudyResults
    windows : list of (int, int), optional
        Columns (default: :func:`default_windows`).
    path : path-like, optional
        Also write the table there.
    caption, label : str, optional
        ``\caption`` and ``\label`` of the table.
    digits : int, default 2
    percent : bool, default True
        CARs in percent.
    stat : {"t_stat", "p_value"}, default "t_stat"
        What goes in parentheses.

    Returns
    -------
    str
        The LaTeX source.

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> print(res.to_latex([(0, 0), (-1, 1)]).splitlines()[0])
    \begin{table}[htbp]
    """
    if stat not in ("t_stat", "p_value"):
        raise EventStudyError(f"stat must be 't_stat' or 'p_value', got {stat!r}")
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or digits < 0:
        raise EventStudyError(f"digits must be a non-negative integer, got {digits!r}")
    windows = _windows(res, windows)
    table = res.car(windows)
    scale = 100.0 if percent else 1.0
    header = " & ".join(f"CAR{pretty_window(w)}" for w in windows)
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        rf"\caption{{{latex_escape(caption or _default_caption(res))}}}",
        rf"\label{{{label}}}",
        rf"\begin{{tabular}}{{l{'r' * len(windows)}}}",
        r"\toprule",
        rf"Event & {header} \\",
        r"\midrule",
    ]
    by_window = {
        w: table[table["window"] == window_label(w)].set_index("event_id") for w in windows
    }

    def cell(value, p):
        star = stars(p)
        return _latex_number(value, digits, scale) + (f"$^{{{star}}}$" if star else "")

    def below(t, p):
        value = t if stat == "t_stat" else p
        return f"({_latex_number(value, digits, 1.0)})"

    for eid in res.events["event_id"]:
        rows = [by_window[w].loc[eid] for w in windows]
        lines.append(
            latex_escape(eid) + " & " + " & ".join(cell(r.car, r.p_value) for r in rows) + r" \\"
        )
        lines.append(" & " + " & ".join(below(r.t_stat, r.p_value) for r in rows) + r" \\")
    if res.n_events > 1:
        caar = per_window(res, "caar", windows)
        lines.append(r"\midrule")
        lines.append(
            rf"CAAR ($N={res.n_events}$) & "
            + " & ".join(cell(r.caar, r.p_value) for r in caar.itertuples())
            + r" \\"
        )
        lines.append(
            " & " + " & ".join(below(r.t_stat, r.p_value) for r in caar.itertuples()) + r" \\"
        )
    what = "$t$-statistics" if stat == "t_stat" else "$p$-values"
    lines += [
        r"\bottomrule",
        r"\end{tabular}",
        r"\par\smallskip\footnotesize",
        ("CARs in percent; " if percent else "CARs in decimals; ")
        + rf"{what} in parentheses (prediction-error variance, Student $t$ with $m-k$ degrees "
        r"of freedom). $^{*}$ $p<0.1$, $^{**}$ $p<0.05$, $^{***}$ $p<0.01$ (two-sided).",
        r"\end{table}",
    ]
    text = "\n".join(lines) + "\n"
    if path is not None:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return text


def _default_caption(res: EventStudyResults) -> str:
    est = res.study.estimation_window
    return (
        f"Cumulative abnormal returns, {res.model.label}, estimated over days {est[0]} to {est[1]}"
    )


# ------------------------------------------------------------------ Excel
def to_excel(res: EventStudyResults, path: str | os.PathLike, windows=None) -> Path:
    """Write every table to one Excel workbook, one sheet per table (needs openpyxl).

    Raises
    ------
    MissingDependencyError
        If openpyxl is not installed (an ``EventStudyError`` and an ``ImportError``).
    """
    target = as_path(path, "path")
    if target.suffix.lower() != ".xlsx":
        raise EventStudyError(f"{target}: expected an .xlsx file name")
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise MissingDependencyError(
            "to_excel needs the optional package openpyxl: pip install openpyxl "
            "(or use to_csv, which needs nothing)"
        ) from None
    frames = tables(res, windows)
    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
    return target
