"""A project's target declaration page (SPEC §13): the unit fills it from the template, two levels
review it."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finance.scoping import scope_of
from projects.models import Project, TargetDeclaration
from projects.selectors import quota_standards, visible_project
from projects.targets import compare, services
from projects.targets.forms import DeclarationForm, RowFormSet, focus_first_error
from workflow.models import EDITABLE, State
from workflow.rules import Role, actions_for, role_on
from workflow.services import TransitionRefused, timeline, transition
from workflow.views import take_transition

#: What the unit's buttons post in ``do``, besides saving the form.
DECLARE, TEMPLATE = "declare", "template"


def declarable_project(*, user, year: int, code: str) -> Project:
    """The project if the user may see it and it can have targets (in the budget or in the pool); a
    cancelled project has none (404)."""
    project = visible_project(user=user, year=year, code=code)
    if project.status == Project.Status.CANCELLED:
        raise Http404(_("A cancelled project has no targets."))
    return project


def _versions(project: Project) -> list[TargetDeclaration]:
    """Every version, newest first, with its quota standard (one query)."""
    return list(project.target_declarations.select_related("quota_standard").order_by("-version"))


def _shown(request: HttpRequest, versions: list[TargetDeclaration]):
    """(the version shown, the current one): ``?version=N`` or else the version under way, else the one
    in force."""
    current = next((v for v in versions if v.state != State.APPROVED), None) or next(
        (v for v in versions if v.in_force), None
    )
    asked = request.GET.get("version")
    if asked is None:
        return current, current
    shown = next((v for v in versions if str(v.version) == asked), None)
    if shown is None:
        raise Http404(_("No such version."))
    return shown, current


def targets(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The declaration shown with its checks, versions and timeline; the project's unit edits a version
    that is a draft or returned, starts the first version or a revision, and copies the template."""
    project = declarable_project(user=request.user, year=year, code=code)
    role = role_on(scope_of(request.user), project.department_id, project.unit_id)
    versions = _versions(project)
    shown, current = _shown(request, versions)
    latest = shown is current and "version" not in request.GET
    editable = role == Role.UNIT and latest and shown is not None and shown.state in EDITABLE
    if request.method == "POST":
        if role != Role.UNIT:
            messages.error(request, _("Only the project's unit changes its targets."))
            return redirect(request.path)
        response = _unit_post(request, project, current)
        if response is not None:
            return response
    in_force = next((v for v in versions if v.in_force), None)
    # A revision is shown with what it changes from the version in force.
    base = (
        in_force if shown is not None and in_force is not None and shown.version > in_force.version else None
    )
    indicators, base_rows = compare.rows_of(user=request.user, shown=shown, base=base) if shown else ([], [])
    comparison = compare.compare(indicators, base_rows, base) if base is not None else None
    template = list(services.template_of(project)) if shown or role == Role.UNIT else []
    form = rows = None
    if editable:
        posted = request.POST if request.method == "POST" else None
        form = DeclarationForm(
            posted,
            standards=quota_standards().filter(fiscal_year_id=project.fiscal_year_id),
            initial={
                "goal": shown.goal,
                "quota_standard": shown.quota_standard_id,
                "quantity": _plain(shown.quantity),
                "explanation": shown.explanation,
            },
        )
        rows = RowFormSet(posted, prefix="row", initial=[_initial(row) for row in indicators])
        if posted is not None:
            if form.is_valid() & rows.is_valid():
                return _save(request, shown, form, rows)
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
            focus_first_error(form, rows)
    found = services.checks_for(shown, indicators=indicators, template=template) if shown else None
    steps = timeline(shown) if shown else []
    actions = actions_for(request.user, shown) if shown is not None and latest else []
    return render(
        request,
        "projects/targets.html",
        {
            "project": project,
            "year": year,
            "versions": versions,
            "shown": shown,
            "current": current,
            "latest": latest,
            "in_force": in_force,
            "own_unit": role == Role.UNIT,
            "may_start": role == Role.UNIT and (current is None or current.state == State.APPROVED),
            "editable": editable,
            "form": form,
            "rows": rows,
            "indicators": indicators,
            "comparison": comparison,
            "goal_changed": base is not None and base.goal.strip() != shown.goal.strip(),
            "nothing_changed": comparison is not None
            and not comparison.dropped
            and len(comparison.unchanged) == len(indicators)
            and base.goal.strip() == shown.goal.strip()
            and (base.quota_standard_id, base.quantity) == (shown.quota_standard_id, shown.quantity),
            "lines": [
                (
                    row,
                    comparison.changes.get(position) if comparison else None,
                    comparison is not None and position not in comparison.unchanged,
                )
                for position, row in enumerate(indicators, start=1)
            ],
            "template_size": len(template),
            "checks": found,
            "error_lines": _lines(found.errors) if found else set(),
            "warning_lines": {line for finding in found.warnings for line in finding.lines}
            if found
            else set(),
            "weight_total": sum((row.weight for row in indicators), Decimal(0)),
            "timeline": steps,
            "last_reason": _why_returned(shown, steps),
            "actions": actions,
            "needs_reason": any(rule.needs_reason for rule in actions),
            "transition_url": reverse("projects:targets_transition", args=[year, code]),
        },
    )


