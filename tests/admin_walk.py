"""Django admin: the checks every model's admin pages get, once for all apps; each app's test_admin.py
names its models, with a builder that adds n rows of each and the changelist's query budget."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from django.urls import reverse

_serial = itertools.count()


def _next() -> int:
    return next(_serial)


#: Queries per changelist page, the same with 1 row as with 30. Every page makes these six:
#: the session, the user, COUNT(*) for the paginator, COUNT(*) for "n total", the page of rows
#: (every foreign key it shows joined in) and the roles context processor's department lookup.
BASE = 6
#: Payment and the progress snapshot skip the second COUNT(*) (millions of rows at scale).
ONE_COUNT = BASE - 1


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


class AdminWalk:
    """Every model of ``builders`` is walked: its changelist, search, add, change and history pages."""

    #: The app whose models must each have an admin and a builder here.
    app_label: str
    #: model -> function that adds n rows of it (with whatever they hang off).
    builders: dict[type, Callable[[int], object]]
    #: On top of BASE, one query per filter that lists related rows or distinct values, or per prefetch.
    query_budget: dict[type, int]
    #: Written only by the importer and the recompute: no add or change form in the admin.
    read_only: frozenset[type] = frozenset()

    def pytest_generate_tests(self, metafunc):
        if "model" in metafunc.fixturenames:
            metafunc.parametrize("model", list(self.builders), ids=lambda model: model.__name__)

    def test_changelist_opens_with_the_same_queries_for_1_and_30_rows(
        self, client, admin, model, django_assert_max_num_queries
    ):
        client.force_login(admin)
        budget = self.query_budget[model]
        existing = model.objects.count()  # 1 for User: the admin

        self.builders[model](1)
        with django_assert_max_num_queries(budget) as one_row:
            response = client.get(changelist_url(model))
        assert response.status_code == 200
        assert response.context["cl"].result_count == existing + 1

        self.builders[model](29)
        with django_assert_max_num_queries(budget) as thirty_rows:
            response = client.get(changelist_url(model))
        assert response.status_code == 200
        assert response.context["cl"].result_count == existing + 30
        assert len(thirty_rows) == len(one_row)

    @pytest.mark.parametrize("term", ["2021", "测试"])
    def test_changelist_search_accepts_numbers_and_words(self, client, admin, model, term):
        # Search fields include integers, dates and "__exact" casts, which each database handles its own way.
        self.builders[model](2)
        client.force_login(admin)

        response = client.get(changelist_url(model), {"q": term})

        assert response.status_code == 200

    def test_add_form_opens_unless_the_model_is_read_only(self, client, admin, model):
        client.force_login(admin)
        opts = model._meta

        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

        assert response.status_code == (403 if model in self.read_only else 200)

    def test_change_form_and_history_open_for_the_admin(self, client, admin, model):
        self.builders[model](1)
        row = model.objects.order_by("pk").last()
        client.force_login(admin)
        opts = model._meta

        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert response.status_code == 200

        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk]))
        assert response.status_code == 200

    def test_every_model_of_the_app_has_an_admin(self):
        from django.apps import apps
        from django.contrib import admin as django_admin

        for model in apps.get_app_config(self.app_label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # simple-history's tables, shown on their model's history page
            assert model in django_admin.site._registry, f"{model.__name__} has no ModelAdmin (SPEC §6)"
            assert model in self.builders, f"{model.__name__} has no changelist query test here"
