"""import --initial writes part of the importer's files in a forked child (`_SideBySide`):
its result comes back, its failure is raised here, and a cancelled child is stopped."""

from __future__ import annotations

import os
import time

import pytest

from graph_api.bulk.initial import InitialImportError, _SideBySide


def test_the_childs_result_comes_back() -> None:
    assert _SideBySide(lambda: (["--nodes=x"], True, 3)).result() == (["--nodes=x"], True, 3)


def test_the_childs_failure_is_raised_here() -> None:
    def fail() -> None:
        raise ValueError("no such row")

    with pytest.raises(InitialImportError, match="ValueError: no such row"):
        _SideBySide(fail).result()


def test_a_cancelled_child_is_stopped() -> None:
    child = _SideBySide(lambda: time.sleep(600))
    pid = child._pid
    assert pid
    child.cancel()  # killed and reaped: no such process any more
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
