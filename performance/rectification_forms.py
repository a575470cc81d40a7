"""The forms of rectification items (SPEC §14.2): what an item is opened from (its reference, read from
the link the officer followed), the new item's form, and the head's answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.formatting import percent, wan_yuan
from finance.models import Department
from finance.parameters import whole_number, year_of
from performance.models import (
    Evaluation,
    InflatedSelfScore,
    ItemSource,
    ProgressSnapshot,
    RectificationItem,
    ScopeKind,
    WeakProject,
)
from performance.selectors.runs import latest_run
from performance.services.evidence import ACCEPT
from performance.services.rectification import MAX_TEXT, default_deadline
from projects.models import Project
from workflow.models import Round

#: The parameters of a "new item" link, carried by the form as hidden fields.
REFERENCE_FIELDS = ("source", "project", "evaluation", "round", "department", "year")
#: The latest deadline a new item may have (a typo like 2205 would never be overdue).
MAX_DEADLINE_YEARS = 5


@dataclass
class Reference:
    """What a new item follows: its source, department, year, and the project, evaluation or monitoring
    round it links back to, with the problem text the form proposes."""

    source: str
    department: Department
    fiscal_year_id: int
    project: Project | None = None
    evaluation: Evaluation | None = None
    monitoring_round: Round | None = None
    problem: str = ""

    def hidden(self) -> dict[str, str]:
        """The link's parameters, to carry through the form."""
        return {
            "source": self.source,
            "project": str(self.project.pk) if self.project else "",
            "evaluation": str(self.evaluation.pk) if self.evaluation else "",
            "round": str(self.monitoring_round.pk) if self.monitoring_round else "",
            "department": self.department.code,
            "year": str(self.fiscal_year_id),
        }

    def item(self) -> RectificationItem:
        return RectificationItem(
            source=self.source,
            department=self.department,
            fiscal_year_id=self.fiscal_year_id,
            project=self.project,
            evaluation=self.evaluation,
            monitoring_round=self.monitoring_round,
        )


def reference_from(params, *, user) -> tuple[Reference | None, str]:
    """The reference named by ``params`` (a link's query or the form's hidden fields) among what
    ``user`` may see, or None with the reason it cannot be used."""
    source = params.get("source", "")
    if source not in ItemSource.values:
        return None, _(
            "Open an item from what it follows: a weak spot, a warning, a self-evaluation check, "
            "an evaluation's findings or a double deviation."
        )
    project = _one(
        Project.objects.visible_to(user).select_related("department", "unit"), params.get("project")
    )
    if source == ItemSource.EVALUATION_FINDING:
        evaluation = _one(
            Evaluation.objects.visible_to(user).select_related("project__department", "department"),
            params.get("evaluation"),
        )
        if evaluation is None:
            return None, _("The evaluation this item follows was not found.")
        project = evaluation.project
        department = evaluation.department or project.department
        problem = evaluation.findings.strip()
        return Reference(
            source, department, evaluation.fiscal_year_id, project, evaluation, problem=problem
        ), ""
    if source == ItemSource.WEAK_SPOT and project is None:
        department = (
            Department.objects.visible_to(user).filter(code=(params.get("department") or "")[:20]).first()
        )
        if department is None:
            return None, _("The department this item is for was not found.")
        year = _year(params.get("year"))
        if year is None:
            return None, _("There is no such fiscal year.")
        return Reference(source, department, year, problem=_weak_department_text(department, year)), ""
    if project is None:
        return None, _("The project this item follows was not found.")
    reference = Reference(source, project.department, project.fiscal_year_id, project)
    if source == ItemSource.DOUBLE_DEVIATION:
        reference.monitoring_round = _one(
            Round.objects.filter(kind=Round.Kind.MONITORING, fiscal_year_id=project.fiscal_year_id),
            params.get("round"),
        )
        if reference.monitoring_round is None:
            return None, _("The monitoring round of this double deviation was not found.")
    reference.problem = _problem_text(reference)
    return reference, ""


def _one(queryset, raw):
    pk = whole_number(raw or "", max_digits=18)
    return queryset.filter(pk=pk).first() if pk else None


def _year(raw) -> int | None:
    """The fiscal year asked for, else the current one (else the latest), if the app holds it."""
    from finance.selectors import fiscal_years

    held = fiscal_years()
    asked = year_of(raw)
    for fiscal_year in held:
        if fiscal_year.year == asked:
            return asked
    current = [fiscal_year.year for fiscal_year in held if fiscal_year.is_current]
    return current[0] if current else (held[0].year if held else None)


