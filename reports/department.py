"""A department's brief (SPEC §15): its score, increment and rank with the reasons, weak spots,
warnings and the proposals for next year, each a section builder of its own (``SECTIONS``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finance.formatting import percent as table_percent
from finance.formatting import signed, wan_yuan
from finance.models import Department
from performance import selectors
from performance.models import RecomputeRun
from performance.selectors import rectification
from performance.views.common import PageState, page_state, visible_department
from reports import numbers as n
from reports import selectors as report_selectors
from reports.briefs import Brief, Section, Table, write
from reports.monitoring import department_monitoring, department_rectification
from reports.sentences import adjustment_sentences, spaced

#: A brief's tables list at most this many projects (the most behind, the largest cuts), so that it
#: stays a few pages at any size; its sentences count them all.
TABLE_ROWS = 30


@dataclass(frozen=True)
class DepartmentChoice:
    department: Department
    state: PageState

    @property
    def run(self) -> RecomputeRun | None:
        return self.state.run


def department_choice(request: HttpRequest, code: str) -> DepartmentChoice:
    """The department if the user may see it (404 otherwise, as its page) and the chosen year's run."""
    department = visible_department(request, code)
    return DepartmentChoice(department=department, state=page_state(request))


class DepartmentData:
    """What the department's sections read, each loaded once on first use."""

    def __init__(self, *, department: Department, run: RecomputeRun, user):
        self.department, self.run, self.user = department, run, user
        self.year = run.fiscal_year_id
        self.as_of = run.as_of

    @cached_property
    def entry(self):
        return selectors.department_entry(run=self.run, user=self.user, department_id=self.department.pk)

    @cached_property
    def profile(self):
        return selectors.district_dimension_profile(run=self.run, user=self.user)

    @cached_property
    def weak(self):
        if self.entry is None:
            return None
        return selectors.weak_spots(
            run=self.run, user=self.user, department_id=self.department.pk, entry=self.entry
        )

    @cached_property
    def snapshot(self):
        return report_selectors.department_snapshot(
            run=self.run, user=self.user, department_id=self.department.pk
        )

    @cached_property
    def warned(self):
        return list(
            report_selectors.department_warnings(
                run=self.run, user=self.user, department_id=self.department.pk
            )[:TABLE_ROWS]
        )

    @cached_property
    def adjustments(self):
        return report_selectors.adjustment_summary(
            user=self.user, target_year=self.year + 1, department_id=self.department.pk
        )

    @cached_property
    def double_deviations(self):
        rows = selectors.double_deviation_rows(run=self.run, user=self.user)
        return list(rows.filter(department_id=self.department.pk)[:TABLE_ROWS])

    @cached_property
    def rectification(self):
        """Its items, read only when its snapshot counts some open (or it has no snapshot)."""
        if self.snapshot is not None and not self.snapshot.open_items:
            return None
        return rectification.department_items(user=self.user, department_id=self.department.pk)

    @cached_property
    def proposals(self):
        return list(
            selectors.budget_adjustments(user=self.user, target_year=self.year + 1)
            .filter(project__department_id=self.department.pk)
            .annotate(change=F("proposed_budget") - F("current_budget"))
            .order_by("change", "project__code")[:TABLE_ROWS]
        )


