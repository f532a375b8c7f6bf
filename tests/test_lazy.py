"""Lazy loading: ``list``, ``cite`` and ``conform --list`` answer from the catalog index without
importing torch or any topic module; a selection imports only its topics; the index is derived
from the sources and never read once they change. (No timings here: bench/run.py measures.)"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from dlproofs import catalog
from dlproofs.registry import all_claims, get, select


@pytest.fixture(scope="module")
def index() -> dict:
    """The index of the current sources, built by a validating full load if missing."""
    all_claims()
    data = catalog.load()
    assert data is not None, f"the catalog index was not written to {catalog.index_path()} (is the checkout writable?)"
    return data


def modules_after(*argv: str) -> tuple[list[str], str]:
    """Run the CLI with ``argv`` in a fresh interpreter; the modules it imported, and its stdout."""
    code = textwrap.dedent(
        f"""
        import contextlib, io, json, sys
        from dlproofs.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                main({list(argv)!r})
            except SystemExit as exc:
                assert not exc.code, exc.code
        print(json.dumps({{"modules": sorted(sys.modules), "out": out.getvalue()}}))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    data = json.loads(proc.stdout.splitlines()[-1])
    return data["modules"], data["out"]


def topic_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if m.startswith("dlproofs.derivations.")]


@pytest.mark.parametrize("argv", [("list", "--json"), ("cite", "bn.forward"), ("conform", "--list", "--json")])
def test_listing_commands_import_neither_torch_nor_any_topic(index, argv):
    modules, out = modules_after(*argv)
    assert out.strip()
    assert "torch" not in modules and "hypothesis" not in modules
    assert topic_modules(modules) == []


def test_list_from_the_index_equals_a_full_load(index):
    _, out = modules_after("list", "--json")
    rows = json.loads(out)
    claims = all_claims()
    assert [r["id"] for r in rows] == [c.id for c in claims]
    for row, c in zip(rows, claims):
        assert (row["topic"], row["verdict"], row["title"]) == (c.topic, c.verdict.value, c.title)
        assert row["contract"] == (c.contract.signature if c.contract else None)
        assert [s["quote"] for s in row["sources"]] == [s.quote for s in c.sources]
        assert row["uses"] == list(c.uses)


def test_the_index_is_what_a_full_load_builds(index):
    assert index["claims"] == catalog.build(all_claims())["claims"]


def test_a_selection_imports_only_its_topics(index):
    code = (
        "import sys; from dlproofs.registry import select, get; "
        "ids = [c.id for c in select(['ln.forward', 'relu.derivative'])]; get('bn.forward'); "
        "print(sorted(m for m in sys.modules if m.startswith('dlproofs.derivations.') and '._' not in m)); print(ids)"
    )  # helper modules (derivations/_shared.py: names of the seeds, the not-formalizable form) are not topics
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0] == str(
        ["dlproofs.derivations.activations", "dlproofs.derivations.batchnorm", "dlproofs.derivations.layernorm"]
    )
    assert out[1] == str(["ln.forward", "relu.derivative"])


def test_lazy_lookups_return_the_registry_records(index):
    full = {c.id: c for c in all_claims()}
    assert get("residual.zero-init") == full["residual.zero-init"]
    assert [c.id for c in select(["bn"])] == [c.id for c in all_claims() if c.id.startswith("bn.")]


def test_the_key_changes_with_any_source_file(tmp_path, monkeypatch):
    src = tmp_path / "derivations"
    src.mkdir()
    (src / "topic.py").write_text("X = 1\n")
    monkeypatch.setattr(catalog, "_package_dirs", lambda: [src])
    catalog.source_key.cache_clear()
    try:
        before = catalog.source_key()
        (src / "topic.py").write_text("X = 2\n")
        catalog.source_key.cache_clear()
        edited = catalog.source_key()
        (src / "new.py").write_text("")
        catalog.source_key.cache_clear()
        added = catalog.source_key()
    finally:
        catalog.source_key.cache_clear()
    assert len({before, edited, added}) == 3


def test_an_index_for_other_sources_is_never_read(tmp_path, monkeypatch, index):
    monkeypatch.setattr(catalog, "_cache_dir", lambda: tmp_path)
    path = catalog.index_path()
    path.write_text(json.dumps({**index, "key": "0" * 64}))  # right file name, other sources
    assert catalog.load() is None
    path.write_text(json.dumps(index))
    assert catalog.load() == index
    path.write_text(json.dumps(index)[:100])  # truncated by a crash
    assert catalog.load() is None


def test_an_unwritable_cache_only_means_full_loads(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(catalog, "_cache_dir", lambda: blocked / "cache")  # a file where a folder should be
    catalog.write({"format": catalog.FORMAT, "key": catalog.source_key(), "claims": []})
    assert catalog.load() is None
    assert catalog.current()["claims"][0]["id"] == all_claims()[0].id
