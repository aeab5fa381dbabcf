"""The Yahoo source, offline: yfinance.download is replaced by recorded-shape fakes."""

from __future__ import annotations

import gzip
import socket
import warnings

import numpy as np
import pandas as pd
import pytest
import yfinance
from fixtures.yf_fakes import NO_PRICES, RATE_LIMIT, TZ_MISSING, FakeYahoo, ohlcv, true_close

from eventstudy.exceptions import (
    CacheWarning,
    DataError,
    DataUnavailableError,
    EventStudyError,
    StaleDataWarning,
    UnknownTickerError,
)
from eventstudy.sources import PriceSource, Yahoo
from eventstudy.sources import cache as cache_mod
from eventstudy.sources import yahoo as yahoo_mod
from eventstudy.sources.cache import CacheStore, default_cache_dir
from eventstudy.sources.yahoo import classify_failure, normalise_download


@pytest.fixture
def sleeps(monkeypatch):
    waited: list[float] = []
    monkeypatch.setattr(yahoo_mod, "_sleep", waited.append)
    return waited


@pytest.fixture
def install(monkeypatch, sleeps):
    def _install(**kwargs) -> FakeYahoo:
        fake = FakeYahoo(**kwargs)
        monkeypatch.setattr(yfinance, "download", fake)
        return fake

    return _install


def truth(ticker, start, end, scale=1.0):
    return ohlcv(ticker, pd.bdate_range(start, end), scale)["Close"]


# --------------------------------------------------------------------- shapes
def literal_multi(tz=None):
    """Typed out by hand as yfinance 1.x prints it: ('Price', 'Ticker'), fields sorted."""
    idx = pd.DatetimeIndex(["2024-03-04", "2024-03-05"], name="Date")
    if tz:
        idx = idx.tz_localize(tz)
    cols = pd.MultiIndex.from_tuples(
        [(f, t) for f in ["Close", "High", "Low", "Open", "Volume"] for t in ["AAPL", "META"]],
        names=["Price", "Ticker"],
    )
    values = [
        [175.1, 498.2, 176.9, 500.0, 173.2, 490.1, 176.1, 495.0, 81_510_100, 15_210_300],
        [170.1, 496.1, 172.0, 499.3, 168.9, 489.2, 170.7, 497.0, 95_132_400, np.nan],
    ]
    return pd.DataFrame(values, index=idx, columns=cols)


def test_normalise_multiindex_several_tickers_request_order():
    out = normalise_download(literal_multi(), ["META", "AAPL"])
    assert list(out) == ["META", "AAPL"]
    assert out["META"]["close"].tolist() == [498.2, 496.1]
    assert out["AAPL"].columns.tolist() == ["open", "high", "low", "close", "volume"]
    assert out["AAPL"].index.name == "date" and out["AAPL"].dtypes.eq(float).all()


@pytest.mark.parametrize("tz", ["America/New_York", "Asia/Tokyo", "UTC"])
def test_normalise_tz_aware_keeps_exchange_dates(tz):
    out = normalise_download(literal_multi(tz), ["META"])["META"]
    assert out.index.tz is None
    assert [f"{d:%Y-%m-%d}" for d in out.index] == ["2024-03-04", "2024-03-05"]


def test_normalise_flat_and_legacy_layouts():
    flat = FakeYahoo()(["META"], "2024-03-04", "2024-03-09", multi_level_index=False)
    assert not isinstance(flat.columns, pd.MultiIndex) and flat.columns.name is None
    assert flat.columns.tolist() == ["Close", "High", "Low", "Open", "Volume"]
    out = normalise_download(flat, ["META"])["META"]
    assert out["close"].tolist() == list(
        true_close("META", pd.bdate_range("2024-03-04", "2024-03-08"))
    )
    legacy = flat[["Open", "High", "Low", "Close", "Volume"]].assign(**{"Adj Close": 1.0})
    assert normalise_download(legacy, ["META"])["META"]["close"].equals(out["close"])
    by_ticker = literal_multi().swaplevel(0, 1, axis=1)  # group_by="ticker"
    by_ticker.columns.names = [None, None]
    assert normalise_download(by_ticker, ["AAPL"])["AAPL"]["close"].tolist() == [175.1, 170.1]


