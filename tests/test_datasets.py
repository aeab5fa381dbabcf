import numpy as np
import pandas as pd
import pytest

from eventstudy import DataError, UnknownTickerError, datasets
from eventstudy.calendar import get_calendar


def test_prices_cover_every_nyse_session():
    px = datasets.load_prices(["META", "SPY"])
    assert list(px.columns) == ["META", "SPY"]
    sessions = get_calendar("XNYS").sessions_between("2023-01-03", datasets.PRICES_END)
    assert px.index.equals(pd.DatetimeIndex(sessions, name="date"))
    assert px.notna().all().all()


def test_meta_earnings_sessions():
    ret = datasets.load_prices(["META"])["META"].pct_change()
    assert ret.loc["2025-10-30"] == pytest.approx(-0.113, abs=0.001)
    assert ret.loc["2026-01-29"] == pytest.approx(0.104, abs=0.001)


def test_sanity_facts_from_sources_md():
    px = datasets.load_prices(["META", "SPY"], "2025-10-29", "2025-10-30")
    assert px.loc["2025-10-29", "META"] == pytest.approx(749.1289)
    assert px.loc["2025-10-30", "META"] == pytest.approx(664.2169)
    spy = datasets.load_prices("SPY")["SPY"].pct_change()
    assert spy.loc["2025-04-09"] == pytest.approx(0.1050, abs=5e-5)


def test_factors_are_decimals():
    ff = datasets.load_factors()
    assert list(ff.columns) == list(datasets.FACTORS)
    assert ff.loc["2025-04-09", "mkt_rf"] == pytest.approx(0.0965)
    assert ff.index[-1] == pd.Timestamp("2026-08-31") and len(ff) == 918
    spy = datasets.load_prices("SPY")["SPY"].pct_change()
    both = pd.concat([spy - ff["rf"], ff["mkt_rf"]], axis=1).dropna()
    assert np.corrcoef(both.T.to_numpy())[0, 1] == pytest.approx(0.9942, abs=5e-4)


def test_ohlcv_long_table():
    long = datasets.load_ohlcv(["NVDA"], "2025-01-27", "2025-01-27")
    assert list(long.columns) == ["date", "ticker", "open", "high", "low", "close", "volume"]
    assert len(long) == 1 and (long["high"] >= long["low"]).all()


def test_unknown_ticker_names_what_is_missing_and_what_exists():
    with pytest.raises(UnknownTickerError) as info:
        datasets.load_prices(["META", "ORCL"])
    assert "ORCL" in str(info.value) and "SPY" in str(info.value)


@pytest.mark.parametrize(("start", "end"), [("2022-06-01", None), (None, "2026-12-31")])
def test_range_outside_snapshot(start, end):
    with pytest.raises(DataError, match="2023-01-03 to 2026-09-15"):
        datasets.load_prices(["META"], start, end)


def test_bad_field():
    with pytest.raises(DataError, match="field 'adj'"):
        datasets.load_prices("META", field="adj")


def test_descr_states_provenance():
    for fragment in ("DrRobAnthony/market-data", "Kenneth R. French", "2026-09-15", "2026-08-31"):
        assert fragment in datasets.DESCR


def test_load_events_bundled():
    events = datasets.load_events()
    assert events.set_index("event_id").at["meta-llama4-release", "day0"] == pd.Timestamp(
        "2025-04-07"
    )
