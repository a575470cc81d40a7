"""Django admin for projects, their targets and indicators, and the standards library (SPEC §6)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from finance.admin import money_column, project_department
from projects.models import (
    DeclaredIndicator,
    Indicator,
    IndicatorTemplate,
    Payment,
    PerformanceTarget,
    Project,
    QuotaStandard,
    TargetDeclaration,
)

INDICATOR_FIELDS = [
    "level1",
    "level2",
    "name",
    "direction",
    "target_value",
    "measure_unit",
    "weight",
    "actual_value",
    "judgement",
]


class PerformanceTargetInline(admin.StackedInline):
    model = PerformanceTarget
    max_num = 1
    extra = 1


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = INDICATOR_FIELDS
    extra = 0

    class Media:
        # Narrower boxes for the nine columns, so the project's change form fits a laptop's screen
        # (with the admin's default boxes it was 2,434 px wide). A style sheet, not style
        # attributes: the Content-Security-Policy refuses inline styles.
        css = {"all": ["css/admin_indicators.css"]}


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "fiscal_year",
        "unit",
        "department",
        "function_class",
        "fund_source",
        "category",
        "budget_wan_yuan",
        "status",
    ]
    list_select_related = ["fiscal_year", "unit", "department", "function_class", "fund_source"]
    list_filter = ["fiscal_year", "status", "category", "fund_source", "function_class", "department"]
    search_fields = ["code", "name", "unit__code", "unit__name"]
    autocomplete_fields = ["fiscal_year", "unit", "function_class", "fund_source", "grant"]
    # The department is copied from the unit on save.
    readonly_fields = ["department", "import_batch"]
    fields = [
        "fiscal_year",
        "code",
        "name",
        "unit",
        "department",
        "function_class",
        "fund_source",
        "category",
        "budget",
        "grant",
        "status",
        "import_batch",
    ]
    inlines = [PerformanceTargetInline, IndicatorInline]
    list_per_page = 100

    budget_wan_yuan = money_column("budget", _("Budget (10k yuan)"))


@admin.register(PerformanceTarget)
class PerformanceTargetAdmin(admin.ModelAdmin):
    list_display = ["project", "project_department", "goal_excerpt"]
    list_select_related = ["project", "project__department"]
    list_filter = ["project__fiscal_year"]
    search_fields = ["project__code", "project__name", "goal"]
    autocomplete_fields = ["project"]
    list_per_page = 100

    project_department = project_department

    @admin.display(description=_("overall goal"))
    def goal_excerpt(self, obj: PerformanceTarget) -> str:
        return Truncator(obj.goal).chars(80)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "level1",
        "level2",
        "name",
        "direction",
        "target_value",
        "measure_unit",
        "weight",
        "actual_value",
    ]
    list_select_related = ["project"]
    list_filter = ["project__fiscal_year", "direction", "level1"]
    search_fields = ["name", "level1", "level2", "project__code", "project__name"]
    autocomplete_fields = ["project"]
    fields = ["project", *INDICATOR_FIELDS, "import_batch"]
    readonly_fields = ["import_batch"]
    list_per_page = 100


@admin.register(QuotaStandard)
class QuotaStandardAdmin(SimpleHistoryAdmin):
    # Quotas are small per-head sums (870 元 per pupil): shown in 元, not 万元.
    list_display = ["name", "fiscal_year", "amount", "measure_unit"]
    list_select_related = ["fiscal_year"]
    list_filter = ["fiscal_year"]
    search_fields = ["name", "measure_unit"]
    autocomplete_fields = ["fiscal_year"]
    list_per_page = 100


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(SimpleHistoryAdmin):
    list_display = [
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
    list_select_related = ["department"]
    list_filter = ["category", "direction", "department"]
    search_fields = ["name", "level1", "level2", "department__code", "department__name"]
    autocomplete_fields = ["department"]
    list_per_page = 100


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["voucher_no", "project", "project_department", "paid_on", "amount_wan_yuan"]
    list_select_related = ["project", "project__department"]
    list_filter = ["project__fiscal_year", "paid_on"]
    search_fields = ["voucher_no", "project__code", "project__name"]
    autocomplete_fields = ["project"]
    readonly_fields = ["import_batch"]
    list_per_page = 100
    # Millions of rows at scale: skip the second COUNT(*) behind "n total" on a filtered list.
    show_full_result_count = False

    amount_wan_yuan = money_column("amount", _("Amount (10k yuan)"))
    project_department = project_department


class ReadOnlyAdmin(admin.ModelAdmin):
    """Target declarations move only through the workflow (their page and its timeline): read only here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeclaredIndicatorInline(admin.TabularInline):
    model = DeclaredIndicator
    fields = ["position", "level1", "level2", "name", "direction", "target_value", "measure_unit", "weight"]
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TargetDeclaration)
class TargetDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["project", "version", "project_department", "state", "round", "superseded_at"]
    list_select_related = ["project", "project__department", "round"]
    list_filter = ["state", "round"]
    search_fields = ["project__code", "project__name"]
    inlines = [DeclaredIndicatorInline]
    list_per_page = 100
    project_department = project_department


@admin.register(DeclaredIndicator)
class DeclaredIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "level1", "level2", "name", "direction", "target_value", "weight"]
    list_select_related = ["declaration__project"]
    search_fields = ["declaration__project__code", "name"]
    list_per_page = 100