def test_normalise_missing_rows_empty_and_errors():
    fake = FakeYahoo(unknown={"ZZZZ"}, holidays={"AAPL": ["2024-03-05"]})
    raw = fake(["META", "AAPL", "ZZZZ"], "2024-03-04", "2024-03-07")
    assert "Adj Close" in raw.columns.get_level_values(0)
    out = normalise_download(raw, ["META", "AAPL", "ZZZZ"])
    assert len(out["META"]) == 3 and len(out["AAPL"]) == 2 and out["ZZZZ"].empty
    assert normalise_download(pd.DataFrame(), ["META"])["META"].empty
    assert normalise_download(None, ["META"])["META"].empty
    with pytest.raises(DataError, match="flat columns for 2 tickers"):
        normalise_download(raw.droplevel(1, axis=1).iloc[:, :5], ["META", "AAPL"])
    with pytest.raises(DataError, match="expected a DataFrame"):
        normalise_download([1, 2], ["META"])
    weird = pd.DataFrame({("x", "y"): [1.0]}, index=pd.DatetimeIndex(["2024-01-02"]))
    with pytest.raises(DataError, match="layout eventstudy does not understand"):
        normalise_download(weird, ["META"])


@pytest.mark.parametrize(
    ("messages", "kind"),
    [
        ([f"['ZZZZ']: {TZ_MISSING.format(t='ZZZZ')}"], "unknown"),
        ([f"['META']: {NO_PRICES.format(t='META', a='2024-12-25', b='2024-12-26')}"], "nodata"),
        ([f"['META']: {RATE_LIMIT}"], "transient"),
        (
            ["Failed to get ticker 'META' reason: curl: (6)", TZ_MISSING.format(t="META")],
            "transient",
        ),
        (["ConnectionError: Failed to perform"], "transient"),
        ([], "transient"),
    ],
)
def test_classify_failure(messages, kind):
    assert classify_failure(messages) == kind


# ----------------------------------------------------------- get_prices/cache
def test_get_prices_frame_and_explicit_yfinance_options(install, tmp_path):
    fake = install(tz="America/New_York")
    src = Yahoo(tmp_path)
    assert isinstance(src, PriceSource)
    px = src.get_prices(["spy", "META"], "2024-01-02", "2024-01-31")
    assert list(px.columns) == ["SPY", "META"] and px.index.name == "date"
    assert px.index.tz is None and px.dtypes.eq(float).all()
    np.testing.assert_allclose(px["META"], truth("META", "2024-01-02", "2024-01-31"))
    assert px.attrs["source"] == {
        "name": "yahoo", "first": "2024-01-02", "last": "2024-01-31", "auto_adjust": True,
    }  # fmt: skip
    (call,) = fake.calls
    assert call["auto_adjust"] is True and call["multi_level_index"] is True
    assert call["group_by"] == "column" and call["progress"] is False
    assert (call["start"], call["end"]) == ("2024-01-02", "2024-02-01")  # yfinance end is exclusive
    assert sorted(p.name for p in (tmp_path / "yahoo").iterdir()) == ["META.csv.gz", "SPY.csv.gz"]


def test_cache_hit_makes_no_call(install, tmp_path):
    fake = install()
    first = Yahoo(tmp_path).get_prices(["META", "AAPL"], "2024-01-02", "2024-03-28")
    again = Yahoo(tmp_path).get_prices(["AAPL", "META"], "2024-02-01", "2024-03-28")
    assert len(fake.calls) == 1
    pd.testing.assert_series_equal(again["META"], first["META"].loc["2024-02-01":])
    assert Yahoo(tmp_path).covers(["META"], "2024-01-05", "2024-03-28")
    assert not Yahoo(tmp_path).covers(["META"], "2024-01-05", "2024-04-30")


def test_range_without_trading_is_not_refetched(install, tmp_path):
    fake = install()
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-07")  # ends on a Sunday
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-07")
    assert len(fake.calls) == 1


def test_partial_coverage_fetches_only_the_gaps(install, tmp_path):
    fake = install()
    Yahoo(tmp_path).get_prices("META", "2024-02-01", "2024-02-29")
    px = Yahoo(tmp_path).get_prices("META", "2024-01-15", "2024-03-15")
    # each gap plus the adjacent cached session (to check the adjustment basis)
    assert fake.ranges == [
        ("2024-02-01", "2024-03-01"),
        ("2024-01-15", "2024-02-02"),
        ("2024-02-29", "2024-03-16"),
    ]
    np.testing.assert_allclose(px["META"], truth("META", "2024-01-15", "2024-03-15"))
    info = Yahoo(tmp_path).cache_info("META").iloc[0]
    assert (info.fetched_from, info.fetched_to, info.rows) == ("2024-01-15", "2024-03-15", 45)


