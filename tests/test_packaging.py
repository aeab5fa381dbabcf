"""pyproject.toml and environment.yml must name the same dependencies."""

import re
import subprocess
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from conftest import ROOT

# conda-forge spells a few names differently from PyPI.
CONDA_NAMES = {"exchange_calendars": "exchange-calendars"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        CONDA_NAMES.get(_name(r), _name(r)): r
        for group in [project["dependencies"], *project["optional-dependencies"].values()]
        for r in group
    }
    env_text = (ROOT / "environment.yml").read_text()
    listed = {}
    for line in env_text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s{2}- ([A-Za-z0-9_.\-]+)(.*)$", line)
        if match and match.group(1) not in ("python", "pip"):
            listed[match.group(1).lower()] = match.group(1) + match.group(2).strip()
    assert set(listed) == set(wanted), set(listed) ^ set(wanted)
    for name, requirement in wanted.items():
        pypi_spec = requirement[len(_name(requirement)) :].strip()
        assert listed[name].endswith(pypi_spec), f"{name}: {listed[name]} vs {requirement}"
    assert "- -e ." in env_text


def test_console_script_version():
    out = subprocess.run(
        [sys.executable, "-m", "eventstudy", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.startswith("eventstudy ")