def score(data: DepartmentData) -> Section | None:
    """得分: score, grade, increment and ranks, and how the score is made up (§4.4, §4.5)."""
    entry = data.entry
    if entry is None or entry.score is None:
        return None
    values = {
        "year": data.year,
        "score": n.points(entry.score),
        "grade": entry.get_grade_display(),
        "absolute": entry.absolute_rank,
        "scored": entry.scored_count,
    }
    if entry.increment is not None and entry.increment_rank is not None:
        text = _(
            "In %(year)s the department scored %(score)s points (grade %(grade)s), %(change)s; it ranks "
            "%(rank)s of %(ranked)s by change and %(absolute)s of %(scored)s by score."
        ) % (
            values
            | {
                "change": n.change_in_points(entry.increment),
                "rank": entry.increment_rank,
                "ranked": entry.ranked_count,
            }
        )
    else:
        text = (
            _(
                "In %(year)s the department scored %(score)s points (grade %(grade)s) and ranks %(absolute)s "
                "of %(scored)s by score; with no score for last year it is not yet ranked by change."
            )
            % values
        )
    sentences = [text]
    if entry.department_wide_score is not None and entry.project_part is not None:
        sentences.append(
            _(
                "The score weighs the budget-weighted mean of its evaluated projects (%(project)s points) "
                "at %(project_weight)s and its department-wide evaluation (%(department)s points) at "
                "%(department_weight)s."
            )
            % {
                "project": n.points(entry.project_part),
                "department": n.points(entry.department_wide_score),
                "project_weight": n.percent(settings.SCORE_PROJECT_WEIGHT),
                "department_weight": n.percent(settings.SCORE_DEPARTMENT_WEIGHT),
            }
        )
    elif entry.project_part is not None:
        sentences.append(
            _(
                "With no finalised department-wide evaluation, the score is the budget-weighted mean of "
                "its evaluated projects (%(project)s points)."
            )
            % {"project": n.points(entry.project_part)}
        )
    sentences.append(
        _("%(evaluated)s of its %(projects)s projects are evaluated, covering %(coverage)s of its budget.")
        % {
            "evaluated": n.count(entry.evaluated_projects),
            "projects": n.count(entry.project_count),
            "coverage": n.percent(entry.coverage),
        }
    )
    if entry.low_coverage:
        sentences.append(
            _("That is below %(threshold)s, so the score is marked as of low coverage.")
            % {"threshold": n.percent(settings.LOW_COVERAGE_THRESHOLD)}
        )
    return Section("score", _("Score, change and rank"), [spaced(sentences)])


def dimension_name(key: str) -> str:
    return {
        "decision": _("Decision"),
        "process": _("Process"),
        "output": _("Output"),
        "benefit": _("Benefit"),
    }.get(key, key)


def weak_spots(data: DepartmentData) -> Section | None:
    """短板: the weakest level-1 dimension against the district, the projects pulling the score down."""
    weak = data.weak
    if weak is None or not weak.weakest_dimension:
        return None
    key = weak.weakest_dimension
    ratio = getattr(weak.entry, f"{key}_ratio")
    if ratio is None:
        return None
    average = data.profile.get(key)
    values = {"dimension": dimension_name(key), "ratio": n.percent(ratio)}
    if average is not None:
        sentences = [
            _(
                "Of the four level-1 dimensions, %(dimension)s scores lowest, at %(ratio)s of its maximum "
                "(district average %(average)s)."
            )
            % (values | {"average": n.percent(average)})
        ]
    else:
        sentences = [
            _("Of the four level-1 dimensions, %(dimension)s scores lowest, at %(ratio)s of its maximum.")
            % values
        ]
    if weak.projects:
        sentences.append(
            _("The projects that pull the score down most are %(projects)s.")
            % {
                "projects": n.listed(
                    [
                        _("%(project)s (%(score)s points)")
                        % {"project": row.project.name, "score": n.points(row.project_score)}
                        for row in weak.projects[:3]
                    ]
                )
            }
        )
    return Section("weak_spots", pgettext("brief heading", "Weak spots"), [spaced(sentences)])