def _lines(findings) -> set[int]:
    """The rows to highlight: those a finding is about (the weights' total is about all of them, and
    is shown at the total instead)."""
    return {line for finding in findings if finding.code != "weights" for line in finding.lines}


def _initial(row) -> dict:
    return {
        "level1": row.level1,
        "level2": row.level2,
        "name": row.name,
        "direction": row.direction,
        "target_value": _plain(row.target_value),
        "measure_unit": row.measure_unit,
        "weight": _plain(row.weight),
        "from_template": row.from_template,
    }


def _plain(value: Decimal | None) -> str | None:
    """A figure as a clerk types it: 1000, not 1000.0000."""
    return None if value is None else f"{value.normalize():f}"


def _unit_post(request: HttpRequest, project: Project, current) -> HttpResponse | None:
    """The unit's buttons other than saving: declare (or revise), copy the template. None: go on to
    save the form."""
    do = request.POST.get("do", "")
    if do == DECLARE:
        started = services.start(project, user=request.user)
        if started.version > 1:
            messages.success(
                request,
                _(
                    "Revision v%(version)s started from the targets in force; they stay in force until it "
                    "is approved."
                )
                % {"version": started.version},
            )
        else:
            messages.success(
                request,
                _("Targets started: fill in the goal and the indicators, or start from the template."),
            )
        return redirect(request.path)
    if current is None or current.state not in EDITABLE:
        messages.error(
            request, _("These targets are under review or approved; they can no longer be changed.")
        )
        return redirect(request.path)
    if do == TEMPLATE:
        try:
            copied = services.copy_template(current)
        except services.DeclarationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _(
                    "%(count)s indicators copied from the department's template: adjust the targets and "
                    "weights, then save."
                )
                % {"count": copied},
            )
        return redirect(request.path)
    return None


def _save(request: HttpRequest, declaration, form: DeclarationForm, rows) -> HttpResponse:
    """Save what the unit typed; with "save and submit", then submit it (the submission's checks run on
    what was just saved). Every outcome is a message on the page."""
    data = form.cleaned_data
    try:
        services.save(
            declaration,
            goal=data["goal"],
            quota_standard=data["quota_standard"],
            quantity=data["quantity"],
            explanation=data["explanation"],
            entries=rows.entries(),
        )
    except services.DeclarationRefused as refused:
        messages.error(request, refused.message)
        return redirect(request.path)
    if request.POST.get("then") == "submit":
        try:
            transition(declaration, user=request.user, action="submit")
        except TransitionRefused as refused:
            messages.error(request, _("Saved, not submitted: %(why)s") % {"why": refused.message})
        else:
            messages.success(request, _("Saved and submitted to your department."))
        return redirect(request.path)
    messages.success(request, _("Saved. The checks above are worked out from what you saved."))
    return redirect(request.path)


def _why_returned(record, steps):
    """The step that returned the version, while it is returned: its reason heads the page."""
    if record is None or record.state != State.RETURNED:
        return None
    return next((step for step in reversed(steps) if step.to_state == State.RETURNED), None)


@require_POST
def targets_transition(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """SPEC §12.1 transitions of the current version (under way, else in force): submit, forward,
    approve, return, reopen."""
    project = declarable_project(user=request.user, year=year, code=code)
    record = services.under_way(project) or services.in_force(project)
    back_to = reverse("projects:targets", args=[year, code])
    if record is None:
        if request.POST.get("from_page"):
            messages.error(request, _("Declare the targets before submitting them."))
            return redirect(back_to)
        return HttpResponse(
            _("This project's targets have not been declared."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return take_transition(request, record, back_to=back_to)
