"""``eventstudy run``: the table, the files, and one clear line for each bad input."""

from __future__ import annotations

import re
import shlex
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402

import eventstudy as es  # noqa: E402
from eventstudy.cli import build_parser, main  # noqa: E402

HEADER = "event_id,ticker,date,time,kind\n"
EARNINGS = (
    "q3,META,2025-10-29,amc,earnings\n"
    "q4,META,2026-01-28,amc,earnings\n"
    "q2,META,2025-07-30,amc,earnings\n"
)


@pytest.fixture
def events(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(HEADER + EARNINGS)
    return path


def _run(capsys, *args):
    code = main(["run", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("eventstudy") and "Traceback" not in err
    return lines[0]


def test_negative_windows_and_repeated_car_parse():
    args = build_parser().parse_args(
        [
            "run",
            "e.csv",
            "--estimation",
            "-250",
            "-11",
            "--window",
            "-5",
            "5",
            "--car",
            "-1",
            "1",
            "--car",
            "0",
            "5",
            "--model",
            "ff3",
        ]
    )
    assert args.estimation == [-250, -11] and args.window == [-5, 5]
    assert args.car == [[-1, 1], [0, 5]] and args.model == "ff3"


def test_run_prints_the_table_and_writes_the_files(events, tmp_path, capsys):
    out_dir = tmp_path / "reports" / "meta"
    code, out, err = _run(
        capsys,
        events,
        "--source",
        "snapshot",
        "--car",
        "0",
        "1",
        "--car",
        "-5",
        "5",
        "--out",
        out_dir,
        "--no-figures",
    )
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "ar.csv",
        "car.csv",
        "report.html",
        "tests.csv",
    ]
    assert not [p for p in out_dir.parent.iterdir() if p.name.startswith(".")]  # no temp left
    lines = out.splitlines()
    assert lines[0].startswith("Event study: 3 event(s) of META; Market model")
    assert "last date 2026-" in lines[1]
    header = next(ln for ln in lines if ln.lstrip().startswith("event"))
    assert header.split() == ["event", "day", "0", "CAR[0,", "+1]", "t", "p", "CAR[-5,", "+5]"]
    q3 = next(ln for ln in lines if ln.lstrip().startswith("q3 "))
    ref = es.EventStudy(events, source="snapshot").fit().car((0, 1)).set_index("event_id")
    assert f"{100 * ref.loc['q3', 'car']:+.2f}% ***" in q3 and "2025-10-30" in q3
    assert "Across the 3 events, CAR[0, +1]: CAAR =" in out
    assert re.search(r"^\s+patell\s+-?\d+\.\d{3}\s+\d\.\d{3}\s+3", out, re.M)
    assert f"Report: {out_dir / 'report.html'}" in out
    car = pd.read_csv(out_dir / "car.csv")
    assert list(car.window.unique()) == ["(+0, +1)", "(-5, +5)"]
    assert len(pd.read_csv(out_dir / "ar.csv")) == 3 * 21
    assert set(pd.read_csv(out_dir / "tests.csv").window) == {"(+0, +1)", "(-5, +5)"}
    assert err == ""


def test_run_into_an_existing_folder_keeps_other_files(events, tmp_path, capsys):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "notes.txt").write_text("mine")
    (out_dir / "car.csv").write_text("old")
    code, _, err = _run(capsys, events, "--source", "snapshot", "--out", out_dir, "--no-figures")
    assert code == 0, err
    assert (out_dir / "notes.txt").read_text() == "mine"
    assert (out_dir / "car.csv").read_text() != "old"


def test_warnings_are_one_line_each(tmp_path, capsys):
    path = tmp_path / "shared.csv"
    path.write_text(
        HEADER + EARNINGS + "twin,META,2025-10-30,bmo,product\nbad,ZZZZ,2025-06-02,bmo,deal\n"
    )
    code, out, err = _run(
        capsys, path, "--source", "snapshot", "--out", tmp_path / "o", "--no-figures"
    )
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(ln.startswith("eventstudy: warning: ") for ln in lines)
    assert any("share" in ln for ln in lines) and any("1 of 5 events skipped" in ln for ln in lines)
    assert "Skipped 1 event(s):\n  bad: ticker ZZZZ is not in the snapshot data" in out
    code, _, err = _run(capsys, path, "--source", "snapshot", "--out", tmp_path / "s", "--strict")
    assert code == 2 and "--strict" in _one_error_line(err)
    assert not (tmp_path / "s").exists()


BAD_EVENTS = {
    "missing file": (None, "no such file"),
    "malformed CSV": ('event_id,ticker,date\ne1,META,"2025-10-29\n', "malformed CSV"),
    "semicolons": ("event_id;ticker;date\ne1;META;2025-10-29\n", "separated by ';'"),
    "bad date": ("event_id,ticker,date\ne1,META,2025-13-45\n", "'2025-13-45'"),
    "unknown ticker": ("event_id,ticker,date\ne1,ZZZZ,2025-10-29\n", "ticker ZZZZ"),
}


@pytest.mark.parametrize("case", list(BAD_EVENTS))
def test_bad_events_exit_2_with_one_line_and_no_output(case, tmp_path, capsys):
    text, expected = BAD_EVENTS[case]
    path = tmp_path / "events.csv"
    if text is not None:
        path.write_text(text)
    out_dir = tmp_path / "new" / "out"
    code, out, err = _run(capsys, path, "--source", "snapshot", "--out", out_dir)
    assert code == 2
    assert expected in _one_error_line(err)
    assert not (tmp_path / "new").exists() and out == ""


BAD_ARGS = {
    "reversed window": (["--window", "5", "-5"], "--window 5 -5: START must not exceed END"),
    "reversed estimation": (["--estimation", "-11", "-250"], "--estimation -11 -250"),
    "overlap": (["--estimation", "-10", "0"], "overlaps --window -10 10"),
    "car outside": (["--car", "-20", "20"], "--car -20 20: expected START <= END inside"),
    "one number": (["--window", "5"], "argument --window: expected 2 arguments"),
    "not a number": (["--car", "a", "1"], "invalid int value: 'a'"),
    "unknown model": (["--model", "capm"], "invalid choice: 'capm'"),
    "unknown market": (["--market", "QQQX"], "QQQX"),
}


@pytest.mark.parametrize("case", list(BAD_ARGS))
def test_bad_arguments_exit_2_with_one_line(case, events, tmp_path, capsys):
    args, expected = BAD_ARGS[case]
    code, _, err = _run(capsys, events, "--source", "snapshot", "--out", tmp_path / "o", *args)
    assert code == 2
    assert expected in _one_error_line(err)
    assert not (tmp_path / "o").exists()


def test_out_is_a_file(events, tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    code, _, err = _run(capsys, events, "--source", "snapshot", "--out", tmp_path / "f")
    assert code == 2 and "not a folder" in _one_error_line(err)


def test_a_failure_while_writing_leaves_no_folder(events, tmp_path, capsys, monkeypatch):
    import eventstudy.report

    def broken(*args, **kwargs):
        raise es.EventStudyError("disk full")

    monkeypatch.setattr(eventstudy.report, "write_report", broken)
    out_dir = tmp_path / "a" / "b" / "out"
    code, _, err = _run(capsys, events, "--source", "snapshot", "--out", out_dir)
    assert code == 2 and "disk full" in _one_error_line(err)
    assert list(tmp_path.iterdir()) == [events]


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(es.EventFileError):
        main(["--debug", "run", str(tmp_path / "nope.csv")])
    with pytest.raises(es.EventFileError):
        main(["run", str(tmp_path / "nope.csv"), "--debug"])


def test_make_demo(tmp_path, capsys, monkeypatch):
    """The Makefile's demo recipe, run in-process from the repository root into a temp folder."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ndemo:", 1)[1].splitlines()[1].strip()
    argv = shlex.split(recipe)
    assert argv[0] == "$(BIN)/eventstudy" and argv[1:3] == ["run", "events.csv"]
    assert argv[argv.index("--source") + 1] == "snapshot"
    argv[argv.index("--out") + 1] = str(tmp_path / "meta")
    monkeypatch.chdir(ROOT)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no Python warning reaches the terminal
        code = main(argv[1:])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "meta-q3-2025-earnings" in out and "meta-q4-2025-earnings" in out
    assert "Across the 39 events" in out and "kolari_pynnonen" in out
    assert f"Report: {tmp_path / 'meta' / 'report.html'}" in out
    lines = err.strip().splitlines()
    assert lines and all(ln.startswith("eventstudy: warning: ") for ln in lines)
    html = (tmp_path / "meta" / "report.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') >= 5


def test_usage_errors_are_one_line(capsys):
    from eventstudy.cli import main

    assert main(["--bogus"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --bogus" in err[0]
