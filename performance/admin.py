"""Django admin for evaluations, reviews, adjustments and the recompute's snapshots (SPEC §4, §5, §6)."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import CharField, ForeignObjectRel, OuterRef, Subquery, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from finance.admin import money_column, project_department
from finance.formatting import percent
from finance.models import BudgetUnit, Department, FunctionClass, FundSource
from performance.models import (
    BudgetAdjustment,
    BudgetReview,
    Evaluation,
    InflatedSelfScore,
    LeaderboardEntry,
    MonitoringLine,
    MonitoringReport,
    MonthlySpending,
    ProgressSnapshot,
    RecomputeRun,
    RecomputeState,
    RectificationFile,
    RectificationItem,
    RunFigures,
    ScopeKind,
    SelfEvaluation,
    WeakProject,
)
from performance.services.partitions import drop_stale_partitions
from performance.services.recompute import delete_runs
from projects.models import Project


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = [
        "fiscal_year",
        "kind",
        "key_category",
        "project",
        "department",
        "total",
        "grade",
        "status",
        "evaluator",
        "evaluated_on",
    ]
    list_select_related = ["fiscal_year", "project", "department"]
    list_filter = ["fiscal_year", "kind", "key_category", "status", "grade"]
    search_fields = ["project__code", "project__name", "department__code", "department__name", "evaluator"]
    autocomplete_fields = ["fiscal_year", "project", "department"]
    # Total and grade are computed on save from the four dimension scores.
    readonly_fields = ["total", "grade", "import_batch"]
    fieldsets = [
        (None, {"fields": ["fiscal_year", "kind", "key_category", "project", "department"]}),
        (_("Scores"), {"fields": ["decision", "process", "output", "benefit", "total", "grade"]}),
        (
            _("Maxima"),
            {
                "fields": ["decision_max", "process_max", "output_max", "benefit_max"],
                "classes": ["collapse"],
            },
        ),
        (
            None,
            {
                "fields": [
                    "status",
                    "evaluator",
                    "evaluated_on",
                    "findings",
                    "recommendations",
                    "import_batch",
                ]
            },
        ),
    ]
    list_per_page = 100

    def get_queryset(self, request):
        # __str__ names the project or department and the autocomplete endpoint lists rows by it.
        # The changelist skips list_select_related once the queryset has a select_related of its own.
        return super().get_queryset(request).select_related(*self.list_select_related)


@admin.register(BudgetReview)
class BudgetReviewAdmin(admin.ModelAdmin):
    list_display = [
        "opinion_no",
        "project_name",
        "project",
        "reviewed_on",
        "submitted_wan_yuan",
        "approved_wan_yuan",
        "cut_wan_yuan",
    ]
    list_select_related = ["project"]
    list_filter = ["reviewed_on"]
    search_fields = ["opinion_no", "project_name", "project__code", "project__name"]
    autocomplete_fields = ["project"]
    list_per_page = 100

    submitted_wan_yuan = money_column("submitted_amount", _("Submitted (10k yuan)"))
    approved_wan_yuan = money_column("approved_amount", _("Approved (10k yuan)"))
    # ``cut`` is a property, not a column: nothing to sort by.
    cut_wan_yuan = money_column("cut", _("Cut (10k yuan)"), sortable=False)


class SnapshotAdmin(admin.ModelAdmin):
    """Rows the recompute writes: looked at, never added or edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RecomputeRun)
class RecomputeRunAdmin(SnapshotAdmin):
    list_display = [
        "started_at",
        "fiscal_year",
        "as_of",
        "status",
        "finished_at",
        "duration_ms",
        "snapshot_links",
    ]
    list_select_related = ["fiscal_year"]
    list_filter = ["fiscal_year", "status", "started_at"]
    search_fields = ["as_of", "status", "error"]
    list_per_page = 50

    @admin.display(description=_("snapshots"))
    def snapshot_links(self, obj: RecomputeRun) -> str:
        links = [
            (ProgressSnapshot, _("progress")),
            (MonthlySpending, _("monthly")),
            (LeaderboardEntry, _("leaderboard")),
        ]
        return format_html(
            " · ".join(['<a href="{}?run__id__exact={}">{}</a>'] * len(links)),
            *[
                part
                for model, label in links
                for part in (
                    reverse(f"admin:performance_{model._meta.model_name}_changelist"),
                    obj.pk,
                    label,
                )
            ],
        )

    # An old run may be deleted to save space; its snapshots go with it.
    def has_delete_permission(self, request, obj=None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Rows a run owns go with it, although their own admins refuse to delete them one by one.
        owned = {str(relation.related_model._meta.verbose_name) for relation in _relations_to_runs()}
        perms_needed = {name for name in perms_needed if str(name) not in owned}
        return deleted, model_count, perms_needed, protected

    @transaction.atomic
    def delete_model(self, request, obj: RecomputeRun) -> None:
        self._delete_runs([obj.pk])

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        self._delete_runs(list(queryset.values_list("pk", flat=True)))

    @staticmethod
    def _delete_runs(run_ids: list[int]) -> None:
        # As pruning deletes them: every row a run owns, and on PostgreSQL its snapshot partition,
        # dropped whole after the commit instead of emptied row by row first.
        delete_runs(run_ids)
        transaction.on_commit(drop_stale_partitions)


def _relations_to_runs() -> list[ForeignObjectRel]:
    """Every foreign key to RecomputeRun, seen from the run (hidden ``related_name="+"`` ones included)."""
    return [
        field
        for field in RecomputeRun._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel)
    ]


