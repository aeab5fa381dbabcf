"""Execute every notebook in ``notebooks/`` top to bottom (slow).

Each notebook runs in a temporary copy of its folder, offline, with the
``python3`` kernel of the running interpreter; any cell error fails the test.
The committed notebooks are never modified.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    work = tmp_path / "notebooks"
    shutil.copytree(path.parent, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    nb = nbformat.read(work / path.name, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(work)}},
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as err:  # pragma: no cover - shown on failure
        pytest.fail(f"{path.name} failed:\n{err}", pytrace=False)

