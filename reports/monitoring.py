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


def bureau_rectification(data) -> Section | None:
    """即知即改: the district's items of the year, opened, closed on time, open and overdue."""
    items = data.rectification
    if not items.opened:
        return None
    closed = items.opened - items.open
    figures = {
        "opened": n.count(items.opened),
        "closed": n.count(closed),
        "on_time": n.count(items.closed_on_time),
        "open": n.count(items.open),
        "overdue": n.count(items.overdue),
    }
    if not items.open:
        text = _(
            "%(opened)s rectification items have been opened and all of them closed, %(on_time)s by "
            "their deadline."
        )
    elif not closed:
        text = _("%(opened)s rectification items have been opened, none closed yet; %(overdue)s are overdue.")
    elif not items.overdue:
        text = _(
            "%(opened)s rectification items have been opened: %(closed)s closed (%(on_time)s by their "
            "deadline) and %(open)s still open, none of them overdue."
        )
    else:
        text = _(
            "%(opened)s rectification items have been opened: %(closed)s closed (%(on_time)s by their "
            "deadline) and %(open)s still open (%(overdue)s of them overdue)."
        )
    return Section("rectification", pgettext("brief heading", "Rectification"), [text % figures])


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
