"""The numba cache is emptied when any source of the package changes (numba itself checks
only a function's own file, not the modules whose functions it compiled in)."""

from __future__ import annotations

from sim.jit import STAMP, clear_stale_cache


def _package(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "kernel.py").write_text("def f(): pass\n")
    (pkg / "helpers.py").write_text("X = 1\n")
    return pkg


def _cached(pkg):
    for name in ("kernel.f-1.py311.nbi", "kernel.f-1.py311.1.nbc"):
        (pkg / "__pycache__" / name).write_bytes(b"machine code")
    (pkg / "__pycache__" / "kernel.cpython-311.pyc").write_bytes(b"bytecode")


def test_a_cache_without_a_digest_is_emptied_once(tmp_path):
    pkg = _package(tmp_path)
    _cached(pkg)
    assert clear_stale_cache(pkg)
    left = sorted(p.name for p in (pkg / "__pycache__").iterdir())
    assert left == sorted([STAMP, "kernel.cpython-311.pyc"])
    _cached(pkg)  # compiled again from the same sources: kept
    assert not clear_stale_cache(pkg)
    assert len(list((pkg / "__pycache__").glob("*.nb?"))) == 2


def test_a_change_in_another_module_empties_the_cache(tmp_path):
    pkg = _package(tmp_path)
    clear_stale_cache(pkg)
    _cached(pkg)
    (pkg / "helpers.py").write_text("X = 2\n")  # kernel.py itself unchanged
    assert clear_stale_cache(pkg)
    assert not list((pkg / "__pycache__").glob("*.nb?"))


def test_a_folder_that_cannot_be_written_is_left_alone(tmp_path):
    pkg = _package(tmp_path)
    (pkg / "__pycache__").rmdir()
    (pkg / "__pycache__").write_text("a file, not a folder")
    assert not clear_stale_cache(pkg)
