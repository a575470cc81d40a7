"""The to-do page and the one way a record's page takes a transition (SPEC §12.1)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from finance.roles import is_officer
from finance.scoping import scope_of
from workflow import rounds, todo
from workflow.forms import OpenRoundForm
from workflow.models import Action, Round
from workflow.services import TransitionRefused, transition

#: Rows shown per kind on the to-do page; the count says how many there are in all.
TODO_ROWS = 50
#: The hidden field of a record page's own transition form: a refusal then comes back as a message on
#: that page rather than as a bare 409.
FROM_PAGE = "from_page"


def take_transition(request: HttpRequest, record, *, back_to: str) -> HttpResponse:
    """Take the POSTed ``action`` (with ``reason``) on ``record`` for ``request.user``.

    Done: a message and a redirect to ``back_to``. Refused: nothing changes; the page's own form gets
    the message on the page, any other POST an HTTP 409 with the message. A record outside the user's
    scope is a 404 (the caller found it through ``visible_to`` already; this is the second guard).
    """
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    back_to = _back_from_list(request) or back_to
    try:
        transition(record, user=request.user, action=action, reason=reason)
    except TransitionRefused as refused:
        if refused.not_found:
            raise Http404(refused.message) from None
        if request.POST.get(FROM_PAGE):
            messages.error(request, refused.message)
            return redirect(back_to)
        return HttpResponse(refused.message, status=409, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(back_to)


def _back_from_list(request: HttpRequest) -> str | None:
    """A transition taken from the to-do list goes back to it (the only other page that posts one)."""
    return reverse("workflow:todo") if request.POST.get("back") == "todo" else None


def todo_page(request: HttpRequest) -> HttpResponse:
    """The signed-in user's to-do list: per kind, the records waiting for them."""
    scope = scope_of(request.user)
    groups = []
    for source, queryset in todo.waiting_querysets(scope):
        count = queryset.count()
        groups.append(
            {"source": source, "count": count, "rows": source.rows(queryset, TODO_ROWS) if count else []}
        )
    return render(
        request,
        "workflow/todo.html",
        {"groups": groups, "total": sum(group["count"] for group in groups), "shown": TODO_ROWS},
    )


def rounds_page(request: HttpRequest) -> HttpResponse:
    """SPEC §12.1 rounds: each round with its deadline, and per department (in the user's scope) its
    records: in all, with the unit, waiting for the head, waiting for the bureau, approved, overdue.
    Officers open rounds here."""
    scope = scope_of(request.user)
    if scope.nothing:
        raise Http404("no role")
    officer = is_officer(request.user)
    form = OpenRoundForm(request.POST or None) if officer else None
    if request.method == "POST":
        if form is None:
            raise Http404("only officers open rounds")
        if form.is_valid():
            data = form.cleaned_data
            try:
                opened, count = rounds.open_round(
                    user=request.user,
                    kind=data["kind"],
                    year=data["year"],
                    deadline=data["deadline"],
                    as_of=data["as_of"],
                )
            except rounds.RoundRefused as refused:
                messages.error(request, refused.message)
            else:
                messages.success(
                    request,
                    _("Round opened: %(round)s, %(count)s records.") % {"round": opened, "count": count},
                )
                return redirect(f"{request.path}?round={opened.pk}")
    known = rounds.known_rounds()
    chosen = _chosen_round(known, request.GET.get("round"))
    rows = rounds.progress(chosen, scope) if chosen else []
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("total", "with_unit", "waiting_head", "waiting_bureau", "approved", "overdue")
    }
    return render(
        request,
        "workflow/rounds.html",
        {"rounds": known, "chosen": chosen, "rows": rows, "totals": totals, "form": form},
    )


def _chosen_round(known: list[Round], asked: str | None) -> Round | None:
    if asked is not None:
        for round_ in known:
            if str(round_.pk) == asked:
                return round_
        raise Http404("no such round")
    return known[0] if known else None
