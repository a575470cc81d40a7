"""The project list, a project's page (SPEC §6) and the standards library (SPEC §13): thin views over
``projects.selectors``; what the apps above show on them comes through ``projects.extensions``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance import selectors as finance_selectors
from finance.roles import is_department_head, is_officer, is_unit_filler
from finance.tables import ExportableTableMixin, PagedTableMixin, PageParametersMixin, table_or_export
from projects import extensions, selectors, services
from projects.filters import IndicatorTemplateFilter, ProjectFilter, QuotaStandardFilter
from projects.forms import IndicatorTemplateForm, ProposalForm, QuotaStandardForm
from projects.history import change_history, standards_history
from projects.tables import IndicatorTemplateTable, ProjectTable, QuotaStandardTable
from projects.targets.summary import targets_text


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
    project = selectors.visible_project(user=user, year=year, code=code, with_targets=True)
    state = extensions.state_of(user=user, fiscal_year=project.fiscal_year)
    context = {
        "project": project,
        "year": year,
        **state,
        **extensions.detail_context(project, user=user, state=state),
        "indicators": selectors.project_indicators(user=user, project=project),
        "lineage": selectors.project_lineage(project),
        "targets_text": targets_text(project),
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


#: The standards library's two tables (SPEC §13), chosen by ``?show=``: what each lists and how.
STANDARD_KINDS = {
    "indicators": (IndicatorTemplateTable, IndicatorTemplateFilter, IndicatorTemplateForm),
    "quotas": (QuotaStandardTable, QuotaStandardFilter, QuotaStandardForm),
}


def _may_read_standards(user) -> bool:
    return is_officer(user) or is_department_head(user) or is_unit_filler(user)


def standards(request: HttpRequest) -> HttpResponse:
    """SPEC §13 standards library: the indicator templates (heads and unit fillers: their own
    department's) or, with ``?show=quotas``, the district's quota standards; officers add and edit them
    and see the recent changes."""
    user = request.user
    if not _may_read_standards(user):
        raise Http404(_("The standards library is for the bureau and the departments."))
    show = "quotas" if request.GET.get("show") == "quotas" else "indicators"
    table_class, filter_class, _form = STANDARD_KINDS[show]
    queryset = selectors.quota_standards() if show == "quotas" else selectors.indicator_templates(user=user)
    data = request.GET.copy()
    for parameter in ("show", "export", "page", "per_page", "sort"):
        data.pop(parameter, None)
    filterset = filter_class(data or None, queryset=queryset, request=request)
    rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
    officer = is_officer(user)
    table = table_class(rows, editable=officer)
    exported = table_or_export(request, table, name=f"standards-{show}")
    if exported is not None:
        return exported
    context = {"show": show, "filter": filterset, "table": table, "officer": officer}
    if officer:
        context["history"] = standards_history()
    return render(request, "projects/standards.html", context)


def standard_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """An officer's form for a new or an existing indicator template or quota standard; a POST with
    ``delete`` removes it. Bad input: the form again with its messages, nothing changed."""
    if not is_officer(request.user):
        raise Http404(_("Only budget officers keep the standards library."))
    _table, _filter, form_class = STANDARD_KINDS[kind]
    standard = None
    if pk is not None:
        standard = (
            selectors.quota_standard(pk=pk)
            if kind == "quotas"
            else selectors.indicator_template(user=request.user, pk=pk)
        )
    back = f"{reverse('projects:standards')}?show={kind}"
    if request.method == "POST" and standard is not None and "delete" in request.POST:
        services.delete_standard(standard=standard)
        messages.success(request, _("Deleted: %(name)s.") % {"name": standard.name})
        return redirect(back)
    form = form_class(request.POST or None, instance=standard)
    if request.method == "POST":
        if form.is_valid():
            services.save_standard(standard=form.instance)
            messages.success(request, _("Saved: %(name)s.") % {"name": form.instance.name})
            return redirect(back)
        messages.error(request, _("Nothing was saved: correct the marked fields."))
    context = {"form": form, "kind": kind, "standard": standard, "back": back}
    return render(request, "projects/standard_edit.html", context)
