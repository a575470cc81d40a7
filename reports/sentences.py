"""Sentences and table lines that both briefs write: the effect of applying results, a leaderboard line."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from performance.models import BudgetAdjustment
from reports import numbers as n


def spaced(sentences: list[str]) -> str:
    """A paragraph of sentences: run on in Chinese, a space between them in English."""
    return "".join(sentences) if n.chinese() else " ".join(sentences)


def leaderboard_row(entry) -> list[str]:
    """One department's line of the brief's leaderboard table."""
    if entry.increment_rank is not None:
        rank = str(entry.increment_rank)
    else:
        rank = _("new") if entry.is_new else "—"
    return [
        rank,
        entry.department.name,
        n.table_points(entry.score),
        n.table_points(entry.previous_score),
        n.table_points(entry.increment, signed=True),
        str(entry.absolute_rank) if entry.absolute_rank is not None else "—",
        entry.get_grade_display() or "—",
    ]


ACTION_PHRASES = {
    BudgetAdjustment.Action.PRIORITY: lambda count: _("%(n)s to keep with priority") % {"n": n.count(count)},
    BudgetAdjustment.Action.KEEP: lambda count: _("%(n)s to keep") % {"n": n.count(count)},
    BudgetAdjustment.Action.CUT: lambda count: _("%(n)s to cut") % {"n": n.count(count)},
    BudgetAdjustment.Action.CANCEL: lambda count: _("%(n)s to cut or cancel") % {"n": n.count(count)},
    BudgetAdjustment.Action.REVIEW: lambda count: _("%(n)s to review first") % {"n": n.count(count)},
}


def adjustment_sentences(*, year: int, effect, actions: dict[str, int]) -> list[str]:
    """The sentences of applying results (结果应用, §4.7) to one set of proposals: how many, of which
    action, and next year's budget before and after them."""
    parts = [
        ACTION_PHRASES[action](actions[action.value])
        for action in ACTION_PHRASES
        if actions.get(action.value)
    ]
    sentences = [
        ngettext(
            "Applying the results of the %(year)s performance evaluations, %(count)s adjustment to the "
            "%(next)s budget has been proposed: %(parts)s.",
            "Applying the results of the %(year)s performance evaluations, %(count)s adjustments to the "
            "%(next)s budget have been proposed: %(parts)s.",
            effect.proposals,
        )
        % {"year": year, "next": year + 1, "count": n.count(effect.proposals), "parts": n.listed(parts)}
    ]
    change = effect.after - effect.before
    if change < 0:
        change_text = _("a cut of %(amount)s") % {"amount": n.amount(-change)}
    elif change > 0:
        change_text = _("an increase of %(amount)s") % {"amount": n.amount(change)}
    else:
        change_text = _("the same in total")
    sentences.append(
        _(
            "The projects concerned have a budget of %(before)s; with the proposals applied it would be "
            "%(after)s, %(change)s."
        )
        % {"before": n.amount(effect.before), "after": n.amount(effect.after), "change": change_text}
    )
    decided = effect.proposals - effect.pending
    if not effect.pending:
        sentences.append(_("All of them have been decided."))
    elif not decided:
        sentences.append(_("All of them await an officer's decision."))
    else:
        sentences.append(
            _("%(decided)s have been decided and %(pending)s await a decision.")
            % {"decided": n.count(decided), "pending": n.count(effect.pending)}
        )
    return sentences
