"""The README's Python examples run (the live-data ones excepted: no network here)."""

from __future__ import annotations

import re
import shutil
import warnings

import pytest

from conftest import ROOT

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), flags=re.S)
OFFLINE = [b for b in BLOCKS if "Yahoo(" not in b and "FamaFrench(" not in b]


def test_readme_has_examples():
    assert len(OFFLINE) >= 2


def test_readme_examples_run(tmp_path, monkeypatch):
    shutil.copy(ROOT / "events.csv", tmp_path / "events.csv")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for block in OFFLINE:
            exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    res = namespace["res"]
    assert (tmp_path / "meta_q3.html").stat().st_size > 10_000
    assert len(res.test((-1, 1))) == 12


@pytest.mark.parametrize("fragment", ["make demo", "make test", "2026-09-15", "Live data"])
def test_readme_mentions(fragment):
    assert fragment in (ROOT / "README.md").read_text()
