"""The target declaration form (SPEC §13): the goal, the quota standard and quantity, the explanation of
the warnings, and the indicator rows. A blank row is ignored; a row with some of its fields gets a message
on each field it still needs; bad numbers are field errors and nothing is saved."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finance.models import FIGURE_DIGITS
from projects.forms import FigureField
from projects.models import DeclaredIndicator, Direction, QuotaStandard
from projects.models.targets import LEVEL1_CHOICES
from projects.targets.services import Entry

#: Blank rows offered under the declared ones, and the most rows a declaration takes.
BLANK_ROWS = 3
MAX_ROWS = 60
TEXT_LENGTH = 5000
#: A row's fields the unit does not type.
OWN_FIELDS = ("from_template", "DELETE")


def _field_length(name: str) -> int:
    return DeclaredIndicator._meta.get_field(name).max_length


def _number_input(size: int) -> forms.TextInput:
    # Text with a decimal keypad: a number input would turn "1,5" or "abc" into an empty value silently.
    return forms.TextInput(attrs={"inputmode": "decimal", "size": size, "autocomplete": "off"})


class IndicatorRowForm(forms.Form):
    """One indicator row of the form; every field optional here, ``clean`` says what a started row
    still needs."""

    level1 = forms.ChoiceField(label=_("Level 1"), required=False)
    level2 = forms.CharField(label=_("Level 2"), required=False, max_length=_field_length("level2"))
    name = forms.CharField(label=_("Indicator"), required=False, max_length=_field_length("name"))
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=[("", "—"), *Direction.choices]
    )
    target_value = FigureField(
        label=_("Target value"),
        required=False,
        max_digits=FIGURE_DIGITS,
        decimal_places=4,
        widget=_number_input(8),
    )
    measure_unit = forms.CharField(
        label=_("Unit of measure"), required=False, max_length=_field_length("measure_unit")
    )
    weight = FigureField(
        label=_("Weight (points)"),
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(90),
        widget=_number_input(5),
    )
    from_template = forms.BooleanField(required=False, widget=forms.HiddenInput)

    #: What a started row must have; the checks then say what the declaration as a whole still needs.
    NEEDED = ("level1", "name", "direction", "weight")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *LEVEL1_CHOICES]
        current = (self.initial or {}).get("level1")
        if current and current not in dict(LEVEL1_CHOICES):
            # An imported level 1 written short ("产出") keeps its place in the national order.
            mapped = next((value for value, _label in LEVEL1_CHOICES if value[:2] == current[:2]), None)
            if mapped:
                self.initial["level1"] = mapped
            else:
                choices.append((current, current))
        self.fields["level1"].choices = choices
        for name in ("level2", "name", "measure_unit"):
            self.fields[name].widget.attrs.setdefault("maxlength", str(self.fields[name].max_length))
        self.fields["level2"].widget.attrs["size"] = 13
        self.fields["name"].widget.attrs["size"] = 22
        self.fields["measure_unit"].widget.attrs["size"] = 6

    def clean(self):
        cleaned = super().clean()
        for name in ("level2", "name", "measure_unit"):
            cleaned[name] = " ".join((cleaned.get(name) or "").split())
        typed = [
            name for name in self.fields if name not in OWN_FIELDS and self.data.get(self.add_prefix(name))
        ]
        cleaned["blank"] = not typed and not self.errors
        if typed:
            for name in self.NEEDED:
                if name not in self.errors and cleaned.get(name) in (None, ""):
                    self.add_error(name, _("Needed: this row has other fields filled in."))
        return cleaned

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            level1=data["level1"],
            level2=data["level2"],
            name=data["name"],
            direction=data["direction"],
            target_value=data["target_value"],
            measure_unit=data["measure_unit"],
            weight=data["weight"],
            from_template=bool(data.get("from_template")),
        )


class BaseRowFormSet(forms.BaseFormSet):
    def entries(self) -> list[Entry]:
        """The rows to save, in their order: neither removed nor blank."""
        return [
            form.entry()
            for form in self.forms
            if not self._should_delete_form(form) and not form.cleaned_data.get("blank", True)
        ]


RowFormSet = forms.formset_factory(
    IndicatorRowForm,
    formset=BaseRowFormSet,
    extra=BLANK_ROWS,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


class DeclarationForm(forms.Form):
    """The goal, the quota check's standard (of the project's year) and quantity, and the explanation."""

    goal = forms.CharField(
        label=_("Overall goal for the year (年度总体目标)"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    quota_standard = forms.ModelChoiceField(
        label=_("Quota standard"),
        required=False,
        queryset=QuotaStandard.objects.none(),
        empty_label=_("— none —"),
    )
    quantity = FigureField(
        label=_("Quantity"),
        required=False,
        max_digits=FIGURE_DIGITS,
        decimal_places=2,
        min_value=Decimal(0),
        widget=_number_input(10),
    )
    explanation = forms.CharField(
        label=_("Explanation of the warnings"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, standards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quota_standard"].queryset = standards
        for name in ("goal", "explanation"):
            self.fields[name].widget.attrs["maxlength"] = str(TEXT_LENGTH)

    def clean(self):
        cleaned = super().clean()
        standard, quantity = cleaned.get("quota_standard"), cleaned.get("quantity")
        if standard is not None and quantity is None and "quantity" not in self.errors:
            self.add_error(
                "quantity",
                _("Give the quantity the budget is for (in %(unit)s), or choose no quota standard.")
                % {"unit": standard.measure_unit},
            )
        if quantity is not None and standard is None and "quota_standard" not in self.errors:
            self.add_error("quota_standard", _("Choose the quota standard the quantity is counted in."))
        cleaned["goal"] = (cleaned.get("goal") or "").strip()
        cleaned["explanation"] = (cleaned.get("explanation") or "").strip()
        return cleaned


def focus_first_error(form: DeclarationForm, rows: RowFormSet) -> None:
    """Put the cursor in the first field in error, in the page's order."""
    candidates = [form[name] for name in ("goal", "quota_standard", "quantity")]
    for row in rows.forms:
        candidates.extend(row[name] for name in row.fields if name not in OWN_FIELDS)
    candidates.append(form["explanation"])
    for bound in candidates:
        if bound.errors:
            bound.field.widget.attrs["autofocus"] = True
            return
