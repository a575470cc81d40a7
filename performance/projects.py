"""What performance adds to the project pages of ``projects`` (``projects.extensions``), registered by
``PerformanceConfig.ready``: the run the pages show and its freshness, each project's snapshot figures
and grades in the list (columns, warning and grade filters), and on a project's page its figures, its
payments chart, its evaluations, their change history and their import lineage."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Aggregate, CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from finance.scoping import scope_of
from performance import charts, selectors
from performance.models import Evaluation, Grade, ProgressSnapshot, ScopeKind, WarningLevel
from performance.selectors.pool import pool_state
from performance.selectors.projects import (
    computed_self_evaluation,
    project_evaluations,
    project_snapshot,
    with_grades,
    with_snapshots,
)
from performance.tables.pool import ex_ante_assessment_url
from performance.tables.projects import PROJECT_COLUMNS
from performance.views.common import figure, month_time_progress
from projects import extensions
from projects.selectors import project_cumulative_payments


def run_state(*, user, fiscal_year) -> dict:
    """The year's newest finished run and its freshness (two queries), as every page shows them."""
    if fiscal_year is None:
        return {"status": None, "run": None}
    status = selectors.snapshot_status(year=fiscal_year.year, fiscal_year=fiscal_year)
    return {"status": status, "run": status.run}


class WarningLevelFilter(django_filters.ChoiceFilter):
    """Projects whose snapshot in the page's run has the warning level: a semi-join on the run's
    project snapshots, not a filter on the per-row annotation."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        run = self.parent.state.get("run")
        if run is None:
            return qs.none()
        snapshots = ProgressSnapshot.objects.filter(
            run_id=run.pk, scope_kind=ScopeKind.PROJECT, warning_level=value
        )
        request = self.parent.request
        if request is not None and not scope_of(request.user).everything:
            # A head's filter reads their department's snapshots only (the department index of the
            # run's partition on PostgreSQL; the (run, department) index on SQLite).
            snapshots = snapshots.visible_to(request.user)
        return qs.filter(pk__in=snapshots.values("scope_id"))


class GradeFilter(django_filters.ChoiceFilter):
    """Projects with a finalised evaluation of the grade (any kind)."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(
            pk__in=Evaluation.objects.finalised()
            .filter(grade=value, project__isnull=False)
            .values("project_id")
        )


def cycle_state(project, *, user, state: dict) -> dict:
    """Where the project's self-evaluation stands (SPEC §12.3), for the link on its page."""
    from workflow.models import State

    record = getattr(project, "self_evaluation", None)  # read with the project (``detail_related``)
    if record is None:
        return {"self_evaluation_state": "", "self_evaluation_label": _("not started")}
    return {"self_evaluation_state": record.state, "self_evaluation_label": State(record.state).label}


class _Joined(Aggregate):
    """The values of a group joined with ";" (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ';')"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


def monitoring_reports_joined():
    """The project's monitoring reports as one text, read with the project on its page (the page's
    query budget has no room for a query of their own): "round id|as of|deadline|state" per report."""
    from performance.models import MonitoringReport

    each = Concat(
        Cast("round_id", CharField()),
        Value("|"),
        Cast("round__as_of", CharField()),
        Value("|"),
        Cast("round__deadline", CharField()),
        Value("|"),
        "state",
        output_field=CharField(),
    )
    reports = (
        MonitoringReport.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(joined=_Joined(each))
        .values("joined")
    )
    return Subquery(reports, output_field=CharField())


def monitoring_reports(project, *, user, state: dict) -> dict:
    """The project's monitoring reports (SPEC §14.1), the newest round first, from the text read with
    the project (``monitoring_reports_joined``): no query."""
    from workflow.models import State

    reports = []
    today = timezone.localdate()
    for part in filter(None, (getattr(project, "monitoring_reports_joined", None) or "").split(";")):
        round_id, as_of, deadline, report_state = part.split("|")
        deadline = datetime.date.fromisoformat(deadline)
        reports.append(
            {
                "round_id": int(round_id),
                "as_of": datetime.date.fromisoformat(as_of),
                "state": report_state,
                "state_label": State(report_state).label,
                "overdue": report_state != State.APPROVED and deadline < today,
            }
        )
    return {"monitoring_reports": sorted(reports, key=lambda report: report["as_of"], reverse=True)}


def project_figures(project, *, user, state: dict) -> dict:
    """A project's page: its snapshot in the run, its payments chart and its evaluations."""
    run = state.get("run")
    snapshot = None
    self_score = None
    charts_ = []
    # A pool proposal is not in the budget: it has no spending, progress or computed score to show.
    if run is not None and project.status == project.Status.APPROVED:
        snapshot = project_snapshot(user=user, run=run, project_id=project.pk)
        self_score = computed_self_evaluation(run=run, project=project)
        series = project_cumulative_payments(user=user, project_id=project.pk, as_of=run.as_of)
        if series:
            months = [month for month, _paid in series]
            charts_.append(
                figure(
                    charts.project_payments(
                        series=series,
                        budget=project.budget,
                        year=project.fiscal_year_id,
                        time_progress_by_month=month_time_progress(run.as_of, months),
                    )
                )
            )
    return {
        "snapshot": snapshot,
        "self_score": self_score,
        "charts": charts_,
        "evaluations": project_evaluations(user=user, project_id=project.pk),
    }


def pool_section(project, *, user, state: dict) -> dict:
    """A pool project's page: its pool state and timeline (SPEC §12.4); nothing for other projects."""
    pool = pool_state(project, user=user)
    if pool is None:
        return {"pool": None}
    return {"pool": pool, "pool_assess_url": ex_ante_assessment_url(project.pk)}


def register() -> None:
    extensions.page_state(run_state)
    extensions.list_annotation(with_grades)
    extensions.list_annotation(with_snapshots)
    for name, factory in PROJECT_COLUMNS:
        extensions.table_column(name, factory)
    extensions.list_filter("warning_level", _warning_level_filter)
    extensions.list_filter("grade", _grade_filter)
    extensions.detail_section("header", "performance/_status.html")
    extensions.detail_related("self_evaluation")
    extensions.detail_section("header", "performance/_project_cycle.html", cycle_state)
    extensions.detail_annotation("monitoring_reports_joined", monitoring_reports_joined)
    extensions.detail_section("header", "performance/_project_monitoring.html", monitoring_reports)
    # A unit filler's project list offers their unit's self-evaluations as one workbook (SPEC §12.3).
    extensions.detail_section("header", "performance/_self_evaluation_workbook_link.html")
    extensions.detail_section("cards", "performance/_project_cards.html", project_figures)
    extensions.detail_section("charts", "performance/_project_charts.html")
    extensions.detail_section("sections", "performance/_project_evaluations.html")
    extensions.detail_section("sections", "performance/_pool_project.html", pool_section)
    extensions.history_source(_("Evaluation"), _evaluation_history, _evaluation_kind)
    extensions.lineage_source(_evaluations_of)


def _warning_level_filter() -> WarningLevelFilter:
    return WarningLevelFilter(label=_("Warning level"), choices=WarningLevel.choices)


def _grade_filter() -> GradeFilter:
    return GradeFilter(label=_("Grade"), choices=Grade.choices)


def _evaluation_history(project) -> QuerySet:
    return Evaluation.history.filter(project_id=project.pk)


def _evaluation_kind(record) -> str:
    return dict(Evaluation.Kind.choices).get(record.kind, record.kind)


def _evaluations_of(project) -> QuerySet:
    return Evaluation.objects.filter(project_id=project.pk)
