"""One self-contained HTML report of a fitted study.

:func:`build_report` returns the HTML text; :func:`write_report` writes it
atomically. Figures are embedded as base64 PNG and the style sheet is inline,
so the file can be mailed or archived on its own: it references no external
asset, script or font.

Sections: the design (model, windows, data provenance and last date), the
figures, the per-event CAR table, the multi-event tests, the skipped events
with their reasons, and the full provenance.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._plotting_utils import band_name, pretty_window, stars, window_label
from .exceptions import EventStudyError
from .export import _windows, as_path, atomic_path, per_window, provenance_frame

if TYPE_CHECKING:  # pragma: no cover
    from .results import EventStudyResults

__all__ = ["build_report", "write_report"]

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
.muted { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #e4e4e4; text-align: left;
         vertical-align: top; }
th { background: #f4f4f4; border-bottom: 2px solid #bbb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.neg { color: #b2182b; } td.pos { color: #2166ac; }
table.design td:first-child { font-weight: 600; white-space: nowrap; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
.note { color: #555; font-size: 0.85em; }
"""


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _img(fig, alt: str, dpi: int = 100) -> str:
    """The figure as an inline base64 PNG ``<img>``; the figure is closed."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _figure(img: str, caption: str) -> str:
    return f"<figure>{img}<figcaption>{_esc(caption)}</figcaption></figure>"


def _table(header: Sequence[str], rows: Sequence[Sequence[tuple[str, str]]], cls: str = "") -> str:
    """HTML table; each cell is ``(text, css class)``; text is escaped here."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="{c}">{_esc(t)}</td>' for t, c in row) + "</tr>"
        for row in rows
    )
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _num(value: float, fmt: str, *, signed: bool = False) -> tuple[str, str]:
    if value is None or not np.isfinite(value):
        return ("–", "num")
    cls = "num" + ((" neg" if value < 0 else " pos") if signed else "")
    return (format(value, fmt), cls)


def _frame_table(frame: pd.DataFrame) -> str:
    rows = []
    for record in frame.itertuples(index=False):
        row = []
        for value in record:
            if isinstance(value, (float, np.floating)):
                row.append(_num(float(value), ".4g"))
            elif isinstance(value, (int, np.integer)):
                row.append((str(value), "num"))
            else:
                row.append(("" if value is None or value is pd.NaT else str(value), ""))
        rows.append(row)
    return _table(list(frame.columns), rows)


# ------------------------------------------------------------------ sections
def _design(res: EventStudyResults) -> str:
    prov = res.provenance
    returns = prov.get("returns", {})
    study = res.study
    events = res.events
    shared = int(pd.DatetimeIndex(events["day0"]).duplicated(keep=False).sum())
    unknown = int((events.get("time", pd.Series(dtype=str)) == "unknown").sum())
    rows = [
        ("Model", f"{res.model.label} — {prov['model']}"),
        ("Estimation window", f"days {study.estimation_window[0]} to {study.estimation_window[1]}"),
        ("Event window", f"days {study.event_window[0]} to {study.event_window[1]}"),
        (
            "AR variance",
            study.ar_variance
            + (" (MacKinlay prediction error)" if study.ar_variance == "prediction" else ""),
        ),
        ("Return type", study.return_type),
        ("Calendar", prov.get("calendar", "")),
        (
            "Returns data",
            f"{returns.get('name', '?')}: {returns.get('first', '?')} to "
            f"{returns.get('last', '?')} (last date {returns.get('last', '?')})",
        ),
    ]
    if "factors" in prov:
        f = prov["factors"]
        rows.append(
            ("Factors data", f"{f.get('name', '?')}: {f.get('first', '?')} to {f.get('last', '?')}")
        )
    rows += [
        ("Events", f"{res.n_events} estimated, {len(res.skipped)} skipped"),
        ("Day 0 shared", f"{shared} event(s) share their day 0 with another event"),
        ("Time unknown", f"{unknown} event(s) without a time of day (treated as intraday)"),
        ("eventstudy", prov.get("eventstudy", "")),
    ]
    return _table(["", ""], [[(k, ""), (str(v), "")] for k, v in rows], cls="design")


