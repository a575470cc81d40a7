"""The whole dashboard in one workbook (SPEC §15): a sheet for each table of the overview, the
leaderboard, warnings (double deviations first, when the run has a monitoring round), evaluations,
adjustments, direct funds and rectification items, each headed by the year, the as-of
date and when the figures were computed, scoped to the user as the pages are (each sheet is the page's
own table over the page's own selector)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from finance.exporting import AMOUNT_FORMAT, PERCENT_FORMAT, add_sheet, saved
from finance.formatting import TEN_THOUSAND
from finance.roles import is_department_head, is_officer
from finance.tables import export_formats
from performance import selectors
from performance.selectors import rectification as rectification_selectors
from performance.tables import (
    AdjustmentTable,
    DirectFundTable,
    DoubleDeviationTable,
    EvaluationTable,
    LeaderboardTable,
    RectificationTable,
    WarningDepartmentTable,
    WarningTable,
)
from performance.views.common import page_state

CENT = Decimal("0.01")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    title: str
    head: list[str]
    rows: object
    formats: list[str | None]


def _table_sheet(title: str, table) -> Sheet:
    rows = table.as_values()
    head = next(rows)
    return Sheet(title=title, head=head, rows=rows, formats=export_formats(table))


def _wan(amount) -> Decimal | None:
    return None if amount is None else (Decimal(amount) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def overview_sheet(*, run, user) -> Sheet:
    """The overview's headline figures, one a row, each in the column of its kind (an amount in 万元,
    a ratio or a count), so that every column has one number format."""
    district = selectors.district_snapshot(run=run, user=user)
    figures = selectors.run_figures(run=run, user=user)
    rows: list[list] = []

    def amount(label, value):
        rows.append([label, _wan(value), None, None])

    def ratio(label, value):
        rows.append([label, None, value, None])

    def count(label, value):
        rows.append([label, None, None, value])

    if district is not None:
        amount(_("Budget"), district.budget)
        amount(_("Spent"), district.spent)
        ratio(_("Spending progress"), district.spending_progress)
        ratio(_("Time progress"), district.time_progress)
        count(_("Projects under warning"), district.warned_projects)
    if figures is not None:
        amount(_("Livelihood spending"), figures.livelihood_spent)
        ratio(_("Livelihood share"), figures.livelihood_share)
        if figures.livelihood_growth is not None:
            ratio(_("Livelihood spending growth"), figures.livelihood_growth)
        amount(_("Direct funds received"), figures.direct_funds_received)
        amount(_("Direct funds allocated"), figures.direct_funds_allocated)
        amount(_("Direct funds spent"), figures.direct_funds_spent)
        ratio(_("Direct funds allocation progress"), figures.direct_funds_allocation_progress)
        ratio(_("Direct funds spending progress"), figures.direct_funds_spending_progress)
        count(_("Budget review opinions"), figures.review_count)
        amount(_("Submitted for review"), figures.review_submitted)
        amount(_("Cut in review"), figures.review_cut)
        ratio(_("Overall cut rate"), figures.review_cut_rate)
    return Sheet(
        title=_("Overview"),
        head=[_("Figure"), _("Amount (10k yuan)"), _("Ratio"), _("Count")],
        rows=rows,
        formats=[None, AMOUNT_FORMAT, PERCENT_FORMAT, "#,##0"],
    )


def function_class_sheet(*, run, user) -> Sheet:
    rows = [
        [row.code, row.name, _wan(row.budget), _wan(row.spent), row.spending_progress, row.is_livelihood]
        for row in selectors.function_class_spending(run=run, user=user)
    ]
    return Sheet(
        title=_("Function classes"),
        head=[
            _("Function class code"),
            _("Function class"),
            _("Budget (10k yuan)"),
            _("Spent (10k yuan)"),
            _("Spending progress"),
            _("Livelihood"),
        ],
        rows=[[*row[:5], _("yes") if row[5] else _("no")] for row in rows],
        formats=[None, None, AMOUNT_FORMAT, AMOUNT_FORMAT, PERCENT_FORMAT, None],
    )


def key_summary_sheet(*, year: int, user) -> Sheet:
    rows = [
        [row.label, row.count, _wan(row.funds)]
        for row in selectors.key_evaluation_summary(user=user, year=year)
    ]
    return Sheet(
        title=_("Key evaluations"),
        head=[_("Key category"), _("Evaluations"), _("Funds involved (10k yuan)")],
        rows=rows,
        formats=[None, "#,##0", AMOUNT_FORMAT],
    )


def dashboard_sheets(*, run, user) -> list[Sheet]:
    """Every sheet the user may have, in the order of the app's menu."""
    year = run.fiscal_year_id
    sheets = [
        overview_sheet(run=run, user=user),
        function_class_sheet(run=run, user=user),
        _table_sheet(_("Leaderboard"), LeaderboardTable(selectors.leaderboard_rows(run=run, user=user))),
    ]
    if run.monitoring_round_id is not None:
        # First among the warnings, as on the warnings page (SPEC §14.1).
        double = DoubleDeviationTable(
            selectors.double_deviation_rows(run=run, user=user),
            year=year,
            monitoring_round=run.monitoring_round_id,
            exclude=("rectify",),
        )
        sheets.append(_table_sheet(_("Double deviations"), double))
    sheets += [
        _table_sheet(_("Warnings"), WarningTable(selectors.warning_rows(run=run, user=user), year=year)),
        _table_sheet(
            _("Warnings by department"),
            WarningDepartmentTable(selectors.warning_counts_by_department(run=run, user=user), year=year),
        ),
        _table_sheet(_("Evaluations"), EvaluationTable(selectors.evaluation_list(user=user, year=year))),
        key_summary_sheet(year=year, user=user),
        _table_sheet(
            _("Budget adjustments"),
            AdjustmentTable(
                selectors.budget_adjustments(user=user, target_year=year + 1), exclude=("select", "actions")
            ),
        ),
    ]
    if is_officer(user):
        grants, totals = selectors.direct_fund_progress(run=run, user=user)
        sheets.append(_table_sheet(_("Direct funds"), DirectFundTable(grants, totals=totals)))
    # SPEC §14.2 the year's items, as the rectification page lists them (a head's are all of one
    # department, so without that column).
    items = rectification_selectors.items(user=user).filter(fiscal_year_id=year)
    exclude = () if is_officer(user) else ("department",)
    sheets.append(_table_sheet(_("Rectification items"), RectificationTable(items, exclude=exclude)))
    return sheets


def dashboard_workbook(request: HttpRequest) -> FileResponse:
    """``/export/dashboard.xlsx?year=``: officers and department heads (404 for anyone else)."""
    user = request.user
    if not (is_officer(user) or is_department_head(user)):
        raise Http404
    state = page_state(request)
    run = state.run
    if run is None:
        raise Http404
    computed_at = timezone.localtime(run.finished_at).replace(tzinfo=None) if run.finished_at else None
    preamble = [
        [_("Fiscal year"), run.fiscal_year_id],
        [_("As of"), run.as_of],
        [_("Computed at"), computed_at],
    ]
    workbook = Workbook(write_only=True)
    for sheet in dashboard_sheets(run=run, user=user):
        add_sheet(
            workbook, sheet.head, sheet.rows, title=sheet.title, formats=sheet.formats, preamble=preamble
        )
    stamp = run.as_of.isoformat()
    return FileResponse(
        saved(workbook), as_attachment=True, filename=f"dashboard-{stamp}.xlsx", content_type=XLSX
    )
