"""Execute the three notebooks in notebooks/ against the bundled corpus (nbclient).

One store (graph + search index) is built per test session, by the real `kehoach ingest`
in a subprocess (conftest's `searchable_store`), and handed to the notebooks through KEHOACH_STORE; each notebook falls back
to building its own store when the variable is unset, so they also run on their own. Outputs
are never committed: this test is what runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
pytestmark = pytest.mark.slow


def test_three_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == [
        "01-researcher-sparql-tour.ipynb",
        "02-staff-search.ipynb",
        "03-analyst-2014-vs-2022.ipynb",
    ]


def test_notebooks_are_committed_without_outputs():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name} has stale outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, searchable_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_STORE", str(searchable_store))
    monkeypatch.setenv("KEHOACH_CACHE", str(tmp_path.parent / "compare-cache"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    if path.stem.startswith("03"):
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
        assert len(images) >= 2, "the analyst notebook should draw its charts"
