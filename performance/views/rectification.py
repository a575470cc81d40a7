"""Rectification items' pages (SPEC §14.2): the list, a new item opened from what it follows, an item's
page (the head's answer with files, the officer's close or send back, the timeline) and its files."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError, TooManyFilesSent
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from finance.parameters import whole_number
from finance.roles import is_officer
from finance.tables import ExportableTableMixin, PagedTableMixin, PageParametersMixin
from performance.filters import RectificationFilter
from performance.rectification_forms import AnswerForm, NewItemForm, reference_from
from performance.selectors import rectification as selectors
from performance.selectors.runs import computed_current_year
from performance.services import rectification as services
from performance.services.evidence import max_file_bytes, max_files, megabytes
from performance.tables import RectificationTable
from performance.views.evaluation_pages import _refused
from workflow.models import Action
from workflow.services import TransitionRefused, timeline


@dataclass(frozen=True)
class ItemStep:
    """A button of the item's step form (workflow/_transitions.html): close, or send back (secondary,
    with its reason)."""

    action: str

    @property
    def label(self) -> str:
        return str(Action(self.action).label)

    @property
    def needs_reason(self) -> bool:
        return self.action == Action.SEND_BACK


#: Room for the answer's text fields and the multipart boundaries on top of the files themselves.
UPLOAD_OVERHEAD_BYTES = 256 * 1024


class RectificationListView(
    PageParametersMixin, ExportableTableMixin, PagedTableMixin, SingleTableMixin, FilterView
):
    """SPEC §14.2 items the user may see, filtered by state, department, source and overdue; exported."""

    table_class = RectificationTable
    filterset_class = RectificationFilter
    strict = False
    template_name = "performance/rectification_list.html"
    export_name = "rectification-items"

    def get_queryset(self):
        return selectors.items(user=self.request.user)

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if not is_officer(self.request.user):
            kwargs["exclude"] = ("department",)  # a head's or a unit's items are all of one department
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The whole-dashboard workbook is linked for the current year once it has figures (one query).
        context["workbook_year"] = computed_current_year()
        return context


def new_item(request: HttpRequest) -> HttpResponse:
    """An officer opens an item from the link of what it follows (``?source=…&project=…`` and so on):
    the problem prefilled, what is required and the deadline to give. Others: 404."""
    if not is_officer(request.user):
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    reference, refusal = reference_from(params, user=request.user)
    form = NewItemForm(request.POST or None, reference=reference) if reference is not None else None
    if request.method == "POST" and form is not None and form.is_valid():
        item = reference.item()
        item.problem = form.cleaned_data["problem"].strip()
        item.requirement = form.cleaned_data["requirement"].strip()
        item.deadline = form.cleaned_data["deadline"]
        try:
            services.open_item(item, user=request.user)
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The item is opened; the department's head sees it now."))
            return redirect("performance:rectification_item", pk=item.pk)
    status = 200
    if reference is None and any(name in params for name in ("source", "project", "evaluation")):
        status = 400
    elif form is not None and form.is_bound:
        status = 400
    context = {
        "form": form,
        "reference": reference,
        "refusal": refusal if status == 400 or request.method == "POST" else "",
        "source_link": selectors.source_link(reference.item()) if reference is not None else None,
    }
    return render(request, "performance/rectification_new.html", context, status=status)


@csrf_exempt  # checked below once the size is known: the CSRF check would read the whole body first
@require_http_methods(["GET", "POST"])
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The item: where it came from, the problem, what is required, the deadline, the answer and its
    files, the timeline. Its department's head answers it here (POST, with files); the officer closes it
    or sends it back (``transition/``). 404 outside the user's scope."""
    item = get_object_or_404(selectors.item_detail(user=request.user), pk=pk)
    if request.method == "POST":
        limit = max_files() * max_file_bytes() + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + UPLOAD_OVERHEAD_BYTES
        declared = whole_number(request.META.get("CONTENT_LENGTH"), max_digits=18) or 0
        if declared > limit:
            # Refused before the body is read, so a huge upload never reaches the disk.
            return _item_page(request, item, refusal=_too_big(), status=413)
        try:
            request.POST  # noqa: B018 - read here, so that a body Django refuses becomes a message
            request.FILES  # noqa: B018
        except (RequestDataTooBig, TooManyFieldsSent):
            return _item_page(request, item, refusal=_too_big(), status=413)
        except TooManyFilesSent:
            return _item_page(
                request,
                item,
                refusal=_("An item takes at most %(n)s files.") % {"n": max_files()},
                status=400,
            )
        except MultiPartParserError:
            return _item_page(
                request, item, refusal=_("The upload could not be read; try again."), status=400
            )
        return csrf_protect(_answer)(request, item)
    return _item_page(request, item)


