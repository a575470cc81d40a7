"""Monitoring rounds and reports (绩效运行监控, SPEC §14.1): a project's report in a round, which the unit
fills and two levels review, and the rounds' progress by department."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance.models import FiscalYear
from finance.roles import is_officer
from finance.scoping import scope_of
from performance.forms import MonitoringReportForm, MonitoringRoundForm
from performance.selectors import monitoring as selectors
from performance.selectors.self_evaluations import is_own_unit
from performance.services.monitoring_reports import (
    report_lines,
    save_lines,
    spending_at,
    submission_problems,
)
from projects.selectors import visible_project
from workflow import rounds
from workflow.models import Action, Round, State
from workflow.rules import actions_for
from workflow.services import TransitionRefused, timeline, transition
from workflow.views import take_transition

#: A unit filler's own reports listed on /monitoring/ at most (their unit's projects × rounds).
UNIT_REPORTS_SHOWN = 200


def monitoring_report(request: HttpRequest, year: int, code: str, round_id: int) -> HttpResponse:
    """One project's monitoring report: the unit edits it while it is a draft or returned; the reviewers
    see it with their transitions; everyone in scope sees its spending and its timeline."""
    project = visible_project(user=request.user, year=year, code=code)
    round_ = selectors.monitoring_round(year=year, round_id=round_id)
    report = selectors.report_of(user=request.user, project=project, round_=round_)
    editable = is_own_unit(user=request.user, project=project) and report.editable_by_unit
    lines = report_lines(report)
    form = None
    if editable:
        form = MonitoringReportForm(
            request.POST if request.method == "POST" else None, lines=[row.line for row in lines]
        )
        if request.method == "POST":
            if form.is_valid():
                _save(request, report, form)
                return redirect(request.path)
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    elif request.method == "POST":
        messages.error(request, _("You cannot change this monitoring report now."))
        return redirect(request.path)
    steps = timeline(report)
    actions = actions_for(request.user, report)
    return render(
        request,
        "performance/monitoring_report.html",
        {
            "project": project,
            "year": year,
            "round": round_,
            "report": report,
            "spending": spending_at(project, round_.as_of),
            "rows": [(row, form.row_fields(row.line) if form else None) for row in lines],
            "form": form,
            "editable": editable,
            "timeline": steps,
            "last_reason": _why_returned(report, steps),
            "actions": actions,
            "needs_reason": any(rule.needs_reason for rule in actions),
            "transition_url": reverse("performance:monitoring_transition", args=[year, code, round_.pk]),
        },
    )


def _save(request: HttpRequest, report, form: MonitoringReportForm) -> None:
    """Save what the unit typed (always allowed while it may edit); with "save and submit", then submit
    it, whose checks run on what was just saved. Every outcome is a message on the page."""
    try:
        report = save_lines(report=report, entries=form.entries())
        if request.POST.get("then") == Action.SUBMIT:
            transition(report, user=request.user, action=Action.SUBMIT)
            messages.success(request, _("Saved and submitted to your department."))
            return
    except TransitionRefused as refused:
        messages.error(request, _("Saved, not submitted: %(why)s") % {"why": refused.message})
        return
    still = submission_problems(report)
    if still:
        messages.warning(request, _("Saved. Before you submit: %(what)s") % {"what": " ".join(still)})
    else:
        messages.success(request, _("Saved. The report is ready to submit."))


def _why_returned(report, steps):
    if report.state != State.RETURNED:
        return None
    return next((step for step in reversed(steps) if step.to_state == State.RETURNED), None)


@require_POST
def monitoring_transition(request: HttpRequest, year: int, code: str, round_id: int) -> HttpResponse:
    """SPEC §12.1 transitions of a monitoring report: submit, forward, approve, return, reopen."""
    project = visible_project(user=request.user, year=year, code=code)
    round_ = selectors.monitoring_round(year=year, round_id=round_id)
    report = selectors.report_of(user=request.user, project=project, round_=round_)
    back_to = reverse("performance:monitoring_report", args=[year, code, round_.pk])
    return take_transition(request, report, back_to=back_to)


def monitoring_page(request: HttpRequest) -> HttpResponse:
    """The monitoring rounds, each with its reports by department in the user's scope: in all, reported
    (submitted or further), approved and overdue; a unit filler's own reports; officers open rounds."""
    scope = scope_of(request.user)
    if scope.nothing:
        raise Http404("no role")
    form = None
    if is_officer(request.user):
        form = MonitoringRoundForm(
            request.POST or None, years=FiscalYear.objects.values_list("pk", flat=True).order_by("-pk")
        )
    if request.method == "POST":
        if form is None:
            raise Http404("only officers open rounds")
        if form.is_valid():
            data = form.cleaned_data
            try:
                opened, count = rounds.open_round(
                    user=request.user,
                    kind=Round.Kind.MONITORING,
                    year=data["year"],
                    deadline=data["deadline"],
                    as_of=data["as_of"],
                )
            except rounds.RoundRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Round opened: %(round)s, %(count)s reports.") % {"round": opened, "count": count},
                )
                return redirect(request.path)
    progress = selectors.rounds_progress(selectors.monitoring_rounds(), scope)
    reports = None
    if scope.unit_id is not None:
        reports = list(selectors.unit_reports(scope)[:UNIT_REPORTS_SHOWN])
    return render(
        request,
        "performance/monitoring.html",
        {"progress": progress, "form": form, "reports": reports, "is_head": scope.unit_id is None},
    )
