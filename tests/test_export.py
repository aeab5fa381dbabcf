"""Tables, CSV, LaTeX and Excel exports of a fitted study."""

from __future__ import annotations

import re
import stat
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import eventstudy as es
from eventstudy import export


@pytest.fixture(scope="module")
def res():
    ev = es.datasets.load_events()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", es.EventStudyWarning)
        return es.EventStudy(ev[ev.kind == "earnings"], source="snapshot").fit()


def test_default_windows_fit_inside_the_event_window(res):
    assert export.default_windows(res) == [(-1, 1), (0, 0), (0, 1), (-5, 5), (-10, 10)]
    ev = es.datasets.load_events()
    narrow = es.EventStudy(ev[ev.kind == "earnings"], source="snapshot", event_window=(0, 3)).fit()
    assert export.default_windows(narrow) == [(0, 0), (0, 1), (0, 3)]


def test_to_frame_car_is_tidy_and_numeric(res):
    frame = res.to_frame()
    assert list(frame.columns[:5]) == ["event_id", "ticker", "day0", "time", "kind"]
    assert len(frame) == res.n_events * 5
    assert frame["car"].dtype == float and frame["t_stat"].dtype == float
    one = frame[frame.window == "(-1, +1)"].reset_index(drop=True)
    pd.testing.assert_series_equal(one["car"], res.car((-1, 1))["car"])
    assert list(res.to_frame(windows=[(0, 2)]).window.unique()) == ["(+0, +2)"]
    assert list(res.to_frame(windows=(0, 2)).window.unique()) == ["(+0, +2)"]


def test_to_frame_other_tables(res):
    pd.testing.assert_frame_equal(res.to_frame("ar"), res.ar)
    assert set(res.to_frame("skipped").columns) >= {"event_id", "reason"}
    prov = res.to_frame("provenance").set_index("key")["value"]
    assert prov["returns.name"] == "snapshot" and prov["returns.last"].startswith("20")
    with pytest.raises(es.EventStudyError, match="table 'nope' is not available"):
        res.to_frame("nope")
    with pytest.raises(es.WindowError, match="outside the event window"):
        res.to_frame(windows=[(-20, 20)])


def test_tables_hold_every_table(res):
    frames = export.tables(res)
    assert list(frames) == list(export.TABLES)
    windows = export.default_windows(res)
    tests = frames["tests"]
    assert list(tests.window.unique()) == [f"({a:+d}, {b:+d})" for a, b in windows]
    pd.testing.assert_frame_equal(
        tests[tests.window == "(-1, +1)"].reset_index(drop=True), res.test((-1, 1))
    )
    caar = frames["caar"].set_index("window")
    assert np.isclose(caar.loc["(-5, +5)", "caar"], res.caar((-5, 5))["caar"].item())


def test_to_csv_writes_every_table(res, tmp_path):
    paths = res.to_csv(tmp_path / "out")
    assert set(paths) == set(export.tables(res))
    car = pd.read_csv(paths["car"])
    np.testing.assert_allclose(car["car"], res.to_frame()["car"])
    assert car["day0"].iloc[0] == f"{res.events.day0.iloc[0]:%Y-%m-%d}"
    mode = stat.S_IMODE(paths["ar"].stat().st_mode)
    assert mode & stat.S_IRGRP  # not mkstemp's 0600
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_to_csv_refuses_a_file_as_folder(res, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(es.EventStudyError, match="not a directory"):
        res.to_csv(tmp_path / "f")


def _balanced(text: str) -> bool:
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+)\}", text):
        if kind == "begin":
            stack.append(env)
        elif not stack or stack.pop() != env:
            return False
    return not stack and text.count("{") == text.count("}")


def test_to_latex_is_a_balanced_booktabs_table(res):
    text = res.to_latex([(0, 0), (-1, 1)], caption="Meta earnings", label="tab:meta")
    assert _balanced(text)
    lines = text.splitlines()
    assert lines[0] == r"\begin{table}[htbp]" and lines[-1] == r"\end{table}"
    assert r"\begin{tabular}{lrr}" in text
    assert text.index(r"\toprule") < text.index(r"\midrule") < text.index(r"\bottomrule")
    assert r"\caption{Meta earnings}" in text and r"\label{tab:meta}" in text
    rows = [ln for ln in lines if ln.endswith(r"\\")]
    assert len(rows) == 1 + 2 * res.n_events + 2  # header, CAR and t rows, CAAR and t
    assert all(row.count("&") == 2 for row in rows)
    q3 = next(ln for ln in lines if ln.startswith("meta-q3-2025-earnings"))
    car = res.car((0, 0)).set_index("event_id").loc["meta-q3-2025-earnings", "car"]
    assert q3.split(" & ")[1] == "$-$" + f"{abs(car) * 100:.2f}" + "$^{***}$"
    t_row = lines[lines.index(q3) + 1]
    assert re.fullmatch(r" & \(\$-\$\d+\.\d\d\) & \(\$-\$\d+\.\d\d\) \\\\", t_row)
    assert "CAR[0, 0] & CAR[-1, +1]" in text
    caar = res.caar((-1, 1)).iloc[0]
    (caar_row,) = [ln for ln in lines if ln.startswith("CAAR")]
    assert f"$N={res.n_events}$" in caar_row
    assert caar_row.split(" & ")[2].startswith(f"{100 * caar['caar']:.2f}".replace("-", "$-$"))
    below = lines[lines.index(caar_row) + 1].split(" & ")[2]
    assert below.startswith(f"({caar['t_stat']:.2f}".replace("-", "$-$"))


def test_to_latex_escapes_and_writes(res, tmp_path):
    ev = es.datasets.load_events()
    ev = ev[ev.event_id == "meta-q3-2025-earnings"].assign(event_id="q3_2025 & 50%")
    one = es.EventStudy(ev, source="snapshot").fit()
    path = tmp_path / "car.tex"
    text = one.to_latex(path=path, stat="p_value", percent=False)
    assert r"q3\_2025 \& 50\%" in text
    assert path.read_text() == text and _balanced(text)
    assert "$p$-values in parentheses" in text and "CARs in decimals" in text
    with pytest.raises(es.EventStudyError, match="stat must be"):
        one.to_latex(stat="z")


def test_to_excel_one_sheet_per_table(res, tmp_path):
    pytest.importorskip("openpyxl")
    path = res.to_excel(tmp_path / "results.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == list(export.tables(res))
    np.testing.assert_allclose(sheets["car"]["car"], res.to_frame()["car"])
    assert len(sheets["ar"]) == len(res.ar)


def test_to_excel_without_openpyxl_says_so(res, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl -> ImportError
    with pytest.raises(es.EventStudyError, match="pip install openpyxl") as info:
        res.to_excel(tmp_path / "results.xlsx")
    assert isinstance(info.value, ImportError)
    assert not list(tmp_path.iterdir())


def test_to_excel_bad_paths_leave_nothing(res, tmp_path):
    with pytest.raises(es.EventStudyError, match="expected an .xlsx"):
        res.to_excel(tmp_path / "results.xls")
    with pytest.raises(es.EventStudyError, match="does not exist"):
        res.to_excel(tmp_path / "missing" / "results.xlsx")
    assert not list(tmp_path.iterdir())


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError):
        with export.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert not list(tmp_path.iterdir())
