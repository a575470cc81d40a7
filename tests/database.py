"""What the database itself refuses, for the constraint tests of each app."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction


def rejected(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
