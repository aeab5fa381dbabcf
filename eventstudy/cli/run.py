"""``eventstudy run EVENTS.csv``: fit a study, print its CARs and tests, write a report.

Writes ``DIR/report.html`` (self-contained), ``DIR/car.csv``, ``DIR/ar.csv`` and
``DIR/tests.csv`` (the test battery over every CAR window). Everything is
computed before anything is written, and the files are written into a
temporary folder beside ``DIR`` and then moved into place, so a failure never
leaves a partial output folder behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import pandas as pd

from ..exceptions import EventStudyError, EventStudyWarning, WindowError

MODEL_CHOICES = ("market", "mean", "market_adjusted", "ff3", "carhart", "ff5")
SOURCE_CHOICES = ("auto", "snapshot", "yahoo")
_MAX_TERMINAL_WINDOWS = 4


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "run",
        help="run an event study: print CARs and tests, write an HTML report and CSVs",
        description=(
            "Fit an event study on the events of a CSV file, print the CAR of every event and "
            "the tests across events, and write DIR/report.html, DIR/car.csv and DIR/ar.csv."
        ),
        epilog=(
            "example: eventstudy run events.csv --source snapshot --car -1 1 --car 0 5 "
            "--estimation -250 -11 --out reports/meta"
        ),
    )
    p.add_argument(
        "events", metavar="EVENTS.csv", help="events CSV (event_id,ticker,date[,time,...])"
    )
    p.add_argument(
        "--model",
        choices=MODEL_CHOICES,
        default="market",
        help="expected-return model (default: market)",
    )
    p.add_argument(
        "--market",
        default="SPY",
        metavar="TICKER",
        help="market ticker of the market and market_adjusted models (default: SPY)",
    )
    p.add_argument(
        "--estimation",
        nargs=2,
        type=int,
        default=(-250, -11),
        metavar=("START", "END"),
        help="estimation window in trading days relative to day 0 (default: -250 -11)",
    )
    p.add_argument(
        "--window",
        nargs=2,
        type=int,
        default=(-10, 10),
        metavar=("START", "END"),
        help="event window in trading days relative to day 0 (default: -10 10)",
    )
    p.add_argument(
        "--car",
        nargs=2,
        type=int,
        action="append",
        metavar=("START", "END"),
        help="CAR window (repeatable; the first is the headline; default: -1 1, 0 0, "
        "0 1, -5 5 and the event window)",
    )
    p.add_argument(
        "--source",
        choices=SOURCE_CHOICES,
        default="auto",
        help="where prices come from (default: auto; snapshot = bundled, offline)",
    )
    p.add_argument(
        "--out",
        default="eventstudy-report",
        metavar="DIR",
        help="output folder (default: eventstudy-report)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 2) if any event cannot be estimated, instead of skipping it",
    )
    p.add_argument(
        "--no-figures", action="store_true", help="write the report without figures (faster)"
    )
    p.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show full tracebacks on errors",
    )
    p.set_defaults(handler=run)

    def one_line_error(message: str):
        print(f"eventstudy run: error: {message} (see eventstudy run --help)", file=sys.stderr)
        raise SystemExit(2)

    p.error = one_line_error  # type: ignore[method-assign]  # usage errors on one line too


def _check_windows(estimation, event, windows) -> None:
    """Window errors named with the command-line options (the library names its arguments)."""
    for option, (a, b) in (("--estimation", estimation), ("--window", event)):
        if a > b:
            raise WindowError(
                f"{option} {a} {b}: START must not exceed END (e.g. {option} {b} {a})"
            )
    if not (estimation[1] < event[0] or estimation[0] > event[1]):
        raise WindowError(
            f"--estimation {estimation[0]} {estimation[1]} overlaps "
            f"--window {event[0]} {event[1]}; the estimation window must end before the "
            "event window starts "
            f"(e.g. --estimation {event[0] - 240} {event[0] - 1})"
        )
    for a, b in windows or ():
        if a > b or a < event[0] or b > event[1]:
            raise WindowError(
                f"--car {a} {b}: expected START <= END inside the event window "
                f"--window {event[0]} {event[1]}"
            )


def run(args: argparse.Namespace) -> int:
    from ..export import default_windows
    from ..models import get_model
    from ..study import EventStudy

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise EventStudyError(f"--out {out}: exists and is not a folder")
    estimation, event = tuple(args.estimation), tuple(args.window)
    windows = [tuple(w) for w in args.car] if args.car else None
    _check_windows(estimation, event, windows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study = EventStudy(
            args.events,
            model=get_model(args.model, market=args.market.upper()),
            estimation_window=estimation,  # type: ignore[arg-type]
            event_window=event,  # type: ignore[arg-type]
            source=args.source,
        )
        res = study.fit()
        if args.strict and len(res.skipped):
            first = res.skipped.iloc[0]
            raise EventStudyError(
                f"{len(res.skipped)} event(s) could not be estimated (--strict); first: "
                f"{first['event_id']}: {first['reason']}"
            )
        windows = list(dict.fromkeys(windows or default_windows(res)))
        car = res.car(windows)
        caar = res.caar(windows[0]) if res.n_events > 1 else None
        tests = res.test(windows[0]) if res.n_events > 1 else None
    _print_warnings(caught, debug=getattr(args, "debug", False))
    sys.stderr.flush()
    _print_tables(res, car, windows, caar, tests)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = _write_outputs(res, out, windows, figures=not args.no_figures)
    _print_warnings(caught, debug=getattr(args, "debug", False))
    print(f"\nReport: {written[0]}")
    print("Tables: " + ", ".join(str(p) for p in written[1:]))
    return 0


def _print_warnings(caught, *, debug: bool) -> None:
    seen = set()
    for item in caught:
        if not (debug or issubclass(item.category, EventStudyWarning)):
            continue
        text = " ".join(str(item.message).split())
        if text not in seen:
            seen.add(text)
            print(f"eventstudy: warning: {text}", file=sys.stderr)


def _fmt_window(w: tuple[int, int]) -> str:
    from .._plotting_utils import pretty_window

    return pretty_window(w)


def _print_tables(res, car: pd.DataFrame, windows, caar, tests) -> None:
    from .._plotting_utils import stars, window_label

    prov = res.provenance
    data = prov.get("returns", {})
    est, evt = res.study.estimation_window, res.study.event_window
    tickers = ", ".join(dict.fromkeys(res.events["ticker"]))
    print(
        f"Event study: {res.n_events} event(s) of {tickers}; {res.model.label} "
        f"({prov['model']}); estimation [{est[0]}, {est[1]}], event window "
        f"[{evt[0]}, {evt[1]}]"
    )
    print(
        f"Data: {data.get('name', '?')} {data.get('first', '?')} to {data.get('last', '?')} "
        f"(last date {data.get('last', '?')}), calendar {prov['calendar']}\n"
    )
    table = pd.DataFrame(
        {
            "event": res.events["event_id"].to_numpy(),
            "day 0": pd.DatetimeIndex(res.events["day0"]).strftime("%Y-%m-%d"),
        }
    )
    shown = windows[:_MAX_TERMINAL_WINDOWS]
    for j, w in enumerate(shown):
        part = car[car["window"] == window_label(w)].set_index("event_id")
        part = part.loc[res.events["event_id"]]
        cells = [f"{100 * v:+.2f}% {stars(p):<3}" for v, p in zip(part["car"], part["p_value"])]
        table[f"CAR{_fmt_window(w)}"] = cells
        if j == 0:  # the headline window: its t and p too
            table["t"] = [f"{t:.2f}" for t in part["t_stat"]]
            table["p"] = [f"{p:.3f}" for p in part["p_value"]]
    with pd.option_context("display.max_rows", None, "display.width", 250):
        print(table.to_string(index=False))
    if len(windows) > len(shown):
        print(f"(CARs of {len(windows) - len(shown)} more window(s) in car.csv and the report)")
    print(
        f"t, p: CAR{_fmt_window(windows[0])} single-event t-test (prediction-error variance); "
        "* p<0.1, ** p<0.05, *** p<0.01"
    )
    if caar is not None:
        c = caar.iloc[0]
        print(
            f"\nAcross the {int(c['n'])} events, CAR{_fmt_window(windows[0])}: CAAR = "
            f"{100 * c['caar']:+.2f}% (95% CI {100 * c['ci_low']:+.2f}% to "
            f"{100 * c['ci_high']:+.2f}%)"
        )
        shown = tests.copy()
        for col in ("statistic", "p_value"):
            shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else f"{v:.3f}")
        shown["df"] = shown["df"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
        keep = ["test", "statistic", "p_value", "n", "df", "null"]
        if shown["reason"].notna().any():
            shown["reason"] = shown["reason"].fillna("")
            keep.append("reason")
        with pd.option_context("display.width", 250, "display.max_colwidth", 60):
            print(shown[keep].to_string(index=False))
    if len(res.skipped):
        print(f"\nSkipped {len(res.skipped)} event(s):")
        for r in res.skipped.itertuples():
            print(f"  {r.event_id}: {r.reason}")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_outputs(res, out: Path, windows, *, figures: bool) -> list[Path]:
    """Write report.html, car.csv, ar.csv, tests.csv in a temp folder, then move them to ``out``."""
    from ..export import tables
    from ..report import write_report

    frames = tables(res, windows)
    given, out = out, out.absolute()
    created = []
    for parent in reversed(out.parents):
        if not parent.exists():
            created.append(parent)
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        names = ["report.html", "car.csv", "ar.csv"]
        write_report(res, tmp / "report.html", windows=windows, figures=figures)
        frames["car"].to_csv(tmp / "car.csv", index=False, date_format="%Y-%m-%d")
        frames["ar"].to_csv(tmp / "ar.csv", index=False, date_format="%Y-%m-%d")
        frames["tests"].to_csv(tmp / "tests.csv", index=False)
        names.append("tests.csv")
        mode = 0o666 & ~_umask()
        for name in names:
            os.chmod(tmp / name, mode)
        if not out.exists():
            os.chmod(tmp, 0o777 & ~_umask())
            os.rename(tmp, out)
            tmp = None
        else:
            for name in names:
                os.replace(tmp / name, out / name)
    except BaseException:
        if created:  # the outermost folder this run created (and all below it)
            shutil.rmtree(created[0], ignore_errors=True)
        raise
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return [given / name for name in names]
