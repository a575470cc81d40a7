"""The monitoring (双监控, SPEC §14.1) and rectification (即知即改, §14.2) sections of the briefs: the
bureau's from the run's district figures and the district's items, a department's from its own row and
its own items. Each is left out when the run has no monitoring round, or there are no items."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from reports import numbers as n
from reports.briefs import Section, Table
from reports.sentences import spaced


def _monitoring_sentence(run, row, *, whose: str) -> str | None:
    if run.monitoring_round_id is None or run.monitoring_as_of is None or row is None:
        return None
    values = {
        "month": n.month(run.monitoring_as_of.month),
        "monitored": n.count(row.monitored_projects),
        "target": n.count(row.target_deviation_projects),
        "spending": n.count(row.spending_deviation_projects),
        "double": n.count(row.double_deviation_projects),
    }
    if whose == "district":
        text = _(
            "At the end of %(month)s the bureau monitored performance in operation: %(monitored)s projects "
            "reported on their monitoring, of which %(target)s are not expected to meet their performance "
            "targets and %(spending)s lag seriously in spending; %(double)s projects carry a double "
            "deviation, and the departments concerned have been urged to rectify them at once."
        )
    else:
        text = _(
            "In the monitoring at the end of %(month)s, %(monitored)s of the department's projects reported "
            "on their monitoring, of which %(target)s are not expected to meet their performance targets "
            "and %(spending)s lag seriously in spending; %(double)s projects carry a double deviation."
        )
    return text % values


def bureau_monitoring(data) -> Section | None:
    """监控: the run's monitoring round, its reports and the deviations it found in the district."""
    text = _monitoring_sentence(data.run, data.district, whose="district")
    if text is None:
        return None
    return Section("monitoring", _("Performance monitoring"), [text])


def _some_all_none(part: int, whole: int, *, all_: str, none: str, some: str) -> str:
    """The qualifier of a count within another: all of them, none of them, or how many."""
    if part == whole:
        return all_
    if part == 0:
        return none
    return some % {"n": n.count(part)}


def _qualified(clause: str, qualifier: str) -> str:
    return pgettext("clause with a qualifier", "%(clause)s (%(qualifier)s)") % {
        "clause": clause,
        "qualifier": qualifier,
    }


def rectification_sentence(items) -> str:
    """即知即改 in the bureau's words: how many items were opened, how many closed (how many of those by
    their deadline), how many are open (how many of those overdue); a count of 0 is said in words
    ("均未逾期"), never as "0项"."""
    closed = items.opened - items.open
    clauses = [_("%(opened)s rectification items have been opened") % {"opened": n.count(items.opened)}]
    overdue = _some_all_none(
        items.overdue,
        items.open,
        all_=_("all of them overdue"),
        none=_("none of them overdue"),
        some=_("%(n)s of them overdue"),
    )
    if closed:
        on_time = _some_all_none(
            items.closed_on_time,
            closed,
            all_=_("all by their deadline"),
            none=_("none by its deadline"),
            some=_("%(n)s of them by their deadline"),
        )
        if items.open:
            clauses.append(_qualified(_("%(n)s closed") % {"n": n.count(closed)}, on_time))
            clauses.append(_qualified(_("%(n)s still open") % {"n": n.count(items.open)}, overdue))
        else:
            clauses.append(_qualified(_("all of them closed"), on_time))
    else:
        clauses += [_("none closed yet"), overdue]
    return pgettext("clause separator", ", ").join(clauses) + pgettext("end of a sentence", ".")


def bureau_rectification(data) -> Section | None:
    """即知即改: the district's items of the year, opened, closed on time, open and overdue."""
    items = data.rectification
    if not items.opened:
        return None
    return Section(
        "rectification", pgettext("brief heading", "Rectification"), [rectification_sentence(items)]
    )


def department_monitoring(data) -> Section | None:
    """监控: the department's deviations in the run's monitoring round and its double-deviation projects."""
    text = _monitoring_sentence(data.run, data.snapshot, whose="department")
    if text is None:
        return None
    tables = []
    if data.double_deviations:
        tables.append(
            Table(
                title=_("Projects with a double deviation"),
                head=[_("Project code"), _("Project"), _("Gap at the monitoring date (pp)")],
                rows=[
                    [
                        row.project_code or "",
                        row.project_name or "",
                        "—" if row.monitoring_gap_pp is None else n._plain(row.monitoring_gap_pp, 1),
                    ]
                    for row in data.double_deviations
                ],
                numeric=frozenset({2}),
            )
        )
    return Section("monitoring", _("Performance monitoring"), [text], tables)


def department_rectification(data) -> Section | None:
    """即知即改: the department's items still open, the overdue ones counted, listed oldest deadline first."""
    items = data.rectification
    if items is None or not items.open:
        return None
    figures = {"open": n.count(items.open), "overdue": n.count(items.overdue)}
    if items.overdue:
        sentence = _("The department has %(open)s rectification items open, %(overdue)s of them overdue.")
    else:
        sentence = _("The department has %(open)s rectification items open, none of them overdue.")
    sentences = [sentence % figures]
    rows = [item for item in items.rows if not item.closed]
    table = Table(
        title=_("Open rectification items"),
        head=[_("Problem"), _("Project"), _("Deadline"), _("Overdue")],
        rows=[
            [
                item.problem,
                item.project.name if item.project else "—",
                n.full_date(item.deadline),
                _("yes") if item.overdue else "",
            ]
            for item in rows
        ],
    )
    return Section("rectification", pgettext("brief heading", "Rectification"), [spaced(sentences)], [table])
