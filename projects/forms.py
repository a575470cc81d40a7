"""The form a unit fills to propose a project for next year's budget (the project pool, SPEC §12.4), and
the officers' forms of the standards library (SPEC §13)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.models import FIGURE_DIGITS, Department, FiscalYear, FunctionClass, FundSource
from projects.models import Category, IndicatorTemplate, QuotaStandard

#: The most a request can be: what the budget column holds (16 digits, 2 of them after the point).
MONEY_DIGITS = 16
GOAL_LENGTH = 2000


class AmountField(forms.DecimalField):
    """An amount in 元 written in ASCII digits: Python's ``Decimal`` also reads full-width and other
    digits ("１２"), which no spreadsheet or bank statement the bureau compares with would."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ProposalForm(forms.Form):
    """Name, function class, fund source, category, requested amount (元) and the overall goal."""

    name = forms.CharField(label=_("Project name"), max_length=200)
    function_class = forms.ModelChoiceField(
        label=_("Function class"), queryset=FunctionClass.objects.order_by("code")
    )
    fund_source = forms.ModelChoiceField(label=_("Fund source"), queryset=FundSource.objects.order_by("code"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    requested_amount = AmountField(label=_("Requested amount (yuan)"), min_value=Decimal("0.01"))
    goal = forms.CharField(
        label=_("Overall performance goal"),
        max_length=GOAL_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the project a name."))
        return name


class FigureField(AmountField):
    """A target value or weight in ASCII digits, with the model's digits."""


class IndicatorTemplateForm(forms.ModelForm):
    """An indicator template; the database's constraints (one indicator of a name per department,
    category and levels; a weight from 0 to 90) come back as messages on the form."""

    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.order_by("code"))
    target_value = FigureField(
        label=_("Target value"), max_digits=FIGURE_DIGITS, decimal_places=4, required=False
    )
    weight = FigureField(
        label=_("Weight (points)"), max_digits=6, decimal_places=2, min_value=0, max_value=90
    )

    class Meta:
        model = IndicatorTemplate
        fields = [
            "department",
            "category",
            "level1",
            "level2",
            "name",
            "direction",
            "target_value",
            "measure_unit",
            "weight",
        ]


class QuotaStandardForm(forms.ModelForm):
    """A quota standard of a year: name, unit of measure and amount in 元 (one name per year)."""

    fiscal_year = forms.ModelChoiceField(label=_("Year"), queryset=FiscalYear.objects.order_by("-year"))
    amount = AmountField(label=_("Amount (yuan)"), min_value=Decimal("0"))

    class Meta:
        model = QuotaStandard
        fields = ["fiscal_year", "name", "measure_unit", "amount"]