def warnings(data: DepartmentData) -> Section | None:
    """预警: the department's progress against time and its projects under warning (§4.1)."""
    row = data.snapshot
    if row is None or not row.project_count:
        return None
    sentences = [
        _(
            "%(as_of)s, the department's spending stands at %(progress)s of its budget against a time "
            "progress of %(time)s, %(gap)s."
        )
        % {
            "as_of": n.as_of_phrase(data.as_of),
            "progress": n.percent(row.spending_progress),
            "time": n.percent(row.time_progress),
            "gap": n.gap_phrase(row.gap_pp),
        }
    ]
    if row.warned_projects:
        sentences.append(
            _(
                "Of its %(projects)s projects, %(serious)s are at the serious level, %(attention)s at the "
                "attention level, %(zero)s have had no payment since the first quarter and %(overspent)s "
                "have spent beyond their budget."
            )
            % {
                "projects": n.count(row.project_count),
                "serious": n.count(row.serious_projects),
                "attention": n.count(row.attention_projects),
                "zero": n.count(row.zero_spending_projects),
                "overspent": n.count(row.overspent_projects),
            }
        )
    else:
        sentences.append(_("None of its projects carries a warning."))
    tables = []
    if data.warned:
        title = _("Projects under warning")
        if row.warned_projects > len(data.warned):
            title = _("The %(shown)s projects most behind of %(count)s under warning") % {
                "shown": len(data.warned),
                "count": row.warned_projects,
            }
        tables.append(
            Table(
                title=title,
                head=[
                    _("Project code"),
                    _("Project"),
                    _("Unit"),
                    _("Budget (10k yuan)"),
                    _("Spending progress"),
                    _("Gap (pp)"),
                    _("Warning"),
                ],
                rows=[
                    [
                        project.project_code or "",
                        project.project_name or "",
                        project.unit_name or "",
                        wan_yuan(project.budget),
                        table_percent(project.spending_progress),
                        signed(project.gap_pp, 1),
                        _warning_label(project),
                    ]
                    for project in data.warned
                ],
                numeric=frozenset({3, 4, 5}),
            )
        )
    return Section("warnings", _("Spending progress warnings"), [spaced(sentences)], tables)


def _warning_label(row) -> str:
    labels = [str(row.get_warning_level_display())] if row.warning_level != "normal" else []
    if row.zero_spending:
        labels.append(_("zero spending"))
    if row.overspent:
        labels.append(_("overspent"))
    return n.listed(labels)


def proposals(data: DepartmentData) -> Section | None:
    """结果应用: the proposals for next year's budget from this year's results and their effect (§4.7)."""
    if data.adjustments is None:
        return None
    effect, actions = data.adjustments
    sentences = adjustment_sentences(year=data.year, effect=effect, actions=actions)
    title = _("Proposals for the %(year)s budget") % {"year": data.year + 1}
    if effect.proposals > len(data.proposals):
        title = _("The %(shown)s largest cuts of %(count)s proposals for the %(year)s budget") % {
            "shown": len(data.proposals),
            "count": effect.proposals,
            "year": data.year + 1,
        }
    table = Table(
        title=title,
        head=[
            _("Project"),
            _("Grade"),
            _("Proposal"),
            _("Current budget (10k yuan)"),
            _("Proposed budget (10k yuan)"),
            _("Outcome"),
        ],
        rows=[
            [
                row.project.name,
                row.get_grade_display(),
                row.get_proposed_action_display(),
                wan_yuan(row.current_budget),
                wan_yuan(row.proposed_budget),
                row.get_decision_display(),
            ]
            for row in data.proposals
        ],
        numeric=frozenset({3, 4}),
    )
    return Section("proposals", _("Proposals for next year"), [spaced(sentences)], [table])


#: The department brief's sections in the order it reads (SPEC §15); monitoring and rectification in
#: reports.monitoring.
SECTIONS = [score, weak_spots, warnings, department_monitoring, department_rectification, proposals]


def department_brief(*, department: Department, run: RecomputeRun, user) -> Brief:
    data = DepartmentData(department=department, run=run, user=user)
    return Brief(
        title=_("%(department)s: budget performance in %(year)s")
        % {"department": department.name, "year": data.year},
        issuer=_("District Finance Bureau"),
        as_of=run.as_of,
        computed_at=run.finished_at,
        sections=write(SECTIONS, data),
    )