def _event_table(res: EventStudyResults, windows: list[tuple[int, int]]) -> str:
    table = res.car(windows)
    by_window = {
        w: table[table["window"] == window_label(w)].set_index("event_id") for w in windows
    }
    events = res.events
    shared = pd.DatetimeIndex(events["day0"]).duplicated(keep=False)
    header = ["event", "ticker", "kind", "date", "time", "day 0"]
    for w in windows:
        header += [f"CAR{pretty_window(w)} %", "t"]
    header.append("title")
    rows = []
    for i, row in enumerate(events.itertuples(index=False)):
        flag = ("†" if getattr(row, "time", "") == "unknown" else "") + ("‡" if shared[i] else "")
        cells = [
            (f"{row.event_id}{flag}", ""),
            (row.ticker, ""),
            (str(getattr(row, "kind", "") or ""), ""),
            (f"{pd.Timestamp(row.date):%Y-%m-%d}", ""),
            (str(getattr(row, "time", "")), ""),
            (f"{pd.Timestamp(row.day0):%Y-%m-%d}", ""),
        ]
        for w in windows:
            r = by_window[w].loc[row.event_id]
            text, cls = _num(100 * r.car, "+.2f", signed=True)
            cells += [(text + stars(r.p_value), cls), _num(r.t_stat, ".2f")]
        cells.append((str(getattr(row, "title", "") or ""), ""))
        rows.append(cells)
    return _table(header, rows)


def _tests(res: EventStudyResults, windows: list[tuple[int, int]]) -> str:
    if res.n_events < 2:
        return "<p>One event: there is nothing to test across events.</p>"
    parts = [
        "<h3>CAAR across events</h3>",
        _frame_table(per_window(res, "caar", windows)),
        '<p class="note">Cross-sectional standard error; Student t with N − 1 degrees of '
        "freedom.</p>",
    ]
    tests = per_window(res, "test", windows)
    for label, part in tests.groupby("window", sort=False):
        shown = part.drop(columns=["window"])
        if shown["reason"].isna().all():
            shown = shown.drop(columns=["reason"])
        parts.append(f"<h3>Test battery, CAR window {_esc(label)}</h3>" + _frame_table(shown))
    return "\n".join(parts)


def _skipped(res: EventStudyResults) -> str:
    if not len(res.skipped):
        return "<p>None: every event was estimated.</p>"
    frame = res.skipped.copy()
    for col in ("date", "day0"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col]).dt.strftime("%Y-%m-%d")
    return _frame_table(frame)


def _figures(res: EventStudyResults, windows: list[tuple[int, int]], max_facets: int) -> str:
    import matplotlib.pyplot as plt

    from . import plotting

    out = []
    if res.n_events > 1:
        ax = plotting.plot_caar(res)
        out.append(
            _figure(
                _img(ax.figure, "CAAR"),
                "Cumulative average abnormal return across events, with a "
                "cross-sectional 95% band; pale bars: the daily average AR.",
            )
        )
        if "kind" in res.events and res.events["kind"].nunique() > 1:
            ax = plotting.plot_caar(res, by="kind")
            out.append(_figure(_img(ax.figure, "CAAR by kind"), "CAAR by kind of event."))
    ax = plotting.plot_car_heatmap(res, windows)
    out.append(
        _figure(
            _img(ax.figure, "CAR heatmap"),
            "CAR of every event over each window, in percent; stars: single-event "
            "t-test (* p<0.1, ** p<0.05, *** p<0.01).",
        )
    )
    headline = res.car(windows[0])
    order = headline["t_stat"].abs().fillna(0).to_numpy().argsort()[::-1]
    top = sorted(order[:max_facets])
    ids = headline["event_id"].to_numpy()[top].tolist()
    if len(ids) > 1:
        grid = plotting.plot_car(res, ids, col_wrap=min(4, len(ids)))
        note = (
            f"the {len(ids)} of {res.n_events} events with the largest |t| of "
            f"CAR{pretty_window(windows[0])}"
            if len(ids) < res.n_events
            else "every event"
        )
        out.append(
            _figure(
                _img(grid.figure, "CAR paths", dpi=80),
                f"CAR paths with 95% bands ({band_name(res)}): {note}.",
            )
        )
    best = ids[int(np.argmax(np.abs(headline.set_index("event_id").loc[ids, "t_stat"])))]
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.6), layout="constrained")
    plotting.plot_returns(res, best, ax=axes[0])
    plotting.plot_ar(res, best, ax=axes[1])
    plotting.plot_ar_distribution(res, best, ax=axes[2])
    out.append(
        _figure(
            _img(fig, f"Detail of {best}"),
            f"The largest reaction, {best}: raw cumulative returns against the "
            "benchmark; daily ARs with 95% whiskers; the day-0 AR against the "
            "estimation-window ARs.",
        )
    )
    return "\n".join(out)


