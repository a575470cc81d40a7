"""The bureau's brief (SPEC §15): each section of the performance-management summary written from one
recompute run, in the register of the reference report.

Every figure comes from the run's snapshots and the tables behind them; a section whose data is
missing is left out, never filled with zeros. Each section is a builder of its own, listed in
``SECTIONS`` in the order the brief reads.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finance.formatting import percent as table_percent
from performance import selectors
from performance.models import Evaluation, RecomputeRun
from performance.selectors import rectification
from reports import numbers as n
from reports import selectors as report_selectors
from reports.briefs import Brief, Section, Table, write
from reports.monitoring import bureau_monitoring, bureau_rectification
from reports.sentences import adjustment_sentences, leaderboard_row, spaced


class BureauData:
    """What the brief's sections read, each loaded once on first use (a constant number of queries)."""

    def __init__(self, *, run: RecomputeRun, user):
        self.run, self.user = run, user
        self.year = run.fiscal_year_id
        self.as_of = run.as_of

    @cached_property
    def figures(self):
        return selectors.run_figures(run=self.run, user=self.user)

    @cached_property
    def agriculture(self):
        return report_selectors.function_class_snapshot(
            run=self.run, user=self.user, code=report_selectors.AGRICULTURE_CLASS
        )

    @cached_property
    def key_summary(self):
        return selectors.key_evaluation_summary(user=self.user, year=self.year)

    @cached_property
    def leaderboard(self):
        return list(selectors.leaderboard_rows(run=self.run, user=self.user))

    @cached_property
    def district(self):
        return selectors.district_snapshot(run=self.run, user=self.user)

    @cached_property
    def warnings_by_department(self):
        return list(selectors.warning_counts_by_department(run=self.run, user=self.user))

    @cached_property
    def adjustments(self):
        return report_selectors.adjustment_summary(user=self.user, target_year=self.year + 1)

    @cached_property
    def rectification(self):
        return rectification.district_items(year=self.year)


def livelihood(data: BureauData) -> Section | None:
    """民生支出: the livelihood spending, its growth on the same period and its share (§4.2)."""
    figures = data.figures
    if figures is None or not figures.general_budget_spent:
        return None
    values = {
        "as_of": n.as_of_phrase(data.as_of),
        "amount": n.yi(figures.livelihood_spent),
        "share": n.percent(figures.livelihood_share),
    }
    growth = n.growth(figures.livelihood_growth)
    if growth:
        text = _(
            "%(as_of)s, livelihood spending across the district reached %(amount)s, %(growth)s, "
            "making up %(share)s of general public budget spending."
        ) % (values | {"growth": growth})
    else:
        text = (
            _(
                "%(as_of)s, livelihood spending across the district reached %(amount)s, "
                "making up %(share)s of general public budget spending."
            )
            % values
        )
    paragraphs = [text]
    previous = figures.previous_general_budget_spent
    general = {"amount": n.yi(figures.general_budget_spent)}
    if previous:
        general["growth"] = n.growth(figures.general_budget_spent / previous - 1)
        paragraphs.append(
            _("General public budget spending over the same period came to %(amount)s, %(growth)s.") % general
        )
    else:
        paragraphs.append(
            _("General public budget spending over the same period came to %(amount)s.") % general
        )
    return Section("livelihood", _("Livelihood spending"), [spaced(paragraphs)])


def direct_funds(data: BureauData) -> Section | None:
    """直达资金: received, spent, allocation and spending progress (§4.1)."""
    figures = data.figures
    if figures is None or not figures.direct_funds_received:
        return None
    text = _(
        "%(as_of)s, central and provincial direct funds passed down to the district total %(received)s, "
        "of which %(spent)s has been spent; allocation progress stands at %(allocation)s and spending "
        "progress at %(spending)s."
    ) % {
        "as_of": n.as_of_phrase(data.as_of),
        "received": n.yi(figures.direct_funds_received),
        "spent": n.yi(figures.direct_funds_spent),
        "allocation": n.percent(figures.direct_funds_allocation_progress),
        "spending": n.percent(figures.direct_funds_spending_progress),
    }
    return Section("direct_funds", _("Central direct funds"), [text])


def _key_part(category: str, count: int) -> str:
    category_ = Evaluation.KeyCategory
    values = {"n": n.count(count)}
    if category == category_.LIVELIHOOD:
        return ngettext("%(n)s livelihood project", "%(n)s livelihood projects", count) % values
    if category == category_.DEVELOPMENT_POLICY:
        return ngettext("%(n)s development policy", "%(n)s development policies", count) % values
    if category == category_.INVESTMENT_EX_ANTE:
        return (
            ngettext(
                "%(n)s ex-ante evaluation of a major government investment",
                "%(n)s ex-ante evaluations of major government investments",
                count,
            )
            % values
        )
    return (
        ngettext(
            "%(n)s department-wide evaluation of a supervising department",
            "%(n)s department-wide evaluations of supervising departments",
            count,
        )
        % values
    )


