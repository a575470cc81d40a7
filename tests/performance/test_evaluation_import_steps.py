"""SPEC §12.2: an imported evaluation's status shows in its timeline as "imported by … from file …,
line …", written for the whole batch at once."""

from __future__ import annotations

import pytest
from django.utils import translation

from finance.importing.applying import import_file
from finance.importing.kinds import KINDS
from finance.importing.rollback import rollback_batch
from performance.models import Evaluation
from tests.finance.import_support import file_bytes, headers
from workflow.models import Transition
from workflow.services import timeline

pytestmark = pytest.mark.django_db


def test_each_imported_row_adds_an_import_step_with_its_file_and_line(
    client, district, officer, django_assert_max_num_queries
):
    officer.first_name, officer.last_name = "", ""
    rows = [
        headers("evaluations"),
        # line 2 updates PA01's key evaluation (finalised, 92), line 3 creates A01's department-wide one
        [2021, "key", "PA01", "", 18, 17, 26, 25, "某评价机构", "finalised"],
        [2021, "department", "", "A01", 20, 20, 30, 28, "某评价机构", "draft"],
    ]
    name, data = file_bytes(rows, "csv")

    with translation.override("en"):
        _plan, batch = import_file(kind="evaluations", file_name=name, data=data, user=officer)

    key = Evaluation.objects.get(project=district.projects["PA01"], kind="key")
    department_wide = Evaluation.objects.get(department=district.a, kind="department")
    (updated,) = timeline(key)
    (created,) = timeline(department_wide)
    assert (updated.action, updated.from_state, updated.to_state, updated.actor) == (
        "import",
        "finalised",
        "finalised",
        officer,
    )
    assert updated.note == f"imported by officer from file {name}, line 2"
    assert (created.from_state, created.to_state) == ("", "draft")
    assert created.note == f"imported by officer from file {name}, line 3"
    assert (created.department_id, created.unit_id) == (district.a.pk, None)
    assert (updated.department_id, updated.unit_id) == (district.a.pk, district.units["A01-01"].pk)
    assert updated.at == created.at == batch.imported_at

    client.force_login(officer)
    page = client.get(f"/evaluations/{department_wide.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"imported by officer from file {name}, line 3" in page


def test_the_import_steps_take_the_same_queries_for_1_and_8_rows(
    district, officer, django_assert_num_queries
):
    kind = KINDS["evaluations"]
    one = [[2021, "ex_ante", "PA01", "", 18, 17, 26, 25, "机构", "draft"]]
    eight = [
        *([2021, "department", "", code, 18, 17, 26, 25, "机构", "draft"] for code in ("A01", "B02", "C03")),
        *([2021, "key", "", code, 18, 17, 26, 25, "机构", "draft"] for code in ("A01", "B02", "C03")),
        *([2021, "ex_ante", code, "", 18, 17, 26, 25, "机构", "draft"] for code in ("PA02", "PB01")),
    ]
    for rows in (one, eight):
        name, data = file_bytes([headers("evaluations"), *rows], "csv")
        _plan, batch = import_file(kind="evaluations", file_name=name, data=data, user=officer)
        assert Transition.objects.filter(action="import").count() >= len(rows)
        # The batch's imported rows, its evaluations, one insert (the content type is cached).
        with django_assert_num_queries(3):
            kind.after_import(batch=batch, user=officer)


def test_rolling_back_drops_the_created_rows_steps_and_notes_the_restored_ones(district, officer):
    rows = [
        headers("evaluations"),
        [2021, "key", "PA01", "", 18, 17, 26, 25, "某评价机构", "draft"],  # was finalised
        [2021, "department", "", "A01", 20, 20, 30, 28, "某评价机构", "draft"],
    ]
    name, data = file_bytes(rows, "csv")
    with translation.override("en"):
        _plan, batch = import_file(kind="evaluations", file_name=name, data=data, user=officer)
        created = Evaluation.objects.get(department=district.a, kind="department")

        rollback_batch(batch_id=batch.pk, user=officer)

    key = Evaluation.objects.get(project=district.projects["PA01"], kind="key")
    assert key.status == "finalised"
    assert [(s.to_state, s.note) for s in timeline(key)] == [
        ("draft", f"imported by officer from file {name}, line 2"),
        ("finalised", f"import of file {name} rolled back by officer"),
    ]
    assert not Transition.objects.filter(object_id=created.pk, note__contains="line 3").exists()


def test_a_draft_imports_without_its_scores_and_a_finalised_one_needs_all_four(district, officer):
    from finance.importing.planning import plan_import

    rows = [
        headers("evaluations"),
        # line 2: a draft the bureau has not scored yet (what the export of such a draft holds)
        [2021, "department", "", "A01", "", "", "", "", "某评价机构", "draft"],
        # line 3: finalised, two scores missing
        [2021, "department", "", "B02", 20, "", 30, "", "某评价机构", "finalised"],
    ]
    name, data = file_bytes(rows, "csv")
    with translation.override("en"):
        plan = plan_import(kind="evaluations", file_name=name, data=data)
    found = sorted((p.line, p.column, str(p.message)) for p in plan.problems)
    assert found == [
        (3, "benefit", "A finalised evaluation needs all four scores; only a draft may leave one blank."),
        (3, "process", "A finalised evaluation needs all four scores; only a draft may leave one blank."),
    ]
    rows.pop()
    name, data = file_bytes(rows, "csv")
    import_file(kind="evaluations", file_name=name, data=data, user=officer)
    draft = Evaluation.objects.get(department=district.a, kind="department")
    assert (draft.status, draft.decision, draft.total, draft.grade) == ("draft", None, None, None)


def test_an_import_cannot_finalise_a_self_evaluation_under_review_in_the_app(district, officer):
    from finance.importing.planning import plan_import
    from performance.models import SelfEvaluation
    from workflow.models import State

    project = district.projects["PA02"]
    SelfEvaluation.objects.create(project=project, state=State.RETURNED)
    rows = [
        headers("evaluations"),
        [2021, "self", "PA02", "", 18, 17, 26, 25, "", "finalised"],
        [2021, "self", "PA02", "", 18, 17, 26, 25, "", "draft"],
    ]
    name, data = file_bytes(rows[:2], "csv")
    with translation.override("en"):
        plan = plan_import(kind="evaluations", file_name=name, data=data)
    assert [(p.line, p.column) for p in plan.problems] == [(2, "status")]
    assert "finalised by its approval" in str(plan.problems[0].message)
    # Once approved, the record no longer stands in the way (historical data may be imported).
    SelfEvaluation.objects.filter(project=project).update(state=State.APPROVED)
    assert not plan_import(kind="evaluations", file_name=name, data=data).problems