def build_report(
    res: EventStudyResults,
    *,
    windows=None,
    title: str | None = None,
    max_facets: int = 12,
    figures: bool = True,
) -> str:
    """The HTML text of the report (see :func:`write_report`)."""
    if not isinstance(max_facets, (int, np.integer)) or max_facets < 1:
        raise EventStudyError(f"max_facets must be a positive integer, got {max_facets!r}")
    windows = _windows(res, windows)
    tickers = ", ".join(dict.fromkeys(res.events["ticker"]))
    title = title or f"Event study: {tickers} ({res.n_events} events, {res.model.label})"
    now = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    notes = (
        '<p class="note">CAR in percent; t: single-event t-statistic with the prediction-error '
        "variance (Student t, m − k degrees of freedom); * p&lt;0.1, ** p&lt;0.05, *** p&lt;0.01 "
        "(two-sided). † time of day unknown: day 0 assumes the news came before the close. "
        "‡ day 0 shared with another event (clustered).</p>"
    )
    body = [
        f"<h1>{_esc(title)}</h1>",
        f'<p class="muted">Generated {_esc(now)} by eventstudy {_esc(res.provenance["eventstudy"])}'
        f" — data last date {_esc(res.provenance.get('returns', {}).get('last', '?'))}.</p>",
        "<h2>Design</h2>",
        _design(res),
    ]
    if figures:
        body += ["<h2>Figures</h2>", _figures(res, windows, int(max_facets))]
    body += [
        "<h2>Events</h2>",
        _event_table(res, windows),
        notes,
        "<h2>Tests across events</h2>",
        _tests(res, windows),
        "<h2>Skipped events</h2>",
        _skipped(res),
        "<h2>Provenance</h2>",
        _frame_table(provenance_frame(res)),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_report(
    res: EventStudyResults,
    path: str | os.PathLike,
    *,
    windows=None,
    title: str | None = None,
    max_facets: int = 12,
    figures: bool = True,
) -> Path:
    """Write the self-contained HTML report of ``res`` to ``path``.

    Parameters
    ----------
    res : EventStudyResults
    path : path-like
        The ``.html`` file; its folder must exist. Written atomically.
    windows : list of (int, int), optional
        CAR windows of the tables and the heatmap; the first one ranks the
        events for the per-event figures (default: ``(-1, 1), (0, 0), (0, 1),
        (-5, 5)`` and the event window, where they fit).
    title : str, optional
    max_facets : int, default 12
        At most this many per-event CAR panels.
    figures : bool, default True
        Include the figures (False: tables only, much faster).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import eventstudy as es
    >>> ev = es.datasets.load_events()
    >>> res = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()
    >>> res.report("report.html")  # doctest: +SKIP
    PosixPath('report.html')
    """
    target = as_path(path, "path")
    text = build_report(res, windows=windows, title=title, max_facets=max_facets, figures=figures)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
