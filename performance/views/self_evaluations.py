"""A project's self-evaluation in the national form (SPEC §12.3): the unit fills it, two levels review it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from performance.forms import SelfEvaluationForm
from performance.selectors import self_evaluations as selectors
from performance.selectors.self_evaluation_downloads import initial_budgets
from performance.services.self_evaluations import save_entries, sheet_for
from projects.selectors import visible_project
from workflow.models import Action, State
from workflow.rules import actions_for
from workflow.services import TransitionRefused, timeline, transition
from workflow.views import take_transition


def self_evaluation(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The 项目支出绩效自评表 of one project: the unit edits it while it is a draft or returned; the
    reviewers see it with their transitions; everyone in scope sees the timeline."""
    project = visible_project(user=request.user, year=year, code=code)
    selectors.evaluable(project)
    record = selectors.record_of(user=request.user, project=project)
    own_unit = selectors.is_own_unit(user=request.user, project=project)
    editable = own_unit and (record is None or record.editable_by_unit)
    indicators = selectors.indicators_of(project)
    form = None
    if editable:
        form = SelfEvaluationForm(
            request.POST if request.method == "POST" else None,
            indicators=indicators,
            initial={"achieved": record.achieved if record else ""},
        )
        if request.method == "POST" and form.is_valid():
            _save(request, project, form)
            return redirect(request.path)
    elif request.method == "POST":
        messages.error(request, _("You cannot change this self-evaluation now."))
        return redirect(request.path)
    sheet = sheet_for(project)
    actions = actions_for(request.user, record) if record else []
    steps = timeline(record) if record else []
    return render(
        request,
        "performance/self_evaluation.html",
        {
            "project": project,
            "year": year,
            "sheet": sheet,
            "initial_budget": initial_budgets([project])[project.pk],
            "record": record,
            "form": form,
            "fields": _fields_by_indicator(form, sheet) if form else {},
            "editable": editable,
            "own_unit": own_unit,
            "imported": None if record else selectors.imported_self_evaluation(project),
            "timeline": steps,
            "last_reason": _why_returned(record, steps),
            "actions": actions,
            "needs_reason": any(rule.needs_reason for rule in actions),
            "transition_url": reverse("performance:self_evaluation_transition", args=[year, code]),
        },
    )


def _save(request: HttpRequest, project, form: SelfEvaluationForm) -> None:
    """Save what the unit typed; with "save and submit", then submit it (the submission's checks run
    on what was just saved). Every outcome is a message on the page."""
    try:
        record = save_entries(
            project=project, user=request.user, achieved=form.cleaned_data["achieved"], entries=form.entries()
        )
        if request.POST.get("then") == Action.SUBMIT:
            transition(record, user=request.user, action=Action.SUBMIT)
            messages.success(request, _("Saved and submitted to your department."))
            return
    except TransitionRefused as refused:
        messages.error(request, _("Saved, not submitted: %(why)s") % {"why": refused.message})
        return
    messages.success(request, _("Saved. The scores below are computed from what you entered."))


def _why_returned(record, steps):
    """The step that returned the record, while it is returned: its reason heads the page."""
    if record is None or record.state != State.RETURNED:
        return None
    return next((step for step in reversed(steps) if step.to_state == State.RETURNED), None)


def _fields_by_indicator(form: SelfEvaluationForm, sheet) -> dict:
    """indicator id → (value field, reason field) of the form, for the table's rows."""
    fields = {}
    for line in sheet.lines:
        pk = line.indicator.pk
        value_name = f"judgement-{pk}" if line.qualitative else f"actual-{pk}"
        if value_name in form.fields:
            fields[pk] = (form[value_name], form[f"reason-{pk}"])
    return fields


@require_POST
def self_evaluation_transition(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """SPEC §12.1 transitions of the self-evaluation: submit, forward, approve, return, reopen."""
    project = visible_project(user=request.user, year=year, code=code)
    selectors.evaluable(project)
    record = selectors.record_of(user=request.user, project=project)
    back_to = reverse("performance:self_evaluation", args=[year, code])
    if record is None:
        if request.POST.get("from_page"):
            messages.error(request, _("Save the self-evaluation before submitting it."))
            return redirect(back_to)
        return HttpResponse(_("This project's self-evaluation has not been started."), status=409)
    return take_transition(request, record, back_to=back_to)
