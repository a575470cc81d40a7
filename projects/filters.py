"""The project list's filters (SPEC §6), with a ``q`` search and those the apps above add
(``projects.extensions.list_filter``); the standards library's (SPEC §13).

Department choices are only the departments the user may see, so a head's form never names another
department; the projects they filter already come from ``visible_to(user)``.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from finance.models import Department, FiscalYear, FunctionClass, FundSource
from finance.roles import is_unit_filler
from projects import extensions
from projects.models import Category, IndicatorTemplate, Project, QuotaStandard

#: Up to this many visible departments the department filter is a list to pick from; beyond it (a
#: province at 100×) a list of thousands helps nobody and costs the page its speed: one types the code.
DEPARTMENT_CHOICES_LIMIT = 200


class ProjectFilter(django_filters.FilterSet):
    """``state`` is the page's state (``projects.extensions.page_state``), for the added filters."""

    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    department = django_filters.CharFilter(label=_("Department"), method="filter_department")
    function_class = django_filters.ModelChoiceFilter(
        label=_("Function class"), queryset=FunctionClass.objects.order_by("code")
    )
    fund_source = django_filters.ModelChoiceFilter(
        label=_("Fund source"), queryset=FundSource.objects.order_by("code")
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)

    class Meta:
        model = Project
        fields = ["q", "department", "function_class", "fund_source", "category"]

    def __init__(self, *args, request=None, state: dict | None = None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.state = state or {}
        for name, filter_ in extensions.filters():
            filter_.field_name = filter_.field_name or name
            filter_.model = self.queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        if request is not None and is_unit_filler(request.user):
            # A unit filler's projects are all of their one unit: a department to pick would be noise.
            del self.filters["department"]
        elif request is not None:
            self.filters["department"].extra["widget"] = _department_widget(request.user)

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(department__code=value.strip())


def _department_widget(user) -> forms.Widget:
    """The departments the user may see to pick from (one query), or a text box for the code when
    there are too many to list."""
    departments = list(
        Department.objects.visible_to(user)
        .order_by("code")
        .values_list("code", "name")[: DEPARTMENT_CHOICES_LIMIT + 1]
    )
    if len(departments) > DEPARTMENT_CHOICES_LIMIT:
        return forms.TextInput(attrs={"placeholder": _("department code"), "size": 10})
    return forms.Select(choices=[("", "---------"), *departments])


class IndicatorTemplateFilter(django_filters.FilterSet):
    """The indicator templates: a ``q`` search over the indicator and its levels, the department (of
    those the user may see; none to pick for a unit filler), the category and the level 1."""

    q = django_filters.CharFilter(label=_("Search indicator or level"), method="search")
    department = django_filters.CharFilter(label=_("Department"), method="filter_department")
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices)
    level1 = django_filters.CharFilter(label=_("Level-1 indicator"), method="filter_level1")

    class Meta:
        model = IndicatorTemplate
        fields = ["q", "department", "category", "level1"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and is_unit_filler(request.user):
            # A unit filler's templates are all of their one department: a department to pick is noise.
            del self.filters["department"]
        elif request is not None:
            self.filters["department"].extra["widget"] = _department_widget(request.user)
        levels = self.queryset.order_by("level1").values_list("level1", flat=True).distinct()
        self.filters["level1"].extra["widget"] = forms.Select(
            choices=[("", "---------"), *((level, level) for level in levels)]
        )

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(level1__icontains=value) | Q(level2__icontains=value)
        )

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(department__code=value.strip())

    def filter_level1(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(level1=value.strip())


class QuotaStandardFilter(django_filters.FilterSet):
    """The quota standards: a ``q`` search over name and unit of measure, and the year."""

    q = django_filters.CharFilter(label=_("Search name or unit"), method="search")
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="fiscal_year_id", choices=[])

    class Meta:
        model = QuotaStandard
        fields = ["q", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = FiscalYear.objects.order_by("-year").values_list("year", flat=True)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(measure_unit__icontains=value))