def _name_of(model, label_expression="name") -> Subquery:
    rows = model.objects.filter(pk=OuterRef("scope_id"))
    if not isinstance(label_expression, str):
        rows = rows.annotate(label=label_expression)
        label_expression = "label"
    return Subquery(rows.values(label_expression)[:1])


def scope_name() -> Case:
    """The name of a snapshot's scope, whichever table its scope_id points into."""
    return Case(
        When(
            scope_kind=ScopeKind.PROJECT,
            then=_name_of(Project, Concat("code", Value(" "), "name", output_field=CharField())),
        ),
        When(scope_kind=ScopeKind.UNIT, then=_name_of(BudgetUnit)),
        When(scope_kind=ScopeKind.DEPARTMENT, then=_name_of(Department)),
        When(
            scope_kind=ScopeKind.FUNCTION_CLASS,
            then=_name_of(FunctionClass, Concat("code", Value(" "), "name", output_field=CharField())),
        ),
        When(scope_kind=ScopeKind.FUND_SOURCE, then=_name_of(FundSource)),
        default=Value(""),
        output_field=CharField(),
    )


class ScopedSnapshotAdmin(SnapshotAdmin):
    """Shows each row's scope by name, looked up in the same query as the rows."""

    list_select_related = ["run"]
    list_filter = ["run__fiscal_year", "scope_kind"]
    search_fields = ["scope_id__exact"]
    list_per_page = 100
    # Hundreds of thousands of rows per run: skip the second COUNT(*) behind "n total" when filtered.
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(scope_name=scope_name())

    @admin.display(description=_("scope name"))
    def scope_label(self, obj) -> str:
        return obj.scope_name or "—"


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(ScopedSnapshotAdmin):
    list_display = [
        "run",
        "scope_kind",
        "scope_label",
        "department_name",
        "budget_wan_yuan",
        "spent_wan_yuan",
        "spending_progress_percent",
        "time_progress_percent",
        "gap_pp",
        "warning_level",
        "zero_spending",
        "overspent",
    ]
    list_filter = [
        "run__fiscal_year",
        "scope_kind",
        "warning_level",
        "zero_spending",
        "overspent",
    ]
    search_fields = ["scope_id__exact", "department_id__exact"]

    budget_wan_yuan = money_column("budget", _("Budget (10k yuan)"))
    spent_wan_yuan = money_column("spent", _("Spent (10k yuan)"))

    def get_queryset(self, request):
        department = Department.objects.filter(pk=OuterRef("department_id")).values("name")[:1]
        return super().get_queryset(request).annotate(department_name=Subquery(department))

    @admin.display(description=_("department"), ordering="department_name")
    def department_name(self, obj: ProgressSnapshot) -> str:
        return obj.department_name or "—"

    @admin.display(description=_("spending progress"), ordering="spending_progress")
    def spending_progress_percent(self, obj: ProgressSnapshot) -> str:
        return percent(obj.spending_progress)

    @admin.display(description=_("time progress"), ordering="time_progress")
    def time_progress_percent(self, obj: ProgressSnapshot) -> str:
        return percent(obj.time_progress)


@admin.register(MonthlySpending)
class MonthlySpendingAdmin(ScopedSnapshotAdmin):
    list_display = ["run", "scope_kind", "scope_label", "month", "cumulative_spent_wan_yuan"]
    list_filter = ["run__fiscal_year", "scope_kind", "month"]

    cumulative_spent_wan_yuan = money_column("cumulative_spent", _("Cumulative spent (10k yuan)"))


