"""Figures render (Agg) with the right artists and the study's own numbers."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.collections import PolyCollection, QuadMesh  # noqa: E402
from scipy import stats  # noqa: E402

import eventstudy as es  # noqa: E402
from eventstudy import plotting  # noqa: E402

Q3 = "meta-q3-2025-earnings"
Q4 = "meta-q4-2025-earnings"


def _fit(kind=("earnings",), model="market", **kwargs):
    ev = es.datasets.load_events()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", es.EventStudyWarning)
        return es.EventStudy(ev[ev.kind.isin(kind)], model=model, source="snapshot", **kwargs).fit()


@pytest.fixture(scope="module")
def res():
    return _fit()


@pytest.fixture(scope="module")
def mixed():
    return _fit(("earnings", "deal", "capex"))


def _data_lines(ax, marker=None):
    """Lines with data (not the day-0 / zero reference lines)."""
    lines = [ln for ln in ax.lines if len(ln.get_xdata()) > 2]
    return [ln for ln in lines if marker is None or ln.get_marker() == marker]


def _vertical_at(ax, x):
    """Vertical reference lines (axvline) at ``x``."""
    return [
        ln
        for ln in ax.lines
        if len(ln.get_xdata()) == 2 and np.allclose(np.asarray(ln.get_xdata(), float), [x, x])
    ]


def test_importing_eventstudy_and_exporting_does_not_import_matplotlib():
    code = (
        "import sys, warnings; warnings.simplefilter('ignore')\n"
        "import eventstudy as es\n"
        "ev = es.datasets.load_events(); ev = ev[ev.kind == 'earnings']\n"
        "res = es.EventStudy(ev, source='snapshot').fit()\n"
        "res.to_frame(); res.to_latex(); res.summary()\n"
        "print(sorted(m for m in ('matplotlib', 'seaborn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plot_car_one_event_line_band_and_dates(res):
    ax = plotting.plot_car(res, Q3)
    assert isinstance(ax, matplotlib.axes.Axes)
    (line,) = _data_lines(ax, "o")
    ar = res.ar[res.ar.event_id == Q3]
    np.testing.assert_array_equal(line.get_xdata(), ar["rel_day"])
    np.testing.assert_allclose(line.get_ydata(), ar["car"])
    # The band's half-width on the last day is t * se of the whole-window CAR.
    (band,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
    ys = band.get_paths()[0].vertices[:, 1]
    whole = res.car().set_index("event_id").loc[Q3]
    q = stats.t.ppf(0.975, whole["df"])
    upper = [y for y in ys if np.isclose(y, whole["car"] + q * whole["car_se"], rtol=1e-9)]
    lower = [y for y in ys if np.isclose(y, whole["car"] - q * whole["car_se"], rtol=1e-9)]
    assert upper and lower
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "0\n30 Oct" in labels  # the session date under day 0
    assert len(_vertical_at(ax, 0)) == 1  # day 0 marked
    assert "%" in ax.yaxis.get_major_formatter()(0.1)
    assert "meta-q3-2025-earnings" in ax.get_title(loc="left")


def test_plot_car_band_matches_res_car_at_every_day(res):
    from eventstudy._plotting_utils import car_path

    path = car_path(res, Q4).set_index("rel_day")
    for day in (-10, -1, 0, 3, 10):
        ref = res.car((-10, day)).set_index("event_id").loc[Q4]
        assert np.isclose(path.loc[day, "car"], ref["car"])
        assert np.isclose(path.loc[day, "car_se"], ref["car_se"])


def test_plot_car_window_cumulates_from_its_first_day(res):
    ax = plotting.plot_car(res, Q3, window=(-1, 5))
    (line,) = _data_lines(ax, "o")
    assert list(line.get_xdata()) == list(range(-1, 6))
    assert np.isclose(line.get_ydata()[-1], res.car((-1, 5)).set_index("event_id").loc[Q3, "car"])


def test_plot_car_draws_on_the_given_axes(res):
    fig, axes = plt.subplots(1, 2)
    assert plotting.plot_car(res, Q3, ax=axes[1]) is axes[1]
    assert not axes[0].lines


def test_plot_car_several_events_facets(res):
    ids = list(res.events.event_id[:4])
    grid = plotting.plot_car(res, ids, col_wrap=2)
    assert isinstance(grid, sns.FacetGrid)
    assert len(grid.axes.flat) == 4
    for eid, ax in grid.axes_dict.items():
        (line,) = _data_lines(ax, "o")
        assert len(line.get_xdata()) == 21
        np.testing.assert_allclose(line.get_ydata(), res.ar[res.ar.event_id == eid]["car"])
        assert eid in ax.get_title()


def test_plot_car_several_events_hue_and_errors(res):
    ids = list(res.events.event_id[:3])
    ax = plotting.plot_car(res, ids, by="hue")
    assert len(_data_lines(ax, "o")) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ids
    _, other = plt.subplots()
    assert plotting.plot_car(res, ids, ax=other) is other  # ax given: hue by default
    with pytest.raises(es.EventStudyError, match="by='hue'"):
        plotting.plot_car(res, ids, by="facet", ax=other)
    with pytest.raises(es.EventStudyError, match="no event 'nope'"):
        plotting.plot_car(res, "nope")


def test_plot_ar_bars_and_whiskers(res):
    ax = plotting.plot_ar(res, Q3)
    ar = res.ar[res.ar.event_id == Q3]
    assert len(ax.patches) == 21
    np.testing.assert_allclose([p.get_height() for p in ax.patches], ar["ar"])
    (errorbar,) = [
        c for c in ax.containers if isinstance(c, matplotlib.container.ErrorbarContainer)
    ]
    segments = errorbar.lines[2][0].get_segments()
    q = stats.t.ppf(0.975, res.params.set_index("event_id").loc[Q3, "df"])
    day0 = segments[10]
    assert np.isclose(day0[1, 1] - day0[0, 1], 2 * q * ar["ar_se"].iloc[10])
    alphas = [p.get_alpha() for p in ax.patches]
    assert alphas[10] == 1.0 and min(alphas) < 1.0  # day 0 significant, others pale
    assert np.isclose(ax.patches[10].get_height(), ar.loc[ar.rel_day == 0, "ar"].item())


def test_plot_ar_needs_one_event(res):
    with pytest.raises(es.EventStudyError, match="pass event_id="):
        plotting.plot_ar(res)
    with pytest.raises(es.EventStudyError, match="string"):
        plotting.plot_ar(res, [Q3, Q4])


def test_plot_returns_market_model_has_stock_and_market(res):
    ax = plotting.plot_returns(res, Q3)
    stock, market = _data_lines(ax)
    ret = res.ar[res.ar.event_id == Q3]["ret"].to_numpy()
    assert np.isclose(stock.get_ydata()[-1], np.prod(1 + ret) - 1)
    assert stock.get_label() == "META" and market.get_label() == "SPY"
    prices = es.datasets.load_prices(["SPY"])["SPY"]
    dates = res.ar[res.ar.event_id == Q3]["date"]
    spy = prices.pct_change().loc[dates]
    assert np.isclose(market.get_ydata()[-1], np.prod(1 + spy) - 1)


@pytest.mark.parametrize(
    ("model", "n_lines", "benchmark"),
    [("ff3", 2, "market (Mkt-RF + RF)"), ("mean", 1, None), ("market_adjusted", 2, "SPY")],
)
def test_plot_returns_benchmark_per_model(model, n_lines, benchmark):
    res = _fit(model=model, estimation_window=(-150, -11), min_estimation_obs=100)
    ax = plotting.plot_returns(res, Q4)
    lines = _data_lines(ax)
    assert len(lines) == n_lines
    if benchmark:
        assert lines[1].get_label() == benchmark


def test_plot_ar_distribution_marks_the_event_day(res):
    ax = plotting.plot_ar_distribution(res, Q3)
    i = res._event_index(Q3)
    value = res.ar[(res.ar.event_id == Q3) & (res.ar.rel_day == 0)]["ar"].item()
    assert len(_vertical_at(ax, value)) == 1
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) > 10 and sum(heights) > 0
    resid = res._a["est_resid"][i]
    n = np.isfinite(resid).sum()
    assert f"of {n} estimation days" in " ".join(t.get_text() for t in ax.texts)
    lo, hi = ax.get_xlim()
    assert lo < value < hi and lo < np.nanmin(resid) and np.nanmax(resid) < hi


def test_plot_caar_line_is_the_cross_sectional_mean(res):
    ax = plotting.plot_caar(res)
    (line,) = _data_lines(ax, "o")
    car = res.ar.pivot(index="event_id", columns="rel_day", values="car")
    np.testing.assert_allclose(line.get_ydata(), car.mean(axis=0))
    assert len(ax.patches) == 21  # AAR bars
    assert f"{res.n_events} events" in ax.get_title(loc="left")


def test_plot_caar_by_group(mixed):
    ax = plotting.plot_caar(mixed, by="kind")
    assert len(_data_lines(ax, "o")) == mixed.events.kind.nunique()
    with pytest.raises(es.EventStudyError, match="not a column"):
        plotting.plot_caar(mixed, by="nope")


def test_plot_car_heatmap_events_by_windows(res):
    windows = [(0, 0), (-1, 1), (0, 5)]
    ax = plotting.plot_car_heatmap(res, windows=windows)
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    values = np.asarray(mesh.get_array()).reshape(res.n_events, 3)
    expected = res.car((-1, 1))["car"].to_numpy() * 100
    np.testing.assert_allclose(values[:, 1], expected)
    assert np.isclose(mesh.norm.vmin, -mesh.norm.vmax)  # diverging, centred at 0
    assert len(ax.texts) == res.n_events * 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["[0, 0]", "[-1, +1]", "[0, +5]"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(res.events.event_id)


def test_res_plot_delegates(res):
    assert isinstance(res.plot("ar", event_id=Q3), matplotlib.axes.Axes)
    assert isinstance(res.plot(event_id=Q3), matplotlib.axes.Axes)
    assert isinstance(res.plot("car_heatmap"), matplotlib.axes.Axes)
    with pytest.raises(es.EventStudyError, match="plot kind 'pie'"):
        res.plot("pie")


def test_single_event_study_needs_no_event_id():
    ev = es.datasets.load_events()
    single = es.EventStudy(ev[ev.event_id == Q3], source="snapshot").fit()
    for kind in ("car", "ar", "returns", "ar_distribution"):
        assert isinstance(single.plot(kind), matplotlib.axes.Axes)


def test_figures_never_show_and_render(res, monkeypatch):
    def no_show(*args, **kwargs):
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", no_show)
    axes = [
        plotting.plot_car(res, Q3),
        plotting.plot_ar(res, Q3),
        plotting.plot_returns(res, Q3),
        plotting.plot_ar_distribution(res, Q3, day=1),
        plotting.plot_caar(res, window=(-5, 5)),
    ]
    for ax in axes:
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png", dpi=40)
        assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_caar_band_agrees_with_res_caar(res):
    from eventstudy._plotting_utils import caar_path

    path = caar_path(res, (-5, 5)).set_index("rel_day")
    for day in (-5, 0, 2, 5):
        ref = res.caar((-5, day)).iloc[0]
        got = path.loc[day]
        for col in ("caar", "caar_se", "ci_low", "ci_high", "n"):
            assert np.isclose(got[col], ref[col]), (day, col)
