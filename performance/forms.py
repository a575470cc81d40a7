"""Forms of the performance pages: an officer's decision on a budget adjustment (SPEC §4.7)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

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
        if (
            cleaned.get("decision") == BudgetAdjustment.Decision.CHANGED
            and cleaned.get("final_budget_wan") is None
        ):
            raise forms.ValidationError(_("Give the changed budget in 10k yuan."))
        return cleaned
