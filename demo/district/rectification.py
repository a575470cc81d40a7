"""The demo's rectification items (SPEC §8, §14.2): opened by the bureau from each kind of finding, for
the head's department and several others, and in every state — open, answered, sent back, closed on
time and late, and overdue — a few answers with small evidence files (a PDF, a PNG) stored in
MEDIA_ROOT through the evidence checks.

The items are opened, answered, closed and sent back through the rectification services; an answer of a
department no demo user heads is checked and stored the same way and kept in the timeline without a
name. Their dates follow the day of the seed (deadlines only mean something against today): the open
and answered ones are due in the coming weeks, the overdue ones' deadlines have passed. No figure counts
them."""

from __future__ import annotations

import datetime
import struct
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo.district.figures import AS_OF, CURRENT_YEAR
from demo.district.monitoring import double_deviation_projects, serious_gaps
from finance.models import Department
from performance.models import Evaluation, ItemSource, ItemState, RectificationFile, RectificationItem
from performance.rectification_forms import reference_from
from performance.services.evidence import check_upload
from performance.services.rectification import answer_item, close_item, open_item, send_back_item
from projects.models import Project
from workflow.models import Action, Round, Transition
from workflow.services import record_step


@dataclass(frozen=True)
class Plan:
    """One item: its source, whether it is the head's department's, its end state, its deadline in days
    from the seed day, and the files of its answer."""

    source: str
    own_department: bool
    state: str
    due_in: int
    files: tuple[str, ...] = ()


PLANS = [
    Plan(ItemSource.WEAK_SPOT, True, ItemState.OPEN, 21),
    Plan(ItemSource.DOUBLE_DEVIATION, True, ItemState.SENT_BACK, 10, ("整改台账.pdf",)),
    Plan(ItemSource.WARNING, True, ItemState.ANSWERED, 14, ("支出进度说明.pdf", "现场照片.png")),
    Plan(ItemSource.INFLATED_SELF_EVALUATION, True, ItemState.CLOSED, -20),
    Plan(ItemSource.EVALUATION_FINDING, False, ItemState.OPEN, -12),
    Plan(ItemSource.DOUBLE_DEVIATION, False, ItemState.ANSWERED, 7),
    Plan(ItemSource.WARNING, False, ItemState.CLOSED, -30, ("付款凭证.png",)),
    Plan(ItemSource.WEAK_SPOT, False, ItemState.SENT_BACK, -5),
    Plan(ItemSource.INFLATED_SELF_EVALUATION, False, ItemState.OPEN, 30),
    Plan(ItemSource.DOUBLE_DEVIATION, False, "closed_late", -40),
    Plan(ItemSource.EVALUATION_FINDING, False, ItemState.OPEN, -3),
]
#: How long before its deadline an item was opened, and how long the department took to answer.
OPEN_FOR, ANSWERED_AFTER, DECIDED_AFTER = 30, 10, 3
REQUIREMENT = "请分析问题原因，制定整改措施，明确责任人和完成时限，按期报送整改情况及佐证材料。"
FINDING = "重点评价发现：项目绩效目标设定不够明确，部分资金未按合同约定节点支付。"
MEASURES = "已召开专题会议分析原因，调整实施计划，加快合同支付进度，并建立月度调度机制。"
EVIDENCE = "附整改台账和相关凭证，详见附件。"
SENT_BACK = "整改措施未明确完成时限，佐证材料不足，请补充后重新报送。"


def seed_rectification(*, head_department: Department, monitoring_round: Round) -> dict[str, int]:
    """Open the demo's rectification items and take them to their states."""
    users = get_user_model().objects.in_bulk(["officer", "head"], field_name="username")
    officer, head = users["officer"], users["head"]
    today = timezone.localdate()
    projects = _projects_by_source(monitoring_round)
    departments = list(Department.objects.exclude(pk=head_department.pk).order_by("code"))
    for index, plan in enumerate(PLANS):
        department = head_department if plan.own_department else departments[(index * 3) % len(departments)]
        params = _reference(plan.source, department, projects, monitoring_round)
        reference, problem = reference_from(params, user=officer)
        if reference is None:
            raise RuntimeError(f"The demo cannot open an item {params}: {problem}")
        item = reference.item()
        item.problem = reference.problem or FINDING
        item.requirement = REQUIREMENT
        item.deadline = today + datetime.timedelta(days=plan.due_in)
        item = open_item(item, user=officer)
        if plan.state != ItemState.OPEN:
            uploads = [_upload(name) for name in plan.files]
            if item.department_id == head_department.pk:
                answer_item(item, user=head, measures=MEASURES, evidence=EVIDENCE, uploads=uploads)
            else:
                _answer_without_a_demo_user(item, uploads)
            if plan.state in (ItemState.CLOSED, "closed_late"):
                close_item(item, user=officer)
            elif plan.state == ItemState.SENT_BACK:
                send_back_item(item, user=officer, reason=SENT_BACK)
        _date(item, plan)
    return {
        "rectification_items": RectificationItem.objects.count(),
        "rectification_files": RectificationFile.objects.count(),
    }


