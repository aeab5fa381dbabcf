"""The French data-library parser and the FamaFrench source, offline."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from fixtures.french_fakes import FIVE_CSV, MOM_CSV, FakeFrench, with_rows

from eventstudy import datasets
from eventstudy.exceptions import (
    DataError,
    DataUnavailableError,
    MissingDataWarning,
    StaleDataWarning,
)
from eventstudy.sources import FamaFrench
from eventstudy.sources import famafrench as ff_mod
from eventstudy.sources.famafrench import COLUMNS, combine, parse_french_csv


@pytest.fixture
def french(monkeypatch):
    def _install(**kwargs) -> FakeFrench:
        fake = FakeFrench(**kwargs)
        monkeypatch.setattr(ff_mod, "fetch_url", fake)
        return fake

    return _install


# -------------------------------------------------------------------- parser
def test_parse_five_factor_file_with_preamble_and_footer():
    frame = parse_french_csv(FIVE_CSV.read_text())
    assert list(frame.columns) == ["mkt_rf", "smb", "hml", "rmw", "cma", "rf"]
    assert frame.index.name == "date" and len(frame) == 6
    assert frame.index[0] == pd.Timestamp("2026-07-24")
    assert frame.index[-1] == pd.Timestamp("2026-07-31")
    assert frame.loc["2026-07-30"].tolist() == [1.59, -1.12, -1.36, -2.24, -1.91, 0.02]


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
@pytest.mark.parametrize("header", [",Mom", ",Mom   ", "  ,Mom  "])
def test_parse_momentum_header_variants(line_end, header):
    text = MOM_CSV.read_text().replace(",Mom\n", header + "\n").replace("\n", line_end)
    frame = parse_french_csv(text)
    assert list(frame.columns) == ["mom"] and frame["mom"].iloc[-1] == -0.86


def test_parse_stops_at_the_end_of_the_daily_table():
    annual = (
        "\n\n Annual Factors: January-December\n"
        ",Mkt-RF,SMB,HML,RMW,CMA,RF\n"
        "  2025,  17.1,  1,  2,  3,  4,  5\n"
    )
    frame = parse_french_csv(FIVE_CSV.read_text() + annual)
    assert len(frame) == 6


def test_parse_missing_codes_become_nan():
    text = MOM_CSV.read_text().replace("20260727,  -2.50", "20260727, -99.99")
    text = text.replace("20260728,  -2.80", "20260728, -999")
    assert parse_french_csv(text)["mom"].isna().tolist() == [False, True, True, False, False, False]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace(",Mom", "Mom"), "no header line"),
        (
            lambda t: t.replace("20260729,  -1.97", "20260729,  -1.97, 3"),
            "line 18: 2 values, expected 1",
        ),
        (lambda t: t.replace("20260729,  -1.97", "20260729,  n/a"), "line 18: non-numeric"),
        (lambda t: t.replace("20260731", "20260724"), "not strictly increasing"),
        (lambda t: t.split(",Mom")[0] + ",Mom\n\nCopyright", "no data rows"),
    ],
)
def test_parse_errors_name_the_problem(edit, message):
    with pytest.raises(DataError, match=message):
        parse_french_csv(edit(MOM_CSV.read_text()), name="mom.csv")


def test_combine_checks_dates():
    five, mom = parse_french_csv(FIVE_CSV.read_text()), parse_french_csv(MOM_CSV.read_text())
    out = combine(five, mom)
    assert list(out.columns) == list(COLUMNS)
    assert out.loc["2026-07-31", "mkt_rf"] == 0.0068 and out.loc["2026-07-31", "mom"] == -0.0086
    with pytest.raises(DataError, match="disagree on date 2026-07-28"):
        combine(five, mom.drop(pd.Timestamp("2026-07-28")))


# -------------------------------------------------------------------- source
def test_download_parse_cache_and_reuse(french, tmp_path):
    fake = french()
    ff = FamaFrench(tmp_path).get_factors("2026-07-27", "2026-07-31")
    assert list(ff.columns) == list(COLUMNS) and len(ff) == 5 and ff.index.name == "date"
    assert ff.loc["2026-07-29", "mkt_rf"] == -0.0152 and ff.loc["2026-07-29", "rf"] == 0.0002
    assert ff.attrs["source"]["name"] == "famafrench"
    assert (ff.attrs["source"]["first"], ff.attrs["source"]["last"]) == ("2026-07-27", "2026-07-31")
    assert len(fake.calls) == 2
    again = FamaFrench(tmp_path).get_factors("2026-07-24", "2026-07-30")
    assert len(fake.calls) == 2 and len(again) == 5
    assert (tmp_path / "famafrench" / "factors_daily.csv.gz").exists()


def test_weekend_ends_are_not_missing_dates(french, tmp_path):
    fake = french()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ff = FamaFrench(tmp_path).get_factors("2026-07-25", "2026-08-02")  # Saturday to Sunday
        FamaFrench(tmp_path, max_age="0s").get_factors("2026-07-25", "2026-08-02")
    assert len(ff) == 5 and len(fake.calls) == 2


def test_unpublished_dates_warn_and_do_not_refetch_within_max_age(french, tmp_path):
    fake = french()
    with pytest.warns(MissingDataWarning, match="dates outside are missing"):
        ff = FamaFrench(tmp_path).get_factors("2026-07-24", "2026-08-14")
    assert ff.index[-1] == pd.Timestamp("2026-07-31")
    with pytest.warns(MissingDataWarning):
        FamaFrench(tmp_path).get_factors("2026-07-24", "2026-08-14")
    assert len(fake.calls) == 2
    with pytest.warns(MissingDataWarning):
        FamaFrench(tmp_path, max_age="0s").get_factors("2026-07-24", "2026-08-14")
    assert len(fake.calls) == 4


def test_offline_falls_back_to_bundled_factors(french, tmp_path):
    french(fail=True)
    with pytest.warns(StaleDataWarning, match="bundled factors, last date 2026-08-31"):
        ff = FamaFrench(tmp_path).get_factors("2025-04-01", "2025-04-30")
    pd.testing.assert_frame_equal(ff, datasets.load_factors("2025-04-01", "2025-04-30"))
    assert ff.attrs["source"]["name"] == "snapshot-ff"


def test_offline_prefers_a_newer_cache(french, tmp_path, monkeypatch):
    french(dates=pd.bdate_range("2026-08-03", "2026-09-30"))
    FamaFrench(tmp_path).get_factors("2026-09-01", "2026-09-30")
    french(fail=True)
    with pytest.warns(StaleDataWarning, match="cached factors, last date 2026-09-30"):
        ff = FamaFrench(tmp_path, refresh=True).get_factors("2026-09-01", "2026-09-30")
    assert ff.attrs["source"]["name"] == "famafrench" and len(ff) == 22


def test_offline_outside_every_fallback_raises(french, tmp_path):
    french(fail=True)
    with pytest.raises(DataUnavailableError, match="nothing between 2019-01-02 and 2019-12-31"):
        FamaFrench(tmp_path).get_factors("2019-01-02", "2019-12-31")


def test_a_download_that_is_not_a_zip_falls_back(french, tmp_path):
    french(payload=b"<html>maintenance</html>")
    with pytest.warns(StaleDataWarning, match="not a zip file"):
        FamaFrench(tmp_path).get_factors("2025-04-01", "2025-04-30")


def test_corrupt_factor_cache_is_refetched(french, tmp_path):
    from eventstudy.exceptions import CacheWarning

    fake = french()
    FamaFrench(tmp_path).get_factors("2026-07-27", "2026-07-31")
    (tmp_path / "famafrench" / "factors_daily.csv.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.warns(CacheWarning, match="unreadable"):
        ff = FamaFrench(tmp_path).get_factors("2026-07-27", "2026-07-31")
    assert len(ff) == 5 and len(fake.calls) == 4


def test_synthetic_rows_round_trip():
    dates = pd.bdate_range("2026-09-01", "2026-09-04")
    frame = parse_french_csv(with_rows(FIVE_CSV, dates))
    assert frame.index.equals(pd.DatetimeIndex(dates, name="date", freq=None))
