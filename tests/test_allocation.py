"""The collector thresholds cfglint raises while it builds, and gives back afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cfglint.allocation import BUILDING_THRESHOLDS, bulk_allocation
from cfglint.readers import read
from tests.conftest import FIXTURES


@pytest.fixture
def own_thresholds() -> Iterator[tuple[int, int, int]]:
    previous = gc.get_threshold()
    gc.set_threshold(500, 5, 5)
    yield (500, 5, 5)
    gc.set_threshold(*previous)


def test_thresholds_are_raised_while_building_and_restored_after(
        own_thresholds: tuple[int, int, int]) -> None:
    seen: list[tuple[int, ...]] = []

    @bulk_allocation
    def inner() -> None:
        seen.append(gc.get_threshold())

    @bulk_allocation
    def outer() -> str:
        seen.append(gc.get_threshold())
        inner()
        seen.append(gc.get_threshold())
        return "built"

    assert outer() == "built"
    assert seen == [BUILDING_THRESHOLDS] * 3
    assert gc.get_threshold() == own_thresholds


def test_thresholds_are_restored_when_reading_fails(
        own_thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(Exception, match="no such file"):
        read(FIXTURES / "does-not-exist")
    assert gc.get_threshold() == own_thresholds
    assert read(FIXTURES / "acme-sfdx").objects
    assert gc.get_threshold() == own_thresholds