def test_changed_adjustment_refetches_whole_span(install, tmp_path):
    install()
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-31")
    fake = install(scale=0.99)  # a dividend since then rescaled the adjusted history
    px = Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-02-29")
    assert fake.ranges == [("2024-01-31", "2024-03-01"), ("2024-01-02", "2024-03-01")]
    np.testing.assert_allclose(px["META"], truth("META", "2024-01-02", "2024-02-29", 0.99))


def test_missing_rows_across_tickers_stay_nan(install, tmp_path):
    install(holidays={"AAPL": ["2024-01-10"]})
    px = Yahoo(tmp_path).get_prices(["META", "AAPL"], "2024-01-08", "2024-01-12")
    assert np.isnan(px.loc["2024-01-10", "AAPL"]) and not np.isnan(px.loc["2024-01-10", "META"])


def test_corrupt_cache_file_is_set_aside_and_refetched(install, tmp_path):
    fake = install()
    Yahoo(tmp_path).get_prices(["META", "AAPL"], "2024-01-02", "2024-01-31")
    folder = tmp_path / "yahoo"
    aapl_before = (folder / "AAPL.csv.gz").read_bytes()
    (folder / "META.csv.gz").write_bytes(b"not a gzip file")
    with pytest.warns(CacheWarning, match="META.csv.gz is unreadable"):
        px = Yahoo(tmp_path).get_prices(["META", "AAPL"], "2024-01-02", "2024-01-31")
    assert fake.calls[-1]["tickers"] == ["META"]
    np.testing.assert_allclose(px["META"], truth("META", "2024-01-02", "2024-01-31"))
    assert (folder / "AAPL.csv.gz").read_bytes() == aapl_before
    assert len(list(folder.glob("META.csv.gz.corrupt-*"))) == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated gzip
        lambda b: gzip.compress(b"# eventstudy-cache {bad json\ndate,close\n"),
        lambda b: gzip.compress(b'# eventstudy-cache {"format": 1}\ndate,close\nyesterday,x\n'),
    ],
)
def test_damaged_cache_variants_recover(install, tmp_path, damage):
    install()
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-31")
    path = tmp_path / "yahoo" / "META.csv.gz"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.warns(CacheWarning):
        px = Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-31")
    assert len(px) == 22


class Killed(BaseException):
    """Stands for the process being killed between write and replace."""


def test_interrupted_write_leaves_old_cache_intact(install, tmp_path, monkeypatch):
    fake = install()
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-31")
    path = tmp_path / "yahoo" / "META.csv.gz"
    before = path.read_bytes()

    def killed(src, dst):
        raise Killed

    with monkeypatch.context() as patch, pytest.raises(Killed):
        patch.setattr(cache_mod.os, "replace", killed)
        Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-02-29")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["META.csv.gz"]  # no temporary left
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Yahoo(tmp_path).covers("META", "2024-01-02", "2024-01-31")
    px = Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-02-29")
    np.testing.assert_allclose(px["META"], truth("META", "2024-01-02", "2024-02-29"))
    assert len(fake.calls) == 3


def test_unwritable_cache_warns_and_still_returns(install, tmp_path, monkeypatch):
    install()

    def denied(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_mod.os, "replace", denied)
    with pytest.warns(CacheWarning, match="could not write cache file"):
        px = Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-31")
    assert len(px) == 22 and not list((tmp_path / "yahoo").iterdir())


# ------------------------------------------------------------------ failures
def test_offline_with_cache_warns_and_serves_cache(install, tmp_path, sleeps):
    install()
    Yahoo(tmp_path).get_prices(["META", "AAPL"], "2024-01-02", "2024-01-31")
    fake = install(mode="raise")
    with pytest.warns(StaleDataWarning, match="META through 2024-01-31.*last cached date"):
        px = Yahoo(tmp_path, backoff=0.5).get_prices(["META", "AAPL"], "2024-01-02", "2024-02-29")
    assert len(fake.calls) == 4 and sleeps == [0.5, 1.0, 2.0]
    assert px.index[-1] == pd.Timestamp("2024-01-31")
    assert px.attrs["source"]["stale"] == {"META": "2024-01-31", "AAPL": "2024-01-31"}
    with pytest.warns(StaleDataWarning, match="could not be reached"):
        Yahoo(tmp_path, refresh=True, max_retries=0).get_prices("META", "2024-01-02", "2024-01-31")


@pytest.mark.parametrize("mode", ["raise", "empty", "ratelimit", "offline"])
def test_failure_without_cache_raises_clear_error(install, tmp_path, mode):
    fake = install(mode=mode)
    with pytest.raises(DataUnavailableError) as info:
        Yahoo(tmp_path, max_retries=2).get_prices(["META", "NVDA"], "2024-01-02", "2024-01-31")
    message = str(info.value)
    assert "META, NVDA" in message and "2024-01-02 to 2024-01-31" in message
    assert "source='snapshot'" in message and isinstance(info.value, EventStudyError)
    assert len(fake.calls) == 3


