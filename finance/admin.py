"""Django admin for the organisation, and the auth User with its department or unit link (SPEC §1, §6)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from finance.formatting import wan_yuan
from finance.models import (
    BudgetUnit,
    Department,
    DepartmentMembership,
    DirectFundGrant,
    FiscalYear,
    FunctionClass,
    FundSource,
    ImportBatch,
    ImportedRow,
    ImportJob,
    UnitMembership,
)

User = get_user_model()


def money_column(field_name: str, description: str, *, sortable: bool = True) -> Callable:
    """A list_display method showing a 元 amount (field or property) in 万元, sortable by the field."""

    @admin.display(description=description, ordering=field_name if sortable else None)
    def column(model_admin: admin.ModelAdmin, obj) -> str:
        return wan_yuan(getattr(obj, field_name))

    column.__name__ = f"{field_name}_wan_yuan"
    return column


@admin.display(description=_("department"), ordering="project__department__name")
def project_department(model_admin: admin.ModelAdmin, obj) -> str:
    """A list_display method naming the department of the row's project (select project__department)."""
    return str(obj.project.department)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["year"]
    list_per_page = 50


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only: a batch is the audit record that traces figures to their file; undo it by rollback."""

    list_display = [
        "imported_at",
        "kind",
        "file_name",
        "imported_by",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rolled_back_at",
    ]
    list_select_related = ["imported_by"]
    list_filter = ["kind", "imported_at", ("rolled_back_at", admin.EmptyFieldListFilter)]
    search_fields = ["file_name", "checksum", "imported_by__username"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportedRow)
class ImportedRowAdmin(admin.ModelAdmin):
    """Read-only: which batch and file line wrote a row, and what it replaced (written by the importer)."""

    list_display = ["batch", "line", "action", "model_label", "object_id"]
    list_select_related = ["batch"]
    list_filter = ["action"]
    search_fields = ["batch__file_name", "model_label"]
    # Millions of rows at scale: no second COUNT(*) for "n total".
    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: uploads on their way from preview to an applied batch (the import page drives them)."""

    list_display = [
        "created_at",
        "kind",
        "file_name",
        "status",
        "uploaded_by",
        "rows_total",
        "problem_count",
        "batch",
    ]
    list_select_related = ["uploaded_by", "batch"]
    list_filter = ["kind", "status"]
    search_fields = ["file_name", "checksum"]
    exclude = ["problems"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "problems")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class HasHeadFilter(admin.SimpleListFilter):
    title = _("department head")
    parameter_name = "has_head"

    def lookups(self, request, model_admin):
        return [("yes", _("has a head")), ("no", _("has no head"))]

    def queryset(self, request, queryset):
        heads = DepartmentMembership.objects.filter(department=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(heads))
        if self.value() == "no":
            return queryset.filter(~Exists(heads))
        return queryset


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "heads"]
    list_filter = [HasHeadFilter]
    search_fields = ["code", "name"]
    readonly_fields = ["import_batch"]
    list_per_page = 100

    def get_queryset(self, request):
        memberships = DepartmentMembership.objects.select_related("user").order_by("user__username")
        return super().get_queryset(request).prefetch_related(Prefetch("memberships", queryset=memberships))

    @admin.display(description=_("department heads"))
    def heads(self, obj: Department) -> str:
        return ", ".join(m.user.get_username() for m in obj.memberships.all()) or "—"


@admin.register(BudgetUnit)
class BudgetUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department"]
    list_select_related = ["department"]
    list_filter = ["department"]
    search_fields = ["code", "name", "department__code", "department__name"]
    autocomplete_fields = ["department"]
    readonly_fields = ["import_batch"]
    list_per_page = 100


@admin.register(FunctionClass)
class FunctionClassAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_livelihood"]
    # The bureau sets the livelihood flag class by class (SPEC §2); tick it straight in the list.
    list_editable = ["is_livelihood"]
    list_filter = ["is_livelihood"]
    search_fields = ["code", "name"]
    list_per_page = 100


@admin.register(FundSource)
class FundSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    list_per_page = 50


@admin.register(DirectFundGrant)
class DirectFundGrantAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "fiscal_year", "source_level", "amount_wan_yuan", "received_on"]
    list_select_related = ["fiscal_year"]
    list_filter = ["fiscal_year", "source_level", "received_on"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["fiscal_year"]
    list_per_page = 100

    amount_wan_yuan = money_column("amount", _("Amount (10k yuan)"))


@admin.register(DepartmentMembership)
class DepartmentMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]
    list_select_related = ["user", "department"]
    list_filter = ["department"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "department__code",
        "department__name",
    ]
    autocomplete_fields = ["user", "department"]
    list_per_page = 100


class DepartmentMembershipInline(admin.StackedInline):
    """Links a department head to the one department they see (SPEC §1)."""

    model = DepartmentMembership
    autocomplete_fields = ["department"]
    max_num = 1
    extra = 1


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_select_related = ["user", "unit"]
    list_filter = ["unit__department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__code", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_per_page = 100


class UnitMembershipInline(admin.StackedInline):
    """Links a unit filler to the one budget unit whose records they fill (SPEC §1)."""

    model = UnitMembership
    autocomplete_fields = ["unit"]
    max_num = 1
    extra = 1


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [DepartmentMembershipInline, UnitMembershipInline]
    list_display = [*DjangoUserAdmin.list_display, "headed_department"]
    list_select_related = ["department_membership__department"]

    @admin.display(description=_("department"), ordering="department_membership__department__name")
    def headed_department(self, obj) -> str:
        try:
            return str(obj.department_membership.department)
        except DepartmentMembership.DoesNotExist:
            return "—"