def _too_big() -> str:
    return _("The upload is too big: an item takes at most %(n)s files of at most %(mb)s MB each.") % {
        "n": max_files(),
        "mb": megabytes(max_file_bytes()),
    }


def _answer(request: HttpRequest, item) -> HttpResponse:
    if not services.may_answer(item, user=request.user):
        if services.role_of(item, request.user) is None:
            raise Http404
        return _refused(
            request,
            _("Only the department's head answers, while the item is open or sent back."),
            _here(item),
        )
    files_kept = selectors.item_files(item)
    form = AnswerForm(request.POST, files_kept=files_kept)
    if form.is_valid():
        try:
            services.answer_item(
                item,
                user=request.user,
                measures=form.cleaned_data["measures"],
                evidence=form.cleaned_data["evidence"],
                uploads=request.FILES.getlist("files"),
                remove_file_ids=form.cleaned_data.get("remove") or [],
            )
        except TransitionRefused as refused:
            if refused.not_found:
                raise Http404 from None
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The answer is sent to the bureau."))
            return redirect(_here(item))
    return _item_page(request, item, form=form, status=400)


def _item_page(
    request: HttpRequest, item, *, form: AnswerForm | None = None, refusal: str = "", status: int = 200
):
    files = selectors.item_files(item)
    may_answer = services.may_answer(item, user=request.user)
    if may_answer and form is None:
        form = AnswerForm(
            initial={"measures": item.measures, "evidence": item.evidence} if item.measures else None,
            files_kept=files,
        )
    steps = [ItemStep(action) for action in services.steps_for(item, user=request.user)]
    context = {
        "item": item,
        "overdue": item.is_overdue(),
        "files": files,
        "form": form if may_answer else None,
        "refusal": refusal,
        "files_help": AnswerForm.files_help(),
        "accept": AnswerForm.accept,
        "max_files": max_files(),
        "room": max(max_files() - len(files), 0),
        "source_link": selectors.source_link(item),
        "timeline": timeline(item),
        "actions": steps,
        "needs_reason": any(step.needs_reason for step in steps),
        "reason_label": _("Reason (needed to send the item back)"),
        "transition_url": reverse("performance:rectification_transition", args=[item.pk]),
    }
    return render(request, "performance/rectification.html", context, status=status)


def _here(item) -> str:
    return reverse("performance:rectification_item", args=[item.pk])


@require_POST
def item_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer closes the item or sends it back (``action`` ``close`` or ``send_back`` with
    ``reason``): done, a message and back to the page; refused, the page's message or an HTTP 409;
    outside the scope, 404."""
    item = get_object_or_404(selectors.item_detail(user=request.user), pk=pk)
    action = request.POST.get("action", "")
    try:
        services.take_step(item, user=request.user, action=action, reason=request.POST.get("reason", ""))
    except TransitionRefused as refused:
        if refused.not_found:
            raise Http404(refused.message) from None
        return _refused(request, refused.message, _here(item))
    messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
    return redirect(_here(item))


def item_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """One evidence file, to those who may see its item (else 404), as a download of the type its
    content was checked to be."""
    evidence = selectors.visible_file(user=request.user, item_pk=pk, file_pk=file_pk)
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("the file is gone from the disk") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
