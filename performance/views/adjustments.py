"""Results applied to next year's budget: proposals and decisions (SPEC §4.7)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    QuerySet,
)
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance import selectors as finance_selectors
from finance.parameters import year_of
from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedTableMixin
from performance import selectors, services
from performance.filters import AdjustmentFilter
from performance.forms import AdjustmentDecisionForm, BulkDecisionForm
from performance.models import BudgetAdjustment
from performance.tables import (
    AdjustmentTable,
)
from performance.views.common import YearPageMixin, safe_back


class AdjustmentListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §4.7: next year's budget adjustment proposals from this year's results; officers decide
    them one by one or many at once, and see the effect on next year's budget."""

    department_wide = True
    table_class = AdjustmentTable
    filterset_class = AdjustmentFilter
    template_name = "performance/adjustments.html"
    export_name = "budget-adjustments"

    def get_queryset(self):
        year = self.state.year
        return selectors.budget_adjustments(
            user=self.request.user, target_year=year + 1 if year is not None else None
        )

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_officer(self.request.user):
            kwargs["exclude"] = ("select", "actions")
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target_year = (self.state.year or 0) + 1
        effects = selectors.adjustment_effects(user=self.request.user, target_year=target_year)
        officer = is_officer(self.request.user)
        filtered = context["filter"].qs
        return context | {
            "target_year": target_year,
            "effects": effects,
            # The district's total for those who see every department.
            "district": selectors.district_effect(effects, name=_("District")) if officer else None,
            "pending_in_filter": selectors.pending_count(filtered) if officer else 0,
            "bulk_form": BulkDecisionForm(),
        }


@require_POST
def decide_adjustment(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer accepts, changes (with a figure) or does not adopt one proposal."""
    if not is_officer(request.user):
        raise Http404
    adjustment = get_object_or_404(selectors.budget_adjustments_for_decision(user=request.user), pk=pk)
    form = AdjustmentDecisionForm(request.POST)
    back = safe_back(request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == BudgetAdjustment.Decision.ACCEPTED:
            services.accept_budget_adjustment(adjustment=adjustment, user=request.user, note=note)
        elif decision == BudgetAdjustment.Decision.CHANGED:
            services.change_budget_adjustment(
                adjustment=adjustment,
                user=request.user,
                final_budget=form.cleaned_data["final_budget"],
                note=note,
            )
        else:
            services.reject_budget_adjustment(adjustment=adjustment, user=request.user, note=note)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    messages.success(
        request,
        _("%(project)s: %(decision)s.")
        % {
            "project": f"{adjustment.project.code} {adjustment.project.name}",
            "decision": dict(BudgetAdjustment.Decision.choices)[decision],
        },
    )
    return redirect(back)


def _bulk_targets(
    request: HttpRequest, form: BulkDecisionForm
) -> tuple[QuerySet[BudgetAdjustment], int] | str:
    """The proposals a bulk decision is about and the year, or why there are none to decide."""
    query = QueryDict(form.cleaned_data["query"] or "")
    year = year_of(query.get("year"))
    if year is None or not finance_selectors.fiscal_year_exists(year):
        return _("Choose a fiscal year.")
    visible = selectors.budget_adjustments(user=request.user, target_year=year + 1)
    if form.cleaned_data["scope"] == BulkDecisionForm.FILTER:
        filterset = AdjustmentFilter(query, queryset=visible, request=request)
        if not filterset.is_valid():
            return _("The filter is not valid: nothing was decided.")
        return selectors.pending_adjustments(filterset.qs), year
    ids = set(form.cleaned_data["ids"])
    chosen = visible.filter(pk__in=ids)
    missing = len(ids) - chosen.count()
    if missing:
        return _(
            "%(count)s of the ticked proposals are no longer there (withdrawn by a recompute): nothing was "
            "decided. Reload the page and tick again."
        ) % {"count": missing}
    return chosen, year


@require_POST
def decide_adjustments(request: HttpRequest) -> HttpResponse:
    """An officer decides many proposals at once with one reason: the ticked rows or every pending row
    of the filter. First a confirmation page with the count and the effect, then the decision itself,
    all or nothing, each proposal recorded as if decided singly."""
    if not is_officer(request.user):
        raise Http404
    form = BulkDecisionForm(request.POST)
    query = request.POST.get("query", "")
    back = reverse("performance:adjustments") + (f"?{query}" if query and len(query) <= 2000 else "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    targets = _bulk_targets(request, form)
    if isinstance(targets, str):
        messages.error(request, targets)
        return redirect(back)
    chosen, year = targets
    decision = form.cleaned_data["decision"]
    label = dict(BudgetAdjustment.Decision.choices)[decision]
    if request.POST.get("confirm") != "yes":
        totals = selectors.bulk_decision_totals(chosen)
        if not totals["count"]:
            messages.error(request, _("No pending proposal in this filter: nothing to decide."))
            return redirect(back)
        return render(
            request,
            "performance/adjustments_confirm.html",
            {
                "form": form,
                "totals": totals,
                "decision_label": label,
                "year": year,
                "target_year": year + 1,
                "back": back,
                "accepting": decision == BudgetAdjustment.Decision.ACCEPTED,
                # The service would refuse: say why on this page and offer no confirmation.
                "blocked": bool(
                    totals["decided"] or (decision == BudgetAdjustment.Decision.ACCEPTED and totals["review"])
                ),
            },
        )
    try:
        count = services.decide_budget_adjustments(
            adjustments=chosen,
            user=request.user,
            decision=decision,
            note=form.cleaned_data["note"],
            expected=form.cleaned_data["expected"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(back)
    messages.success(request, _("%(count)s proposals: %(decision)s.") % {"count": count, "decision": label})
    return redirect(back)
