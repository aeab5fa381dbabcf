import numpy as np
import pandas as pd
import pytest

from eventstudy import DataError, EventStudyError, UnknownTickerError
from eventstudy.sources import Files, PriceSource, Snapshot, fetch_returns, resolve_source


def test_snapshot_is_a_price_source():
    snap = Snapshot()
    assert isinstance(snap, PriceSource)
    px = snap.get_prices(["meta", "SPY"], "2025-10-01", "2025-10-31")
    assert list(px.columns) == ["META", "SPY"]
    assert px.attrs["source"] == {"name": "snapshot", "first": "2025-10-01", "last": "2025-10-31"}


def test_fetch_returns_from_prices():
    ret = fetch_returns(Snapshot(), ["META"], "2025-10-29", "2025-10-30")
    assert np.isnan(ret.iloc[0, 0])
    assert ret.iloc[1, 0] == pytest.approx(664.2169 / 749.1289 - 1)
    log = fetch_returns(Snapshot(), ["META"], "2025-10-29", "2025-10-30", return_type="log")
    assert log.iloc[1, 0] == pytest.approx(np.log(664.2169 / 749.1289))


def wide_prices():
    idx = pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-06"])
    return pd.DataFrame({"date": idx, "ABC": [10.0, 11.0, 9.9], "MKT": [100.0, 101.0, 100.0]})


@pytest.mark.parametrize("fmt", ["csv", "parquet", "frame"])
def test_files_wide_prices(tmp_path, fmt):
    frame = wide_prices()
    if fmt == "csv":
        target = tmp_path / "p.csv"
        frame.to_csv(target, index=False)
    elif fmt == "parquet":
        target = tmp_path / "p.parquet"
        frame.to_parquet(target)
    else:
        target = frame
    src = Files(target)
    px = src.get_prices(["abc"], "2025-01-01", "2025-01-31")
    assert px["ABC"].tolist() == [10.0, 11.0, 9.9]
    ret = src.get_returns(["ABC", "MKT"], "2025-01-01", "2025-01-31")
    assert ret.loc["2025-01-06", "ABC"] == pytest.approx(-0.1)


def test_files_long_returns(tmp_path):
    long = pd.DataFrame(
        {
            "date": ["2025-01-02", "2025-01-03", "2025-01-02", "2025-01-03"],
            "ticker": ["abc", "abc", "mkt", "mkt"],
            "ret": [0.01, -0.02, 0.0, 0.005],
        }
    )
    path = tmp_path / "r.csv"
    long.to_csv(path, index=False)
    src = Files(path, kind="returns")
    ret = fetch_returns(src, ["ABC", "MKT"], "2025-01-01", "2025-01-05")
    assert ret.loc["2025-01-03", "ABC"] == -0.02
    assert src.get_prices(["ABC"], "2025-01-01", "2025-01-05")["ABC"].tolist() == pytest.approx(
        [1.01, 1.01 * 0.98]
    )


def test_files_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        Files(tmp_path / "nope.csv")
    src = Files(wide_prices())
    with pytest.raises(UnknownTickerError, match="XYZ not in frame, which holds ABC, MKT"):
        src.get_prices(["XYZ"], "2025-01-01", "2025-01-31")
    with pytest.raises(DataError, match="no rows between"):
        src.get_prices(["ABC"], "2020-01-01", "2020-01-31")
    dup = pd.concat([wide_prices(), wide_prices().iloc[:1]])
    with pytest.raises(DataError, match="appears twice"):
        Files(dup).get_prices(["ABC"], "2025-01-01", "2025-01-31")


def test_nonpositive_prices_rejected():
    frame = wide_prices()
    frame.loc[1, "ABC"] = 0.0
    with pytest.raises(DataError, match="'ABC' contain values <= 0"):
        fetch_returns(Files(frame), ["ABC"], "2025-01-01", "2025-01-31")


def test_resolve_source():
    assert isinstance(resolve_source("snapshot"), Snapshot)
    snap = Snapshot()
    assert resolve_source(snap) is snap
    with pytest.raises(EventStudyError, match="source 'bloomberg' is not known"):
        resolve_source("bloomberg")
    with pytest.raises(EventStudyError, match="get_prices"):
        resolve_source(3.5)
