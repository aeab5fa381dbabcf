"""``eventstudy fetch`` and ``eventstudy cache info|clear``, offline."""

from __future__ import annotations

import pandas as pd
import pytest
import yfinance
from fixtures.french_fakes import FakeFrench
from fixtures.yf_fakes import FakeYahoo

from eventstudy.cli import main
from eventstudy.sources import famafrench as ff_mod
from eventstudy.sources import yahoo as yahoo_mod


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(yahoo_mod, "_sleep", lambda seconds: None)


@pytest.fixture
def install(monkeypatch):
    def _install(**kwargs) -> FakeYahoo:
        fake = FakeYahoo(**kwargs)
        monkeypatch.setattr(yfinance, "download", fake)
        return fake

    return _install


FETCH = ["fetch", "META", "aapl", "--start", "2024-01-02", "--end", "2024-01-31"]


def test_fetch_warms_the_cache_and_prints_it(install, tmp_path, capsys):
    fake = install()
    assert main([*FETCH, "--cache-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"cache: {tmp_path}" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:]}
    assert lines["META"][1:4] == ["2024-01-02", "2024-01-31", "22"]
    assert "AAPL" in lines and len(fake.calls) == 1
    assert main([*FETCH, "--cache-dir", str(tmp_path)]) == 0
    assert len(fake.calls) == 1  # already cached


def test_fetch_uses_the_environment_cache(install, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path / "env"))
    install()
    assert main(FETCH) == 0
    assert (tmp_path / "env" / "yahoo" / "META.csv.gz").exists()


def test_fetch_offline_without_cache_is_one_clear_line(install, capsys):
    install(mode="raise")
    assert main(FETCH) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("eventstudy: error: could not download META, AAPL")
    assert "source='snapshot'" in err[0]


def test_fetch_offline_with_cache_warns(install, capsys):
    install()
    assert main(FETCH) == 0
    install(mode="raise")
    assert main([*FETCH[:-1], "2024-02-29"]) == 0
    captured = capsys.readouterr()
    assert "eventstudy: warning: Yahoo Finance could not be reached" in captured.err
    assert "last cached date" in captured.err


def test_fetch_errors(install, capsys):
    install(unknown={"ZZZZ"})
    assert main(["fetch", "ZZZZ", "--start", "2024-01-02", "--end", "2024-01-31"]) == 2
    assert "does not know ticker(s) ZZZZ" in capsys.readouterr().err
    assert main(["fetch", "META", "--start", "soon"]) == 2
    assert "start 'soon' is not a date" in capsys.readouterr().err
    assert main(["fetch", "META"]) == 2  # --start is required


def test_fetch_factors(install, monkeypatch, capsys):
    install()
    monkeypatch.setattr(
        ff_mod, "fetch_url", FakeFrench(dates=pd.bdate_range("2024-01-02", "2024-02-09"))
    )
    assert main([*FETCH, "--factors"]) == 0
    assert "factors (famafrench): 2024-01-02 to 2024-01-31, 22 rows" in capsys.readouterr().out


def test_cache_info_and_clear(install, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSTUDY_CACHE", str(tmp_path))
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert f"cache directory: {tmp_path} ($EVENTSTUDY_CACHE)" in out and "empty" in out
    install()
    main(FETCH)
    capsys.readouterr()
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert "yahoo" in out and "META" in out and "2 file(s)" in out and "kB" in out
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["cache", "clear"]) == 2  # no terminal to confirm: refuse
    assert "pass --yes" in capsys.readouterr().err
    assert (tmp_path / "yahoo" / "META.csv.gz").exists()
    assert main(["cache", "clear", "--yes"]) == 0
    assert "removed 2 file(s)" in capsys.readouterr().out
    assert not (tmp_path / "yahoo").exists() and (tmp_path / "notes.txt").exists()
    assert main(["cache", "info", "--cache-dir", str(tmp_path)]) == 0
    assert "(--cache-dir)" in capsys.readouterr().out
    assert main(["cache"]) == 2
