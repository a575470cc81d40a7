"""Fixed personas (STYLE.md): officer, head of department A, other_head of department B, unit_filler of
A01's unit A01-01, admin, anonymous;
and the hand-built district of the page tests (tests/district.py), which every app's pages and the
walks over every page share."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import override_settings
from django.utils import translation

from tests.district import District, add_sibling_unit, build_district
from tests.factories import DepartmentFactory, UserFactory, make_head, make_officer, make_unit_filler


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Uploaded files (the demo seed's evidence among them) go to a temporary MEDIA_ROOT, never into
    the checkout's media folder."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _no_language_leaks_between_tests():
    """A request's language (LocaleMiddleware activates it for the thread) must not carry over into
    the next test, whose messages would then be in English however it was written."""
    yield
    translation.deactivate()


@pytest.fixture
def department_a(db):
    return DepartmentFactory(code="A01", name="区教育体育局")


@pytest.fixture
def department_b(db):
    return DepartmentFactory(code="B02", name="区卫生健康委员会")


@pytest.fixture
def officer(db):
    return make_officer("officer")


@pytest.fixture
def head(department_a):
    return make_head(department_a, "head")


@pytest.fixture
def other_head(department_b):
    return make_head(department_b, "other_head")


@pytest.fixture
def admin(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def district(department_a, department_b) -> District:
    """The district of tests/district.py, recomputed as of 31 October 2021.

    Built as a bulk load is, without queueing a recompute per save (the test's transaction never
    commits, so those would never run; later changes in a test queue their own), then recomputed.
    """
    with override_settings(RECOMPUTE_ON_CHANGE=False):
        built = build_district(department_a, department_b)
    built.recompute()
    return built


@pytest.fixture
def third_head(district):
    """The head of C03, a department with no score last year."""
    return make_head(district.c, "third_head")


@pytest.fixture
def unit_filler(district):
    """The unit filler of A01-01 区第一中学 (PA01, PA02), whose department A01 has a second unit,
    A01-02 with PA09 (tests/district.py ``add_sibling_unit``), recomputed."""
    add_sibling_unit(district)
    district.recompute()
    return make_unit_filler(district.units["A01-01"], "unit")
