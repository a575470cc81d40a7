"""An evaluation's page, new evaluations and their steps (SPEC §12.2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance import selectors as finance_selectors
from finance.parameters import whole_number, year_of
from finance.roles import is_officer
from performance import selectors
from performance.forms import CREATED_KINDS, EvaluationScoresForm, NewEvaluationForm
from performance.services.evaluation_steps import (
    create_evaluation,
    editable,
    save_scores,
    steps_for,
    take_step,
)
from workflow.models import Action
from workflow.services import TransitionRefused, timeline
from workflow.views import FROM_PAGE


@dataclass(frozen=True)
class Step:
    """A button of the page's transition form (workflow/_transitions.html)."""

    action: str

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


def _refused(request: HttpRequest, message: str, back_to: str) -> HttpResponse:
    """take_transition's convention: the page's own form gets the message on the page, any other POST
    an HTTP 409 with it."""
    if request.POST.get(FROM_PAGE):
        messages.error(request, message)
        return redirect(back_to)
    return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")


def _validation_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def new_evaluation(request: HttpRequest) -> HttpResponse:
    """An officer creates a key, department-wide or ex-ante evaluation of a project or a department of
    a year (``?kind=ex_ante&project=<id>`` from the project pool prefills it). Others: 404."""
    if not is_officer(request.user):
        raise Http404
    fiscal_years = finance_selectors.fiscal_years()
    if not fiscal_years:
        raise Http404
    years = [fiscal_year.year for fiscal_year in fiscal_years]
    initial = {}
    prefilled = whole_number(request.GET.get("project", ""), max_digits=18)
    project = selectors.visible_project(user=request.user, pk=prefilled) if prefilled else None
    if project is not None:
        initial["project"] = project.pk
    kind = request.GET.get("kind", "")
    if kind in dict(CREATED_KINDS):
        initial["kind"] = kind
    asked = year_of(request.POST.get("year") or request.GET.get("year"))
    current = next((fiscal_year.year for fiscal_year in fiscal_years if fiscal_year.is_current), years[0])
    year = project.fiscal_year_id if project is not None else asked if asked in years else current
    form = NewEvaluationForm(
        request.POST or None,
        initial=initial,
        year=year,
        projects=selectors.evaluable_projects(user=request.user, year=year),
        departments=selectors.evaluable_departments(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = create_evaluation(form.save(commit=False), user=request.user)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error(None, _validation_text(error))
        else:
            messages.success(request, _("The evaluation is saved as a draft."))
            return redirect("performance:evaluation", pk=evaluation.pk)
    return render(
        request,
        "performance/evaluation_new.html",
        {"form": form, "year": year, "years": years},
        status=400 if form.is_bound else 200,
    )


def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation: target, kind, scores with their maxima, total and grade, notes, status and
    timeline. An officer edits it until it is finalised; the others in its scope read it; 404 outside."""
    evaluation = get_object_or_404(selectors.evaluation_detail(user=request.user), pk=pk)
    here = reverse("performance:evaluation", args=[evaluation.pk])
    can_edit = editable(evaluation, user=request.user)
    form = EvaluationScoresForm(instance=evaluation) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            return _refused(request, _("This evaluation is read-only for you."), here)
        form = EvaluationScoresForm(request.POST, instance=evaluation)
        if form.is_valid():
            try:
                save_scores(form.save(commit=False), user=request.user)
            except TransitionRefused as refused:
                if refused.not_found:
                    raise Http404 from None
                return _refused(request, refused.message, here)
            except ValidationError as error:
                form.add_error(None, _validation_text(error))
            else:
                messages.success(request, _("The scores are saved."))
                return redirect(here)
        # Shown as stored, not as typed: nothing was saved.
        evaluation.refresh_from_db()
    steps = [Step(action) for action in steps_for(evaluation, user=request.user)]
    return render(
        request,
        "performance/evaluation.html",
        {
            "evaluation": evaluation,
            "form": form,
            "timeline": timeline(evaluation),
            "actions": steps,
            "needs_reason": any(step.action == Action.REOPEN for step in steps),
            "transition_url": reverse("performance:evaluation_transition", args=[evaluation.pk]),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
def evaluation_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Finalise or reopen (``action``, with ``reason``), as workflow.views.take_transition does: done, a
    message and a redirect; refused, the page's message or an HTTP 409; outside the scope, 404."""
    evaluation = get_object_or_404(selectors.evaluation_detail(user=request.user), pk=pk)
    here = reverse("performance:evaluation", args=[evaluation.pk])
    action = request.POST.get("action", "")
    try:
        take_step(evaluation, user=request.user, action=action, reason=request.POST.get("reason", ""))
    except TransitionRefused as refused:
        if refused.not_found:
            raise Http404(refused.message) from None
        return _refused(request, refused.message, here)
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(here)
