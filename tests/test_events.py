import pandas as pd
import pytest

import eventstudy as es
from eventstudy import EventFileError, EventStudyError

GOOD = "event_id,ticker,date,time,kind,title,source\na,META,2025-10-29,amc,earnings,Q3,M1\n"


def write(tmp_path, text, name="events.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_project_events_day0(events_csv):
    events = es.load_events(events_csv).set_index("event_id")
    expected = {
        "meta-q3-2025-earnings": "2025-10-30",
        "meta-q4-2025-earnings": "2026-01-29",
        "meta-llama4-release": "2025-04-07",
        "meta-scaleai-confirmed": "2025-06-13",
        "meta-ssi-gross-friedman": "2025-06-20",
    }
    for event_id, day0 in expected.items():
        assert events.at[event_id, "day0"] == pd.Timestamp(day0), event_id


def test_project_events_content(events_csv):
    events = es.load_events(events_csv)
    earnings = events[events["kind"] == "earnings"]
    assert len(earnings) == 11  # Q4 2023 .. Q2 2026
    assert set(events["ticker"]) == {"META"}
    assert events["time"].isin(["bmo", "amc", "intraday", "unknown"]).sum() + events[
        "time"
    ].str.match(r"^\d\d:\d\d$").sum() == len(events)
    assert (events["day0"] >= events["date"]).all()
    assert events["source"].str.len().gt(0).all()


def test_bom_crlf_and_spaces(tmp_path):
    text = "\ufeffevent_id , ticker,date ,time\r\n a , META , 2025-10-29 , AMC \r\n"
    events = es.load_events(write(tmp_path, text))
    row = events.iloc[0]
    assert (row.event_id, row.ticker, row.time) == ("a", "META", "amc")
    assert row.day0 == pd.Timestamp("2025-10-30")


def test_accepts_a_frame_and_carries_extra_columns():
    frame = pd.DataFrame(
        {"event_id": ["x"], "ticker": ["META"], "date": ["2025-04-05"], "surprise": [0.1]}
    )
    events = es.load_events(frame)
    assert events.loc[0, "time"] == "unknown"
    assert events.loc[0, "surprise"] == 0.1
    assert events.loc[0, "day0"] == pd.Timestamp("2025-04-07")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "the file is empty"),
        ("event_id,ticker,date\n", "header only"),
        ("event_id,ticker\na,META\n", "missing column(s) date"),
        ("event_id,Ticker,date\na,META,2025-01-02\n", "found 'Ticker'"),
        ("event_id,ticker,date\na,META,10/30/2025\n", "line 2, column 'date': '10/30/2025'"),
        ("event_id,ticker,date\na,META,2025-02-30\n", "not a valid calendar date"),
        ("event_id,ticker,date\na,META,\n", "line 2, column 'date': blank"),
        ("event_id,ticker,date,time\na,META,2025-01-02,later\n", "line 2, column 'time'"),
        (
            "event_id,ticker,date\na,META,2025-01-02\na,SPY,2025-01-03\n",
            "line 3, column 'event_id': duplicate event_id 'a' (first on line 2)",
        ),
        ("event_id,ticker,date\na, ,2025-01-02\n", "line 2, column 'ticker': blank"),
        ("event_id;ticker;date\na;META;2025-01-02\n", "separated by ';'"),
        ("event_id,ticker,date\na,META,2025-01-02 16:05\n", "put the time of day"),
    ],
)
def test_bad_files(tmp_path, text, fragment):
    path = write(tmp_path, text)
    with pytest.raises(EventFileError) as info:
        es.load_events(path)
    assert fragment in str(info.value)
    assert str(path) in str(info.value)


def test_errors_are_value_errors(tmp_path):
    assert issubclass(EventFileError, EventStudyError)
    assert issubclass(EventStudyError, ValueError)
    with pytest.raises(ValueError):
        es.load_events(tmp_path / "missing.csv")


def test_wrong_type():
    with pytest.raises(EventFileError, match="path to a CSV file or a DataFrame"):
        es.load_events(42)


def test_date_outside_calendar():
    frame = pd.DataFrame({"event_id": ["x"], "ticker": ["META"], "date": ["1985-01-02"]})
    with pytest.raises(EventFileError, match="outside the XNYS calendar"):
        es.load_events(frame)