def _projects_by_source(monitoring_round: Round) -> dict[str, set[int]]:
    """Per source, the ids of the projects an item may follow: serious spending warnings at the year's
    as-of date, the finalised self-evaluations, the double deviations of the monitoring round."""
    self_evaluated = Evaluation.objects.filter(
        fiscal_year_id=CURRENT_YEAR, kind=Evaluation.Kind.SELF, project__isnull=False
    ).values_list("project_id", flat=True)
    return {
        ItemSource.WARNING: serious_gaps(AS_OF),
        ItemSource.INFLATED_SELF_EVALUATION: set(self_evaluated),
        ItemSource.DOUBLE_DEVIATION: double_deviation_projects(monitoring_round),
    }


def _reference(source: str, department: Department, projects: dict, monitoring_round: Round) -> dict:
    """The parameters of the "new item" link the officer would follow, for ``department`` (or the first
    department that has such a finding, when it has none)."""
    params = {"source": source, "department": department.code, "year": str(CURRENT_YEAR)}
    if source == ItemSource.WEAK_SPOT:
        return params
    if source == ItemSource.EVALUATION_FINDING:
        evaluations = Evaluation.objects.filter(
            fiscal_year_id=CURRENT_YEAR, kind=Evaluation.Kind.KEY, project__isnull=False
        ).order_by("project__code")
        evaluation = evaluations.filter(project__department=department).first() or evaluations.first()
        return params | {"evaluation": str(evaluation.pk)}
    candidates = projects[source]
    year = Project.objects.filter(fiscal_year_id=CURRENT_YEAR).order_by("code").values_list("pk", flat=True)
    project = next((pk for pk in year.filter(department=department) if pk in candidates), None)
    params["project"] = str(project or next(pk for pk in year if pk in candidates))
    if source == ItemSource.DOUBLE_DEVIATION:
        params["round"] = str(monitoring_round.pk)
    return params


def _answer_without_a_demo_user(item: RectificationItem, uploads: list) -> None:
    """The answer of a department no demo user heads: the files checked by content and stored as the
    service stores them, the step kept in the timeline without a name."""
    names = []
    for upload in uploads:
        checked = check_upload(upload)
        evidence = RectificationFile(
            item=item, name=checked.name, content_type=checked.content_type, size=checked.size
        )
        evidence.file.save(checked.name, checked.upload, save=False)
        evidence.save()
        names.append(checked.name)
    source = item.state
    item.measures, item.evidence, item.state = MEASURES, EVIDENCE, ItemState.ANSWERED
    item.answered_at = timezone.now()
    item.save(update_fields=["measures", "evidence", "state", "answered_at"])
    note = f"files added: {', '.join(names)}" if names else ""
    record_step(item, action=Action.ANSWER, from_state=source, to_state=item.state, note=note)


def _date(item: RectificationItem, plan: Plan) -> None:
    """Date the item's steps before the seed day: opened a month before its deadline, answered ten days
    later, closed or sent back three days after that (a late one after its deadline)."""
    item.refresh_from_db()
    now = timezone.now()
    opened = now + datetime.timedelta(days=plan.due_in - OPEN_FOR)
    answered = opened + datetime.timedelta(days=ANSWERED_AFTER)
    decided = answered + datetime.timedelta(days=DECIDED_AFTER)
    if plan.state == "closed_late":
        decided = now + datetime.timedelta(days=plan.due_in + 5)
    at = {Action.OPEN: opened, Action.ANSWER: answered, Action.CLOSE: decided, Action.SEND_BACK: decided}
    steps = list(
        Transition.objects.filter(
            content_type=ContentType.objects.get_for_model(RectificationItem), object_id=item.pk
        )
    )
    for step in steps:
        step.at = at[step.action]
    Transition.objects.bulk_update(steps, ["at"])
    RectificationFile.objects.filter(item=item).update(uploaded_at=answered)
    item.opened_at = opened
    item.answered_at = answered if item.answered_at else None
    item.closed_at = decided if item.closed_at else None
    item.save(update_fields=["opened_at", "answered_at", "closed_at"])


def _upload(name: str) -> SimpleUploadedFile:
    content = _pdf(name) if name.endswith(".pdf") else _png()
    return SimpleUploadedFile(name, content)


def _png() -> bytes:
    """A valid 2×2 PNG: four grey pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _pdf(title: str) -> bytes:
    """A valid one-page PDF (its cross-reference table counted), the page blank."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title <FEFF" + title.encode("utf-16-be").hex().upper().encode() + b"> >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
