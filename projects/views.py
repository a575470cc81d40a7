"""The project list and a project's page (SPEC §6): thin views over ``projects.selectors``; what the
apps above show on them comes through ``projects.extensions``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance import selectors as finance_selectors
from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedTableMixin, PageParametersMixin
from projects import extensions, selectors, services
from projects.filters import ProjectFilter
from projects.forms import ProposalForm
from projects.history import change_history
from projects.tables import ProjectTable


class ProjectListView(
    PageParametersMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView
):
    """SPEC §6 projects: the filterable list of the chosen year's visible projects. ``year`` is the
    page's own parameter, not one of the filters."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "projects/projects.html"
    export_name = "projects"

    def get(self, request, *args, **kwargs):
        self.choice = selectors.year_choice(user=request.user, asked=request.GET.get("year"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.projects_of_year(
            user=self.request.user, year=self.choice.year, state=self.choice.state
        )

    def get_filterset_kwargs(self, filterset_class):
        return super().get_filterset_kwargs(filterset_class) | {"state": self.choice.state}

    def get_context_data(self, **kwargs):
        return (
            super().get_context_data(**kwargs)
            | self.choice.context()
            | {"slots": extensions.slots(), "own_unit": finance_selectors.own_unit(self.request.user)}
        )


def project_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """SPEC §6 project: budget, indicators target vs actual, where its figures came from and
    (officers) its change history, with what the apps above add (figures, payments chart,
    evaluations)."""
    user = request.user
    project = selectors.visible_project(user=user, year=year, code=code)
    state = extensions.state_of(user=user, fiscal_year=project.fiscal_year)
    context = {
        "project": project,
        "year": year,
        **state,
        **extensions.detail_context(project, user=user, state=state),
        "indicators": selectors.project_indicators(user=user, project=project),
        "lineage": selectors.project_lineage(project),
    }
    if is_officer(user):
        context["history"] = change_history(project)
    return render(request, "projects/project.html", context)


def propose_project(request: HttpRequest) -> HttpResponse:
    """SPEC §12.4: a unit filler proposes a project of their unit for next year's budget; it joins the
    project pool as ``proposed``. Anyone else has no unit to propose for (404)."""
    unit = finance_selectors.own_unit(request.user)
    if unit is None:
        raise Http404(_("Only a budget unit proposes projects for the pool."))
    year = services.pool_year()
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.propose_project(user=request.user, unit=unit, **form.cleaned_data)
        messages.success(
            request,
            _("Proposed for %(year)s as %(code)s: the bureau assesses it before it can enter the budget.")
            % {"year": year, "code": project.code},
        )
        return redirect("projects:project", project.fiscal_year_id, project.code)
    return render(request, "projects/propose.html", {"form": form, "unit": unit, "year": year})