def key_evaluations(data: BureauData) -> Section | None:
    """财政重点绩效评价: how many, by sub-category, and the funds involved (§4.3)."""
    summary = data.key_summary
    if not summary:
        return None
    total = sum(row.count for row in summary)
    funds = sum((row.funds for row in summary), Decimal("0.00"))
    text = ngettext(
        "The bureau has carried out key performance evaluations of %(count)s item, "
        "comprising %(parts)s, involving funds of %(funds)s.",
        "The bureau has carried out key performance evaluations of %(count)s items, "
        "comprising %(parts)s, involving funds of %(funds)s.",
        total,
    ) % {
        "count": total,
        "parts": n.listed([_key_part(row.category, row.count) for row in summary]),
        "funds": n.yi(funds),
    }
    return Section("key_evaluations", _("Key performance evaluations"), [text])


def budget_reviews(data: BureauData) -> Section | None:
    """概预算审核: opinions, submitted, cut and the overall cut rate (§4.6)."""
    figures = data.figures
    if figures is None or not figures.review_count:
        return None
    text = ngettext(
        "%(as_of)s, the bureau has issued %(count)s review opinion on the cost estimates of government "
        "investment projects, with %(submitted)s submitted for review and %(cut)s cut, a cut rate of "
        "%(rate)s.",
        "%(as_of)s, the bureau has issued %(count)s review opinions on the cost estimates of government "
        "investment projects, with %(submitted)s submitted for review and %(cut)s cut, a cut rate of "
        "%(rate)s.",
        figures.review_count,
    ) % {
        "as_of": n.as_of_phrase(data.as_of),
        "count": figures.review_count,
        "submitted": n.yi(figures.review_submitted),
        "cut": n.yi(figures.review_cut),
        "rate": n.percent(figures.review_cut_rate, places=2),
    }
    return Section("budget_reviews", _("Reviews of investment projects' cost estimates"), [text])


def agriculture(data: BureauData) -> Section | None:
    """农林水: the year's budget for agriculture, forestry and water, its growth and its spending."""
    row = data.agriculture
    if row is None or not row.budget:
        return None
    values = {"year": data.year, "amount": n.yi(row.budget)}
    growth = n.growth(row.budget_growth)
    if growth:
        text = _(
            "The %(year)s budget allocates %(amount)s to agriculture, forestry and water, %(growth)s."
        ) % (values | {"growth": growth})
    else:
        text = _("The %(year)s budget allocates %(amount)s to agriculture, forestry and water.") % values
    spent = _("%(as_of)s, %(spent)s of it has been spent, a spending progress of %(progress)s.") % {
        "as_of": n.as_of_phrase(data.as_of),
        "spent": n.yi(row.spent),
        "progress": n.percent(row.spending_progress),
    }
    return Section("agriculture", _("Agriculture, forestry and water"), [spaced([text, spent])])


def _names(entries) -> str:
    return n.listed([entry.department.name for entry in entries])


def leaderboard(data: BureauData) -> Section | None:
    """增量绩效排行榜: how many are ranked, the top and the bottom with their increments (§4.5)."""
    ranked = [entry for entry in data.leaderboard if entry.increment_rank is not None]
    if not ranked:
        return None
    new = [entry for entry in data.leaderboard if entry.is_new]
    top_rank = min(entry.increment_rank for entry in ranked)
    bottom_rank = max(entry.increment_rank for entry in ranked)
    top = [entry for entry in ranked if entry.increment_rank == top_rank]
    bottom = [entry for entry in ranked if entry.increment_rank == bottom_rank]
    sentences = [
        ngettext(
            "%(count)s department is ranked on the incremental performance leaderboard by the change in "
            "its performance score on last year.",
            "%(count)s departments are ranked on the incremental performance leaderboard by the change "
            "in their performance score on last year.",
            len(ranked),
        )
        % {"count": len(ranked)}
    ]
    first = top[0]
    top_text = _("%(departments)s scored %(score)s points, %(change)s, and ranks first") % {
        "departments": _names(top),
        "score": n.points(first.score),
        "change": n.change_in_points(first.increment),
    }
    if bottom_rank != top_rank:
        last = bottom[0]
        bottom_text = _("%(departments)s scored %(score)s points, %(change)s, and ranks last") % {
            "departments": _names(bottom),
            "score": n.points(last.score),
            "change": n.change_in_points(last.increment),
        }
        sentences.append(_("%(top)s; %(bottom)s.") % {"top": top_text, "bottom": bottom_text})
    else:
        sentences.append(_("%(top)s.") % {"top": top_text})
    if new:
        sentences.append(
            ngettext(
                "%(count)s more department has no score for last year and is not yet ranked by change.",
                "%(count)s more departments have no score for last year and are not yet ranked by change.",
                len(new),
            )
            % {"count": len(new)}
        )
    table = Table(
        title=_("Incremental performance leaderboard, %(year)s") % {"year": data.year},
        head=[
            _("Rank by change (Δ)"),
            _("Department"),
            _("Performance score (C)"),
            _("Last year's score"),
            _("Change on last year (Δ)"),
            _("Rank by score (C)"),
            _("Grade"),
        ],
        rows=[leaderboard_row(entry) for entry in data.leaderboard],
        numeric=frozenset({0, 2, 3, 4, 5}),
    )
    return Section("leaderboard", _("Incremental performance leaderboard"), [spaced(sentences)], [table])


