"""Quarter's edges, case 15: numbers of 2**63 or more from buttons are no buttons at all."""

from __future__ import annotations

import inspect

import pytest
from aiogram.filters.callback_data import CallbackData

from ui import callbacks

# Each factory's packed form, with {n} where a number goes.
FORGED = {
    "lp1": "lp1:e:{n}",
    "pc1": "pc1:s:{n}:",
    "pu1": "pu1:s:{n}",
    "pp1": "pp1:{n}:{n}",
    "pi1": "pi1:{n}:{n}",
    "ri1": "ri1:p:{n}:{n}",
    "q1": "q1:go:{n}:{n}::{n}",
    "rv1": "rv1:v:{n}:{n}",
    "rq1": "rq1:a:{n}:{n}:{n}",
    "rd1": "rd1:s:2026Q1:{n}",
    "rc1": "rc1:e:{n}:{n}",
    "st1": "st1:p:{n}:{n}",
    "cd1": "cd1:a:{n}::{n}:{n}",
    "ct1": "ct1:o:{n}",
    "ca1": "ca1:{n}:{n}",
    "rs1": "rs1:{n}",
    "ch1": "ch1:o:{n}:{n}:{n}",
    "se1": "se1:o:2026Q1:{n}",
    "im1": "im1:{n}",
}
FACTORIES = {
    factory.__prefix__: factory
    for _, factory in inspect.getmembers(callbacks, inspect.isclass)
    if issubclass(factory, CallbackData) and factory is not CallbackData
}


def test_every_factory_is_checked() -> None:
    assert set(FORGED) == set(FACTORIES)


@pytest.mark.parametrize("prefix", sorted(FORGED))
def test_a_forged_button_with_a_huge_number_is_no_button(prefix: str) -> None:
    factory = FACTORIES[prefix]
    factory.unpack(FORGED[prefix].format(n=7))  # the ordinary form is a button
    if "int" not in str(factory.model_fields):
        return  # no number to bound (an invite code is text)
    with pytest.raises(ValueError):
        factory.unpack(FORGED[prefix].format(n=2**63))
