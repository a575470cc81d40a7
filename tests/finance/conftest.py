"""The import and export tests' small district (tests/finance/import_support.py), with and without the
rows some_history makes by hand."""

from __future__ import annotations

import pytest

from tests.finance.import_support import make_district, some_history


@pytest.fixture
def bare_district(department_a, department_b):
    """2020 and 2021, two classes, two fund sources, a grant, a unit and a project per department."""
    return make_district(department_a, department_b)


@pytest.fixture
def district(bare_district):
    """The bare district with a payment (V0001: 100.00 元 to PA1 on 2021-03-01), an evaluation and an
    indicator."""
    some_history(bare_district)
    return bare_district