def _weak_department_text(department: Department, year: int) -> str:
    run = latest_run(year=year)
    entry = run.leaderboard_entries.filter(department=department).first() if run is not None else None
    if entry is not None and entry.weakest_dimension:
        names = {
            "decision": _("Decision"),
            "process": _("Process"),
            "output": _("Output"),
            "benefit": _("Benefit"),
        }
        return _("%(name)s: the weakest dimension of its performance score is %(dimension)s.") % {
            "name": department.name,
            "dimension": names.get(entry.weakest_dimension, entry.weakest_dimension),
        }
    return _("%(name)s: weak spot of its performance score.") % {"name": department.name}


def _problem_text(reference: Reference) -> str:
    """The problem as the run found it, for the officer to adjust."""
    project = reference.project
    named = f"{project.code} {project.name}（{project.unit.name}）"
    run = latest_run(year=project.fiscal_year_id)
    if reference.source == ItemSource.WARNING and run is not None:
        row = ProgressSnapshot.objects.filter(
            run=run, scope_kind=ScopeKind.PROJECT, scope_id=project.pk
        ).first()
        if row is not None:
            return _(
                "%(project)s: spending progress %(spending)s against time progress %(time)s as of %(date)s "
                "(spent %(spent)s of %(budget)s, 10k yuan)."
            ) % {
                "project": named,
                "spending": percent(row.spending_progress),
                "time": percent(row.time_progress),
                "date": run.as_of.isoformat() if run.as_of else "",
                "spent": wan_yuan(row.spent),
                "budget": wan_yuan(row.budget),
            }
    if reference.source == ItemSource.INFLATED_SELF_EVALUATION and run is not None:
        row = InflatedSelfScore.objects.filter(run=run, project=project).first()
        if row is not None:
            return _(
                "%(project)s: self-evaluation total %(self)s, key evaluation %(key)s, "
                "budget execution %(rate)s."
            ) % {
                "project": named,
                "self": row.self_total,
                "key": row.key_total if row.key_total is not None else "—",
                "rate": percent(row.execution_rate),
            }
    if reference.source == ItemSource.WEAK_SPOT and run is not None:
        row = WeakProject.objects.filter(run=run, project=project).first()
        if row is not None:
            return _(
                "%(project)s pulls the department's score down: project score %(score)s, "
                "budget %(budget)s (10k yuan)."
            ) % {
                "project": named,
                "score": row.project_score,
                "budget": wan_yuan(row.budget),
            }
    if reference.source == ItemSource.DOUBLE_DEVIATION:
        return _(
            "%(project)s: double deviation in the monitoring round as of %(date)s: the targets are expected "
            "to fall short and spending lags the time."
        ) % {"project": named, "date": reference.monitoring_round.as_of.isoformat()}
    return f"{named}: {ItemSource(reference.source).label}"


class NewItemForm(forms.Form):
    """The problem, what is required and the deadline of a new item; the reference rides along hidden."""

    problem = forms.CharField(
        label=gettext_lazy("Problem"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    requirement = forms.CharField(
        label=gettext_lazy("What is required"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the department must do, and what evidence it must give."),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, reference: Reference | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if reference is not None and not self.is_bound:
            self.initial.setdefault("problem", reference.problem)
            self.initial.setdefault("deadline", default_deadline())

    def clean_deadline(self) -> datetime.date:
        deadline = self.cleaned_data["deadline"]
        today = timezone.localdate()
        if deadline < today:
            raise forms.ValidationError(_("The deadline has passed already: choose today or a later day."))
        if deadline > today.replace(year=today.year + MAX_DEADLINE_YEARS):
            raise forms.ValidationError(
                _("The deadline is more than %(n)s years away.") % {"n": MAX_DEADLINE_YEARS}
            )
        return deadline


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AnswerForm(forms.Form):
    """The head's answer: measures taken, the evidence as text, files to add and files to remove."""

    measures = forms.CharField(
        label=gettext_lazy("Measures taken"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What shows the problem is fixed: documents, figures, dates."),
    )

    def __init__(self, *args, files_kept: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_kept = files_kept or []
        if self.files_kept:
            self.fields["remove"] = forms.TypedMultipleChoiceField(
                label=gettext_lazy("Remove files"),
                required=False,
                coerce=int,
                choices=[(file.pk, file.name) for file in self.files_kept],
                widget=forms.CheckboxSelectMultiple,
            )

    @staticmethod
    def files_help() -> str:
        return _(
            "At most %(n)s files in all, each at most %(mb)s MB: PDF, PNG or JPEG images, Word, Excel or "
            "PowerPoint documents (checked by their content)."
        ) % {
            "n": settings.RECTIFICATION_MAX_FILES,
            "mb": settings.RECTIFICATION_MAX_FILE_BYTES // (1024 * 1024),
        }

    accept = ACCEPT
