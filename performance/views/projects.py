"""The project list and a project's page (SPEC §6)."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    CharField,
    DecimalField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance.importing.lineage import lineage_of_rows
from finance.roles import is_officer
from performance import charts, selectors
from performance.filters import ProjectFilter
from performance.models import Evaluation, ProgressSnapshot, RecomputeRun, ScopeKind
from performance.tables import (
    ProjectTable,
)
from performance.views.common import (
    ExportableTableMixin,
    PagedTableMixin,
    YearPageMixin,
    figure,
    month_time_progress,
)
from projects.models import Indicator, Payment, Project


def projects_with_snapshots(*, user, run: RecomputeRun | None, year: int | None = None) -> QuerySet[Project]:
    """Visible projects of the run's year, each annotated with its snapshot in the run."""
    year = run.fiscal_year_id if run is not None else year
    snapshots = ProgressSnapshot.objects.filter(
        run=run, scope_kind=ScopeKind.PROJECT, scope_id=OuterRef("pk")
    ).order_by()
    projects = with_grades(
        Project.objects.visible_to(user).filter(fiscal_year_id=year).select_related("department", "unit")
    )
    if run is None:
        # No run yet: the projects are listed all the same, without computed figures.
        return projects.annotate(
            snapshot_spent=Value(None, output_field=DecimalField()),
            snapshot_spending_progress=Value(None, output_field=DecimalField()),
            snapshot_gap_pp=Value(None, output_field=DecimalField()),
            snapshot_warning_level=Value(None, output_field=CharField()),
            snapshot_overspent=Value(False, output_field=BooleanField()),
        ).order_by("code")
    return projects.annotate(
        snapshot_spent=Subquery(snapshots.values("spent")[:1]),
        snapshot_spending_progress=Subquery(snapshots.values("spending_progress")[:1]),
        snapshot_gap_pp=Subquery(snapshots.values("gap_pp")[:1]),
        snapshot_warning_level=Subquery(snapshots.values("warning_level")[:1]),
        # So that an overspent project (its spending ahead of time: "normal") is not shown as normal.
        snapshot_overspent=Subquery(snapshots.values("overspent")[:1]),
    ).order_by("code")


def with_grades(projects: QuerySet[Project]) -> QuerySet[Project]:
    """Each project with the grades of its finalised key, self- and ex-ante evaluations (one of each
    kind a year at most) and ``counted_grade``, the one its score counts (SPEC §4.4: key, else self)."""

    def grade_of(kind: str) -> Subquery:
        evaluations = Evaluation.objects.finalised().filter(project=OuterRef("pk"), kind=kind).order_by()
        return Subquery(evaluations.values("grade")[:1])

    return projects.annotate(
        key_grade=grade_of(Evaluation.Kind.KEY),
        self_grade=grade_of(Evaluation.Kind.SELF),
        ex_ante_grade=grade_of(Evaluation.Kind.EX_ANTE),
    ).annotate(counted_grade=Coalesce("key_grade", "self_grade"))


class ProjectListView(YearPageMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView):
    """SPEC §6 projects: the filterable list of the chosen year's visible projects."""

    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "performance/projects.html"
    export_name = "projects"

    def get_queryset(self):
        return projects_with_snapshots(user=self.request.user, run=self.state.run, year=self.state.year)

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.run_id = self.state.run.pk if self.state.run else None
        return filterset


def project_detail(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """SPEC §6 project: budget, cumulative payments against time progress, indicators target vs
    actual, evaluations, where its figures came from and (officers) its change history."""
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "unit", "department", "function_class", "fund_source", "grant", "fiscal_year", "import_batch"
        ),
        fiscal_year_id=year,
        code=code,
    )
    status = selectors.snapshot_status(year=year, fiscal_year=project.fiscal_year)
    run = status.run
    snapshot = None
    charts_ = []
    if run is not None:
        snapshot = ProgressSnapshot.objects.filter(
            run=run, scope_kind=ScopeKind.PROJECT, scope_id=project.pk
        ).first()
        series = selectors.project_cumulative_payments(
            user=request.user, project_id=project.pk, as_of=run.as_of
        )
        if series:
            months = [month for month, _paid in series]
            charts_.append(
                figure(
                    charts.project_payments(
                        series=series,
                        budget=project.budget,
                        year=year,
                        time_progress_by_month=month_time_progress(run.as_of, months),
                    )
                )
            )
    indicators = list(Indicator.objects.filter(project=project).order_by("level1", "level2", "pk"))
    evaluations = list(
        Evaluation.objects.visible_to(request.user)
        .filter(project=project)
        .order_by("kind", "-evaluated_on", "pk")
    )
    context = {
        "project": project,
        "year": year,
        "status": status,
        "run": run,
        "snapshot": snapshot,
        "charts": charts_,
        "indicators": indicators,
        "evaluations": evaluations,
        "lineage": lineage_of_rows(
            [
                Project.objects.filter(pk=project.pk),
                Payment.objects.filter(project_id=project.pk),
                Indicator.objects.filter(project_id=project.pk),
                Evaluation.objects.filter(project_id=project.pk),
            ],
            limit=LINEAGE_SHOWN,
        ),
    }
    if is_officer(request.user):
        context["history"] = _change_history(project)
    return render(request, "performance/project.html", context)


#: Entries of the project page's "where the figures came from": one per import batch and kind of row.
LINEAGE_SHOWN = 10


#: Entries of the project page's change history (project, its payments, its evaluations).
HISTORY_SHOWN = 30


def _change_history(project: Project) -> list[dict]:
    """Who changed what and when (old → new), newest first, from django-simple-history: the
    project's own records, its payments' and its evaluations' — three queries for the records and
    their users, the diffs worked out from consecutive records of the same row."""
    sources = (
        (
            _("Project"),
            project.history.select_related("history_user").order_by("id", "history_date", "history_id"),
        ),
        (
            _("Payment"),
            Payment.history.filter(project_id=project.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
        ),
        (
            _("Evaluation"),
            Evaluation.history.filter(project_id=project.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id"),
        ),
    )
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    entries = []
    for label, records in sources:
        previous = None
        for record in records:
            changes = []
            if previous is not None and previous.id == record.id and record.history_type == "~":
                delta = record.diff_against(previous)
                changes = [
                    {"field": _field_label(record, change.field), "old": change.old, "new": change.new}
                    for change in delta.changes
                ]
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user.username if record.history_user else _("import or system"),
                    "what": label,
                    "object": _history_object_label(record),
                    "kind": kinds.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
            previous = record
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:HISTORY_SHOWN]


def _field_label(record, field: str) -> str:
    try:
        return str(record.instance_type._meta.get_field(field).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the record was written
        return field


def _history_object_label(record) -> str:
    for attribute in ("voucher_no", "code"):
        value = getattr(record, attribute, None)
        if value:
            return str(value)
    if hasattr(record, "kind"):
        return dict(Evaluation.Kind.choices).get(record.kind, record.kind)
    return str(record.id)