def test_retry_then_success(install, tmp_path, sleeps):
    fake = install(fail_first=2)
    px = Yahoo(tmp_path, backoff=0.1).get_prices("META", "2024-01-02", "2024-01-31")
    assert len(fake.calls) == 3 and sleeps == [0.1, 0.2] and len(px) == 22


def test_unknown_ticker_is_named_and_not_retried(install, tmp_path):
    fake = install(unknown={"ZZZZ"})
    with pytest.raises(UnknownTickerError, match="does not know ticker.*ZZZZ.*no timezone"):
        Yahoo(tmp_path).get_prices(["META", "ZZZZ"], "2024-01-02", "2024-01-31")
    assert len(fake.calls) == 1
    assert Yahoo(tmp_path).covers("META", "2024-01-02", "2024-01-31")  # META was kept


def test_range_without_any_trading_day(install, tmp_path):
    fake = install()
    with pytest.raises(DataError, match="no prices for META.*2024-01-06 and 2024-01-07"):
        Yahoo(tmp_path).get_prices("META", "2024-01-06", "2024-01-07")
    assert len(fake.calls) == 1


def test_unsettled_days_are_fetched_again(install, tmp_path, monkeypatch):
    monkeypatch.setattr(yahoo_mod, "_today", lambda: pd.Timestamp("2024-01-17"))
    fake = install()
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-17")
    Yahoo(tmp_path).get_prices("META", "2024-01-02", "2024-01-17")
    assert fake.ranges[1] == ("2024-01-17", "2024-01-18")
    assert Yahoo(tmp_path).cache_info().iloc[0].fetched_to == "2024-01-16"


def test_progress_bar_and_batches(install, tmp_path, monkeypatch):
    import tqdm.auto

    bars = []

    class Bar:
        def __init__(self, total, **kwargs):
            bars.append([total, 0])

        def update(self, n):
            bars[-1][1] += n

        def close(self):
            pass

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    fake = install()
    names = ["META", "AAPL", "MSFT", "NVDA", "AMZN"]
    Yahoo(tmp_path, batch_size=2).get_prices(names, "2024-01-02", "2024-01-05")
    assert bars == [[5, 5]] and [len(c["tickers"]) for c in fake.calls] == [2, 2, 1]
    Yahoo(tmp_path).get_prices(["GOOGL", "TSLA"], "2024-01-02", "2024-01-05")
    assert len(bars) == 1  # two tickers: no bar


def test_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="after end"):
        Yahoo(tmp_path).get_prices("META", "2024-02-01", "2024-01-01")
    with pytest.raises(DataError, match="not a date"):
        Yahoo(tmp_path).get_prices("META", "last tuesday", "2024-01-01")
    with pytest.raises(EventStudyError, match="max_retries"):
        Yahoo(tmp_path, max_retries=-1)


def test_cache_location(monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path / "env"))
    assert Yahoo().cache_dir == tmp_path / "env"
    assert Yahoo(tmp_path / "arg").cache_dir == tmp_path / "arg"
    monkeypatch.delenv("EVENTSTUDY_CACHE")
    import platformdirs

    assert default_cache_dir() == __import__("pathlib").Path(
        platformdirs.user_cache_dir("eventstudy", appauthor=False)
    )


@pytest.mark.parametrize("key", ["^GSPC", "BRK-B", "CON", "EURUSD=X", "0700.HK"])
def test_cache_keys_round_trip(tmp_path, key):
    store = CacheStore(tmp_path, "yahoo")
    frame = pd.DataFrame({"close": [1.5]}, index=pd.DatetimeIndex(["2024-01-02"], name="date"))
    assert store.save(key, frame, {"span": None})
    assert store.keys() == [key] and store.load(key).frame.equals(frame)
    assert not store.path(key).name.upper().startswith("CON.")


# ---------------------------------------------------------------------- live
def _online() -> bool:
    try:
        socket.create_connection(("query1.finance.yahoo.com", 443), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.network
def test_live_meta_week(tmp_path):
    if not _online():
        pytest.skip("offline: Yahoo Finance is not reachable")
    px = Yahoo(tmp_path).get_prices("META", "2024-03-04", "2024-03-08")
    assert list(px.columns) == ["META"] and len(px) == 5
    assert px.attrs["source"]["name"] == "yahoo" and (px["META"] > 0).all()