@admin.register(LeaderboardEntry)
class LeaderboardEntryAdmin(SnapshotAdmin):
    list_display = [
        "run",
        "department",
        "score",
        "previous_score",
        "increment",
        "increment_rank",
        "absolute_rank",
        "rank_change",
        "is_new",
        "coverage_percent",
        "low_coverage",
    ]
    list_select_related = ["run", "department"]
    list_filter = ["run__fiscal_year", "is_new", "low_coverage"]
    search_fields = ["department__code", "department__name"]
    list_per_page = 100

    @admin.display(description=_("coverage"), ordering="coverage")
    def coverage_percent(self, obj: LeaderboardEntry) -> str:
        return percent(obj.coverage)


@admin.register(BudgetAdjustment)
class BudgetAdjustmentAdmin(admin.ModelAdmin):
    list_display = [
        "project",
        "project_department",
        "target_year",
        "grade",
        "proposed_action",
        "current_budget_wan_yuan",
        "proposed_budget_wan_yuan",
        "decision",
        "final_budget_wan_yuan",
        "decided_by",
        "decided_at",
    ]
    list_select_related = ["project", "project__department", "decided_by"]
    list_filter = ["target_year", "decision", "grade", "proposed_action"]
    search_fields = ["project__code", "project__name", "note"]
    autocomplete_fields = ["evaluation", "project", "decided_by"]
    list_per_page = 100

    current_budget_wan_yuan = money_column("current_budget", _("Current budget (10k yuan)"))
    proposed_budget_wan_yuan = money_column("proposed_budget", _("Proposed budget (10k yuan)"))
    final_budget_wan_yuan = money_column("final_budget", _("Final budget (10k yuan)"))
    project_department = project_department


@admin.register(RunFigures)
class RunFiguresAdmin(SnapshotAdmin):
    list_display = [
        "run",
        "livelihood_share",
        "livelihood_growth",
        "direct_funds_spending_progress",
        "review_count",
    ]
    list_select_related = ["run"]
    list_filter = ["run__fiscal_year"]
    search_fields = ["run__id__exact"]


@admin.register(WeakProject)
class WeakProjectAdmin(SnapshotAdmin):
    list_display = ["run", "department_id", "position", "project", "project_score", "pull"]
    list_select_related = ["run", "project"]
    list_filter = ["run__fiscal_year"]
    search_fields = ["project__code", "project__name"]


@admin.register(InflatedSelfScore)
class InflatedSelfScoreAdmin(SnapshotAdmin):
    list_display = ["run", "project", "self_total", "key_total", "execution_rate", "exceeds_key"]
    list_select_related = ["run", "project"]
    list_filter = ["run__fiscal_year", "exceeds_key", "excellent_but_low_execution"]
    search_fields = ["project__code", "project__name"]


@admin.register(RecomputeState)
class RecomputeStateAdmin(SnapshotAdmin):
    list_display = ["year", "requested_generation", "computed_generation", "requested_at"]
    search_fields = ["year__exact"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(SnapshotAdmin):
    """Self-evaluations move only through the workflow (their page and its timeline): read only here."""

    list_display = ["project", "project_department", "state", "round", "state_changed_at"]
    list_select_related = ["project", "project__department", "round"]
    list_filter = ["state", "round"]
    search_fields = ["project__code", "project__name"]
    list_per_page = 100
    project_department = project_department


@admin.register(MonitoringReport)
class MonitoringReportAdmin(SnapshotAdmin):
    """Monitoring reports move only through the workflow (their page and its timeline): read only here."""

    list_display = ["project", "project_department", "round", "state", "state_changed_at"]
    list_select_related = ["project", "project__department", "round"]
    list_filter = ["state", "round"]
    search_fields = ["project__code", "project__name"]
    list_per_page = 100
    project_department = project_department


@admin.register(MonitoringLine)
class MonitoringLineAdmin(SnapshotAdmin):
    list_display = ["report", "name", "direction", "target_value", "expected_value", "cause"]
    list_select_related = ["report__project", "report__round"]
    search_fields = ["report__project__code", "name"]
    list_per_page = 100


@admin.register(RectificationItem)
class RectificationItemAdmin(SnapshotAdmin):
    """Rectification items move only through their pages and keep their timeline: read only here."""

    list_display = ["pk", "department", "project", "source", "state", "deadline", "opened_at", "closed_at"]
    list_select_related = ["department", "project"]
    list_filter = ["state", "source"]
    search_fields = ["problem", "department__code", "department__name", "project__code", "project__name"]
    list_per_page = 100


@admin.register(RectificationFile)
class RectificationFileAdmin(SnapshotAdmin):
    """Evidence files: named, sized and typed here; fetched only through their item's page."""

    list_display = ["name", "item", "content_type", "size", "uploaded_at"]
    list_select_related = ["item__department"]
    search_fields = ["name"]
    exclude = ["file"]
    list_per_page = 100
