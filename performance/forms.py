"""Forms of the performance pages: an officer's decision on a budget adjustment (SPEC §4.7), a unit's
self-evaluation (§12.3) and an evaluation scored in the app (§12.2)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from finance.models import FIGURE_DIGITS
from finance.parameters import whole_number
from performance.models import BudgetAdjustment, Cause, Evaluation
from performance.models.evaluations import DIMENSIONS

DECISIONS = [
    (value, label)
    for value, label in BudgetAdjustment.Decision.choices
    if value != BudgetAdjustment.Decision.PENDING
]


class AdjustmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Outcome"), choices=DECISIONS)
    final_budget_wan = forms.DecimalField(
        label=_("Changed budget (10k yuan)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        decision, amount = cleaned.get("decision"), cleaned.get("final_budget_wan")
        if decision == BudgetAdjustment.Decision.CHANGED and amount is None:
            raise forms.ValidationError(_("Give the changed budget in 10k yuan."))
        # A typed amount is never dropped without a word: only Change records one.
        if decision and decision != BudgetAdjustment.Decision.CHANGED and amount is not None:
            raise forms.ValidationError(
                _(
                    "You typed an amount but did not press Change: press Change to record it, or clear it "
                    "to accept the proposed budget or not adopt the proposal."
                )
            )
        # The service takes 元; the officer types 万元.
        cleaned["final_budget"] = amount * 10000 if amount is not None else None
        return cleaned


class BulkDecisionForm(forms.Form):
    """Many proposals decided at once with one reason (§4.7): the ticked rows or every pending row of
    the filter the page shows (``query``, the page's query string)."""

    SELECTED, FILTER = "selected", "filter"

    decision = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (BudgetAdjustment.Decision.ACCEPTED, _("Accept")),
            (BudgetAdjustment.Decision.REJECTED, _("Do not adopt")),
        ],
    )
    note = forms.CharField(label=_("Reason"), max_length=500)
    scope = forms.ChoiceField(choices=[(SELECTED, SELECTED), (FILTER, FILTER)])
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    query = forms.CharField(required=False, max_length=2000)
    expected = forms.IntegerField(required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole numbers: which of them the officer may decide is the view's question.
        self.fields["ids"].valid_value = lambda value: whole_number(str(value), max_digits=18) is not None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("ids"):
            raise forms.ValidationError(
                _("Tick the proposals to decide, or choose every pending one of the filter.")
            )
        return cleaned


class SelfEvaluationForm(forms.Form):
    """What a unit types in its self-evaluation (SPEC §12.3): what was achieved and, per indicator, the
    actual value (or, for a qualitative one, its 0–1 judgement) and the deviation reasons. No score is
    typed: every score is computed from these."""

    achieved = forms.CharField(
        label=_("What was achieved (实际完成情况)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, indicators=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            if indicator.direction == "qualitative":
                self.fields[f"judgement-{indicator.pk}"] = forms.DecimalField(
                    label=_("Judgement (0–1)"),
                    required=False,
                    min_value=Decimal("0"),
                    max_value=Decimal("1"),
                    max_digits=5,
                    decimal_places=4,
                    initial=indicator.judgement,
                )
            else:
                self.fields[f"actual-{indicator.pk}"] = forms.DecimalField(
                    label=_("Actual value"),
                    required=False,
                    max_digits=FIGURE_DIGITS,
                    decimal_places=4,
                    initial=indicator.actual_value,
                )
            self.fields[f"reason-{indicator.pk}"] = forms.CharField(
                label=_("Reasons for the deviation and corrective measures"),
                required=False,
                max_length=2000,
                initial=indicator.deviation_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def entries(self) -> list[tuple[int, Decimal | None, Decimal | None, str]]:
        """(indicator id, actual value, judgement, reason) of each indicator, from the cleaned data."""
        data = self.cleaned_data
        # An indicator whose fields were not posted at all keeps its values: only a cleared field clears.
        return [
            (
                indicator.pk,
                data.get(f"actual-{indicator.pk}"),
                data.get(f"judgement-{indicator.pk}"),
                (data.get(f"reason-{indicator.pk}") or "").strip(),
            )
            for indicator in self.indicators
            if f"reason-{indicator.pk}" in self.data
        ]


def points(value: Decimal) -> str:
    """A score's maximum as people write it: 20, 17.5."""
    return f"{value.normalize():f}"


#: The longest findings or recommendations text a form takes.
MAX_TEXT = 5000


class EvaluationScoresForm(forms.ModelForm):
    """The four dimension scores (each 0 to its maximum, any of them still blank in a draft), the
    evaluator, the date, the findings and the recommendations."""

    class Meta:
        model = Evaluation
        fields = [*DIMENSIONS, "evaluator", "evaluated_on", "findings", "recommendations"]
        widgets = {
            "evaluated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DIMENSIONS:
            maximum = getattr(self.instance, f"{name}_max")
            field = self.fields[name]
            field.widget.attrs.update({"min": "0", "max": str(maximum), "step": "0.01"})
            field.label = _("%(dimension)s (of %(maximum)s)") % {
                "dimension": capfirst(field.label),
                "maximum": points(maximum),
            }
        for name in ("findings", "recommendations"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_TEXT))
            self.fields[name].widget.attrs["maxlength"] = str(MAX_TEXT)

    def clean(self):
        cleaned = super().clean()
        for name in DIMENSIONS:
            score, maximum = cleaned.get(name), getattr(self.instance, f"{name}_max")
            if score is not None and not (0 <= score <= maximum):
                label = capfirst(Evaluation._meta.get_field(name).verbose_name)
                self.add_error(
                    name,
                    _("%(dimension)s must lie between 0 and %(maximum)s.")
                    % {"dimension": label, "maximum": points(maximum)},
                )
        return cleaned


#: The kinds an officer creates in the app; self-evaluations are filled by units in their own form.
CREATED_KINDS = [(value, label) for value, label in Evaluation.Kind.choices if value != Evaluation.Kind.SELF]


class NewEvaluationForm(EvaluationScoresForm):
    """A new key (with its sub-category), department-wide or ex-ante evaluation of a project or a
    department of the page's year; the projects and departments offered are those the user sees."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CREATED_KINDS)

    class Meta(EvaluationScoresForm.Meta):
        fields = [
            "fiscal_year",
            "kind",
            "key_category",
            "project",
            "department",
            *EvaluationScoresForm.Meta.fields,
        ]

    def __init__(self, *args, year: int, projects, departments, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's year, fixed: a disabled field still takes part in the unique checks.
        self.fields["fiscal_year"].disabled = True
        self.fields["fiscal_year"].initial = year
        self.fields["fiscal_year"].widget = forms.HiddenInput()
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda project: f"{project.code} {project.name}"
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda department: (
            f"{department.code} {department.name}"
        )
        self.fields["key_category"].help_text = _("Key evaluations only.")
        self.fields["department"].help_text = _(
            "For a department-wide evaluation, or a key evaluation of the whole department."
        )

    def clean(self):
        cleaned = super().clean()
        kind, category = cleaned.get("kind"), cleaned.get("key_category")
        if kind == Evaluation.Kind.KEY and not category and "key_category" not in self.errors:
            self.add_error("key_category", _("Choose the sub-category of the key evaluation."))
        if kind and kind != Evaluation.Kind.KEY and category:
            self.add_error("key_category", _("Only a key evaluation has a sub-category."))
        of_department = (
            kind == Evaluation.Kind.DEPARTMENT or category == Evaluation.KeyCategory.DEPARTMENT_WIDE
        )
        if kind and of_department:
            cleaned["project"] = None
            if cleaned.get("department") is None and "department" not in self.errors:
                self.add_error("department", _("Choose the department evaluated."))
        elif kind:
            cleaned["department"] = None
            if cleaned.get("project") is None and "project" not in self.errors:
                self.add_error("project", _("Choose the project evaluated."))
        return cleaned


def plain(value: Decimal | None) -> str | None:
    """A stored figure as the unit typed it: 1479.5, not 1479.5000; 100, not 1E+2."""
    return None if value is None else f"{value.normalize():f}"


#: The longest cause or corrective measure a monitoring line takes.
MAX_LINE_TEXT = 2000


class MonitoringReportForm(forms.Form):
    """What a unit types in a monitoring report (SPEC §14.1), per line: the value achieved to date and
    the value expected for the year (a qualitative indicator: the 0–1 judgement of the year's
    completion), and for a shortfall its cause, chosen and explained, and the corrective measure.
    Spending is not typed: it comes from payments."""

    def __init__(self, *args, lines=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            pk = line.pk
            if line.direction == "qualitative":
                self.fields[f"judgement-{pk}"] = forms.DecimalField(
                    label=_("Expected completion (0–1)"),
                    required=False,
                    min_value=Decimal("0"),
                    max_value=Decimal("1"),
                    max_digits=5,
                    decimal_places=4,
                    initial=plain(line.judgement),
                )
            else:
                for name, label, value in (
                    ("achieved", _("Achieved to date"), line.achieved_value),
                    ("expected", _("Expected for the year"), line.expected_value),
                ):
                    self.fields[f"{name}-{pk}"] = forms.DecimalField(
                        label=label,
                        required=False,
                        max_digits=FIGURE_DIGITS,
                        decimal_places=4,
                        initial=plain(value),
                    )
            self.fields[f"cause-{pk}"] = forms.ChoiceField(
                label=_("Cause"), required=False, choices=[("", "—"), *Cause.choices], initial=line.cause
            )
            for name, label, value in (
                ("cause_text", _("The cause, in words"), line.cause_text),
                ("measure", _("Corrective measure"), line.measure),
            ):
                self.fields[f"{name}-{pk}"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=MAX_LINE_TEXT,
                    initial=value,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def entries(self) -> dict[int, dict]:
        """line id → what was typed, from the cleaned data. A line whose fields were not posted at all
        keeps its values: only a cleared field clears."""
        data = self.cleaned_data
        return {
            line.pk: {
                "achieved_value": data.get(f"achieved-{line.pk}"),
                "expected_value": data.get(f"expected-{line.pk}"),
                "judgement": data.get(f"judgement-{line.pk}"),
                "cause": data.get(f"cause-{line.pk}") or "",
                "cause_text": (data.get(f"cause_text-{line.pk}") or "").strip(),
                "measure": (data.get(f"measure-{line.pk}") or "").strip(),
            }
            for line in self.lines
            if f"measure-{line.pk}" in self.data
        }

    def row_fields(self, line) -> dict:
        """The bound fields of one line, by name, for the table row."""
        names = ("judgement",) if line.direction == "qualitative" else ("achieved", "expected")
        return {name: self[f"{name}-{line.pk}"] for name in (*names, "cause", "cause_text", "measure")}


class MonitoringRoundForm(forms.Form):
    """An officer opens a monitoring round (SPEC §14.1): a year, the date it reports as of, a deadline."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    as_of = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, years=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in years]
