"""Forms of the performance pages: an officer's decision on a budget adjustment (SPEC §4.7)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.parameters import whole_number
from performance.models import BudgetAdjustment

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
                    max_digits=18,
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
