from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.models import FiscalYear
from workflow.rounds import rounds_of_kind_known


class OpenRoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("Round"))
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    as_of = forms.DateField(
        label=_("As of (monitoring)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = rounds_of_kind_known()
        self.fields["year"].choices = [
            (year, year) for year in FiscalYear.objects.values_list("pk", flat=True)
        ]
