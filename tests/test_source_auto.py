"""``source="auto"``: snapshot when it covers the request, else the Yahoo cache, else a download."""

from __future__ import annotations

import pandas as pd
import pytest
import yfinance
from fixtures.french_fakes import FakeFrench
from fixtures.yf_fakes import FakeYahoo

from eventstudy import datasets
from eventstudy.sources import Auto, PriceSource, Snapshot, Yahoo, resolve_source
from eventstudy.sources import famafrench as ff_mod


@pytest.fixture
def fake(monkeypatch):
    download = FakeYahoo()
    monkeypatch.setattr(yfinance, "download", download)
    return download


def test_auto_is_the_named_source_and_a_price_source():
    assert isinstance(resolve_source("auto"), Auto)
    assert isinstance(resolve_source("yahoo"), Yahoo)
    assert isinstance(Auto(), PriceSource)


def test_snapshot_when_it_covers(fake):
    px = Auto().get_prices(["meta", "SPY"], "2025-10-01", "2025-10-31")
    assert fake.calls == []
    assert px.attrs["source"] == {"name": "snapshot", "first": "2025-10-01", "last": "2025-10-31"}
    pd.testing.assert_frame_equal(
        px, Snapshot().get_prices(["META", "SPY"], "2025-10-01", "2025-10-31")
    )


@pytest.mark.parametrize(
    ("tickers", "start", "end"),
    [
        (["IBM"], "2025-01-02", "2025-01-31"),  # ticker not bundled
        (["META"], "2020-01-02", "2020-01-31"),  # dates before the snapshot
        (["META", "IBM"], "2025-01-02", "2025-01-31"),  # one source per request
    ],
)
def test_yahoo_otherwise_then_its_cache(fake, tmp_path, tickers, start, end):
    auto = Auto(tmp_path)
    assert isinstance(auto.choose(tickers, start, end), Yahoo)
    px = auto.get_prices(tickers, start, end)
    assert px.attrs["source"]["name"] == "yahoo" and list(px.columns) == tickers
    assert len(fake.calls) == 1
    auto.get_prices(tickers, start, end)  # now served from the Yahoo cache
    assert len(fake.calls) == 1
    assert (tmp_path / "yahoo").is_dir()


def test_factors_bundled_when_covered_else_downloaded(monkeypatch, tmp_path):
    french = FakeFrench(dates=pd.bdate_range("2026-08-03", "2026-10-30"))
    monkeypatch.setattr(ff_mod, "fetch_url", french)
    ff = Auto(tmp_path).get_factors("2025-04-01", "2025-04-30")
    pd.testing.assert_frame_equal(ff, datasets.load_factors("2025-04-01", "2025-04-30"))
    assert ff.attrs["source"]["name"] == "snapshot-ff" and french.calls == []
    late = Auto(tmp_path).get_factors("2026-09-01", "2026-10-30")
    assert late.attrs["source"]["name"] == "famafrench" and len(french.calls) == 2
    assert list(late.columns) == list(ff.columns)
