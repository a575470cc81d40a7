"""The project pool (SPEC §12.4): the list of proposals, and a pool project's transitions (approve into
the budget with the approved amount, or refuse with a reason), which only officers take."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance import selectors as finance_selectors
from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedTableMixin, PageParametersMixin
from performance.filters import PoolFilter
from performance.selectors.pool import pool_projects
from performance.services.pool import decide_proposal
from performance.tables import PoolTable
from projects.selectors import visible_project
from projects.services import pool_year
from workflow.models import Action
from workflow.services import TransitionRefused
from workflow.views import FROM_PAGE


class PoolListView(PageParametersMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §12.4 the project pool: the proposals the user may see, filtered by status, exported."""

    table_class = PoolTable
    filterset_class = PoolFilter
    template_name = "performance/pool.html"
    export_name = "project-pool"

    def get_queryset(self):
        return pool_projects(user=self.request.user)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_officer(self.request.user):
            kwargs["exclude"] = ("assess",)
        return kwargs

    def get_context_data(self, **kwargs):
        own_unit = finance_selectors.own_unit(self.request.user)
        return super().get_context_data(**kwargs) | {
            "own_unit": own_unit,
            "pool_year": pool_year() if own_unit is not None else None,
        }


@require_POST
def project_transition(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """Approve (``approved_budget`` in 元) or refuse (``reason``) a pool project, as an officer.

    Done: a message and back to the project's page. Refused: nothing changes; the page's own form
    (``from_page``) gets the message on the page, any other POST an HTTP 409. Outside the user's
    scope: 404.
    """
    project = visible_project(user=request.user, year=year, code=code)
    action = request.POST.get("action", "")
    try:
        decide_proposal(
            project,
            user=request.user,
            action=action,
            approved_budget=request.POST.get("approved_budget"),
            reason=request.POST.get("reason", ""),
        )
    except TransitionRefused as refused:
        if refused.not_found:
            raise Http404(refused.message) from None
        if request.POST.get(FROM_PAGE):
            messages.error(request, refused.message)
            return redirect("projects:project", year, code)
        return HttpResponse(refused.message, status=409, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect("projects:project", year, code)
