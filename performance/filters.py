"""The dashboard's list filters (SPEC §6): one FilterSet per list, each with a ``q`` search.

Department choices are only the departments the user may see, so a head's form never names another
department; the querysets they filter already come from the selectors' ``visible_to(user)``.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from finance.models import Department
from finance.roles import is_unit_filler
from finance.selectors import department_choices
from performance.models import (
    BudgetAdjustment,
    Evaluation,
    Grade,
    ItemSource,
    ItemState,
    RectificationItem,
    WarningLevel,
)
from projects.models import Project

#: Up to this many visible departments the department filter is a list to pick from; beyond it (a
#: province at 100×) a list of thousands helps nobody and costs the page its speed: one types the code.
DEPARTMENT_CHOICES_LIMIT = 200


def _department_filter() -> django_filters.CharFilter:
    return django_filters.CharFilter(label=_("Department"), method="filter_department")


class _ScopedFilterSet(django_filters.FilterSet):
    """The department filter takes a department code; its choices are the departments the request's
    user may see (one query), or a text box for the code when there are too many to list."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if "department" in self.filters and request is not None and is_unit_filler(request.user):
            # A unit filler sees one unit's rows: a department to pick would be noise.
            del self.filters["department"]
        elif "department" in self.filters and request is not None:
            departments = department_choices(request.user, limit=DEPARTMENT_CHOICES_LIMIT)
            if departments is None:
                widget = forms.TextInput(attrs={"placeholder": _("department code"), "size": 10})
            else:
                widget = forms.Select(choices=[("", "---------"), *departments])
            self.filters["department"].extra["widget"] = widget


def _search(fields: tuple[str, ...]):
    def search(queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return search


class WarningFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    department = _department_filter()
    warning_level = django_filters.ChoiceFilter(label=_("Warning level"), choices=WarningLevel.choices)
    flag = django_filters.ChoiceFilter(
        label=_("Flag"),
        choices=(("zero_spending", _("zero spending")), ("overspent", _("overspent"))),
        method="filter_flag",
    )

    def search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        matching = Project.objects.filter(Q(code__icontains=value) | Q(name__icontains=value)).values("pk")
        return queryset.filter(scope_id__in=matching)

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(department_id__in=Department.objects.filter(code=value.strip()).values("pk"))

    def filter_flag(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(**{value: True})


class EvaluationFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    department = _department_filter()
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Evaluation.Kind.choices)
    key_category = django_filters.ChoiceFilter(
        label=_("Key category"), choices=Evaluation.KeyCategory.choices
    )
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Evaluation.Status.choices)

    class Meta:
        model = Evaluation
        fields = ["q", "department", "kind", "key_category", "grade", "status"]

    search = staticmethod(_search(("project__code", "project__name", "department__name", "department__code")))

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        department = Department.objects.filter(code=value.strip()).values("pk")
        return queryset.filter(
            Q(project__in=Project.objects.filter(department__in=department)) | Q(department__in=department)
        )


class AdjustmentFilter(_ScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    department = _department_filter()
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    proposed_action = django_filters.ChoiceFilter(
        label=_("Proposal"), choices=BudgetAdjustment.Action.choices
    )
    decision = django_filters.ChoiceFilter(label=_("Outcome"), choices=BudgetAdjustment.Decision.choices)

    class Meta:
        model = BudgetAdjustment
        fields = ["q", "department", "grade", "proposed_action", "decision"]

    search = staticmethod(_search(("project__code", "project__name")))

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(project__department__code=value.strip())


class PoolFilter(_ScopedFilterSet):
    """The project pool: by status, year and department, with the search over code and name."""

    q = django_filters.CharFilter(label=_("Search code or name"), method="search")
    department = _department_filter()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = ["q", "department", "status"]

    search = staticmethod(_search(("code", "name")))

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(department__code=value.strip())


class RectificationFilter(_ScopedFilterSet):
    """Rectification items: by state, department, source and whether overdue, with the search
    over the problem and the project's code and name."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = _department_filter()
    state = django_filters.ChoiceFilter(label=_("State"), choices=ItemState.choices)
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=(("1", _("overdue only")), ("0", _("not overdue"))),
        method="filter_overdue",
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=ItemSource.choices)

    class Meta:
        model = RectificationItem
        fields = ["q", "department", "state", "overdue", "source"]

    search = staticmethod(_search(("problem", "project__code", "project__name")))

    def filter_department(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(department__code=value.strip())

    def filter_overdue(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        return queryset.filter(overdue=value == "1")
