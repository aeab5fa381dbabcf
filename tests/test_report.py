"""The HTML report: one self-contained file with the design, tables, tests and figures."""

from __future__ import annotations

import base64
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import eventstudy as es  # noqa: E402
from eventstudy.report import build_report  # noqa: E402


def _fit(events, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", es.EventStudyWarning)
        return es.EventStudy(events, source="snapshot", **kwargs).fit()


@pytest.fixture(scope="module")
def res():
    ev = es.datasets.load_events()
    earnings = ["meta-q2-2025-earnings", "meta-q3-2025-earnings", "meta-q4-2025-earnings"]
    keep = ev.event_id.isin([*earnings, "meta-llama4-release", "meta-ftc-ruling"])
    # An unknown ticker: skipped with its reason, and listed in the report.
    extra = pd.DataFrame([{"event_id": "zzzz-launch", "ticker": "ZZZZ", "date": "2025-06-02"}])
    return _fit(pd.concat([ev[keep], extra], ignore_index=True))


@pytest.fixture(scope="module")
def report(res, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert res.report(path, max_facets=4) == path
    return path


def test_report_is_one_self_contained_file(report):
    assert [p.name for p in report.parent.iterdir()] == ["report.html"]
    text = report.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    sources = re.findall(r'src="([^"]*)"', text)
    assert len(sources) >= 5  # CAAR, CAAR by kind, heatmap, CAR facets, detail
    for src in sources:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r'(href|src)="(https?:|//|file:)', text)
    assert "<link" not in text and "<script" not in text


def test_report_holds_the_design_and_provenance(res, report):
    text = report.read_text(encoding="utf-8")
    last = res.provenance["returns"]["last"]
    assert "Market model" in text and "days -250 to -11" in text and "days -10 to 10" in text
    assert f"last date {last}" in text and "snapshot" in text
    assert "1 skipped" in text


def test_report_holds_the_event_table(res, report):
    text = report.read_text(encoding="utf-8")
    for eid in res.events.event_id:
        assert f'<td class="">{eid}' in text
    car = res.car((-1, 1)).set_index("event_id").loc["meta-q3-2025-earnings"]
    assert f"{100 * car['car']:+.2f}***" in text  # CAR in percent with stars
    assert "CAR[-1, +1] %" in text and "CAR[-10, +10] %" in text


def test_report_lists_skipped_events_with_reasons(report):
    text = report.read_text(encoding="utf-8")
    skipped = text.split("<h2>Skipped events</h2>", 1)[1].split("<h2>", 1)[0]
    assert "zzzz-launch" in skipped and "ticker ZZZZ is not in the snapshot data" in skipped


def test_report_has_the_test_section(res, report):
    text = report.read_text(encoding="utf-8")
    section = text.split("<h2>Tests across events</h2>", 1)[1].split("<h2>", 1)[0]
    for label in ("(-1, +1)", "(+0, +0)", "(-10, +10)"):
        assert f"Test battery, CAR window {label}" in section
    for name in res.test((-1, 1))["test"]:
        assert f'<td class="">{name}</td>' in section
    caar = res.caar((-1, 1))["caar"].item()
    assert f"{caar:.4g}" in section and "Patell (1976)" in section


def test_report_without_figures_and_escaping(res):
    text = build_report(res, figures=False, title="<Meta> & co", windows=[(0, 1)])
    assert "data:image" not in text and "<h2>Figures</h2>" not in text
    assert "&lt;Meta&gt; &amp; co" in text
    assert "CAR[0, +1] %" in text and "CAR[-1, +1] %" not in text
    with pytest.raises(es.EventStudyError, match="max_facets"):
        build_report(res, max_facets=0, figures=False)


def test_report_of_a_single_event(tmp_path):
    ev = es.datasets.load_events()
    one = _fit(ev[ev.event_id == "meta-q4-2025-earnings"])
    path = one.report(tmp_path / "one.html")
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r'src="data:image/png;base64,', text)) == 2  # heatmap and detail
    assert "meta-q4-2025-earnings" in text


def test_report_into_a_missing_folder_is_an_error(res, tmp_path):
    with pytest.raises(es.EventStudyError, match="does not exist"):
        res.report(tmp_path / "nope" / "r.html", figures=False)
    assert not (tmp_path / "nope").exists()