def warnings(data: BureauData) -> Section | None:
    """预警: the district's progress against time and the projects under warning, by department (§4.1)."""
    district = data.district
    if district is None or not district.project_count:
        return None
    sentences = [
        _(
            "%(as_of)s, spending across the district stands at %(progress)s of the budget against a time "
            "progress of %(time)s, %(gap)s."
        )
        % {
            "as_of": n.as_of_phrase(data.as_of),
            "progress": n.percent(district.spending_progress),
            "time": n.percent(district.time_progress),
            "gap": n.gap_phrase(district.gap_pp),
        }
    ]
    if district.warned_projects:
        sentences.append(
            _(
                "Of the district's %(projects)s projects, %(serious)s lag time progress by more than "
                "%(serious_pp)s percentage points (serious), %(attention)s by %(attention_pp)s to "
                "%(serious_pp)s points (attention), %(zero)s have had no payment since the first quarter "
                "and %(overspent)s have spent beyond their budget; %(warned)s projects in all carry a "
                "warning, each counted once."
            )
            % {
                "projects": n.count(district.project_count),
                "serious": n.count(district.serious_projects),
                "attention": n.count(district.attention_projects),
                "zero": n.count(district.zero_spending_projects),
                "overspent": n.count(district.overspent_projects),
                "warned": n.count(district.warned_projects),
                "serious_pp": n._plain(-settings.PROGRESS_SERIOUS_GAP_PP, 1),
                "attention_pp": n._plain(-settings.PROGRESS_ATTENTION_GAP_PP, 1),
            }
        )
        most = sorted(data.warnings_by_department, key=lambda row: (-row.warned_projects, row.scope_id))[:3]
        if most:
            sentences.append(
                _("The departments with the most projects under warning are %(departments)s.")
                % {
                    "departments": n.listed(
                        [
                            _("%(department)s (%(count)s)")
                            % {"department": row.department_name, "count": row.warned_projects}
                            for row in most
                        ]
                    )
                }
            )
    else:
        sentences.append(_("No project carries a warning."))
    tables = []
    if data.warnings_by_department:
        tables.append(
            Table(
                title=_("Projects under warning by department, %(date)s") % {"date": n.full_date(data.as_of)},
                head=[
                    _("Department"),
                    _("Spending progress"),
                    _("Serious"),
                    _("Attention"),
                    _("Zero spending"),
                    _("Overspent"),
                    _("Projects under warning"),
                ],
                rows=[
                    [
                        row.department_name or "—",
                        table_percent(row.spending_progress),
                        str(row.serious_projects),
                        str(row.attention_projects),
                        str(row.zero_spending_projects),
                        str(row.overspent_projects),
                        str(row.warned_projects),
                    ]
                    for row in data.warnings_by_department
                ],
                numeric=frozenset({1, 2, 3, 4, 5, 6}),
            )
        )
    return Section("warnings", _("Spending progress warnings"), [spaced(sentences)], tables)


def adjustments(data: BureauData) -> Section | None:
    """结果应用: next year's budget adjustments proposed from this year's results and their effect (§4.7)."""
    if data.adjustments is None:
        return None
    effect, actions = data.adjustments
    sentences = adjustment_sentences(year=data.year, effect=effect, actions=actions)
    return Section("adjustments", _("Applying evaluation results"), [spaced(sentences)])


#: The brief's sections in the order it reads (SPEC §15); monitoring and rectification in reports.monitoring.
SECTIONS = [
    livelihood,
    direct_funds,
    key_evaluations,
    budget_reviews,
    agriculture,
    leaderboard,
    warnings,
    bureau_monitoring,
    bureau_rectification,
    adjustments,
]


def bureau_brief(*, run: RecomputeRun, user) -> Brief:
    """The bureau's brief of ``run``, its sections in ``SECTIONS`` order, each left out without its data."""
    data = BureauData(run=run, user=user)
    return Brief(
        title=_("Budget performance management in %(year)s") % {"year": data.year},
        issuer=_("District Finance Bureau"),
        as_of=run.as_of,
        computed_at=run.finished_at,
        sections=write(SECTIONS, data),
    )
