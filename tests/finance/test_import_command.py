"""``manage.py import_data KIND FILE [--dry-run]``: every problem printed, non-zero exit, no traceback."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from finance.models import ImportBatch
from projects.models import Payment
from tests.finance.import_support import PAYMENTS, csv_bytes, snapshot, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, "--language", "en", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_clean_file_is_imported(district, officer, tmp_path):
    path = tmp_path / "payments.xlsx"
    path.write_bytes(xlsx_bytes([PAYMENTS, ["V0007", 2021, "PA1", "2021-06-01", 70]]))

    out, err = run("payments", str(path), "--user", "officer")

    batch = ImportBatch.objects.get()
    assert out.startswith(
        f"payments.xlsx: imported as batch {batch.pk} (1 to create, 0 to update, 0 unchanged)"
    )
    assert (err, batch.imported_by) == ("", officer)
    assert Payment.objects.get(voucher_no="V0007").import_batch == batch


def test_a_payment_after_the_as_of_date_is_imported_with_its_warning_printed(district, officer, tmp_path):
    from finance.models import FiscalYear

    FiscalYear.objects.filter(year=2021).update(data_as_of="2021-10-31")
    path = tmp_path / "payments.csv"
    path.write_bytes(csv_bytes([PAYMENTS, ["V0007", 2021, "PA1", "2021-11-01", "70"]]))

    out, _err = run("payments", str(path))

    assert out.splitlines()[0].startswith(
        "warning: line 2, paid_on: The payment date 2021-11-01 is after 2021-10-31"
    )
    assert "imported as batch" in out.splitlines()[1]


def test_a_dry_run_changes_nothing(district, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_bytes(csv_bytes([PAYMENTS, ["V0007", 2021, "PA1", "2021-06-01", 70]]))
    before = snapshot()

    out, _err = run("payments", str(path), "--dry-run")

    assert out == (
        "payments.csv: 1 rows are valid (1 to create, 0 to update, 0 unchanged); dry run, nothing changed.\n"
    )
    assert snapshot() == before


def test_a_bad_file_prints_every_problem_and_fails(district, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_bytes(
        csv_bytes([PAYMENTS, ["V1", 2021, "PA1", "2021-02-30", "1"], ["V2", 2021, "NOPE", "2021-03-01", "x"]])
    )
    before = snapshot()
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"payments.csv: 2 problem\(s\) in 2 rows; nothing was changed"):
        call_command("import_data", "payments", str(path), "--language", "en", stderr=err)

    assert err.getvalue().splitlines() == [
        "line 2, paid_on: “2021-02-30” is not a valid date (use YYYY-MM-DD).",
        "line 3, amount: “x” is not a number: write digits, with thousands commas if you like, "
        "one decimal point and an optional sign, such as -1,234.56.",
    ]
    assert snapshot() == before


def test_past_the_problems_kept_the_rest_are_counted(district, tmp_path, settings):
    settings.IMPORT_MAX_PROBLEMS = 1
    path = tmp_path / "payments.csv"
    path.write_bytes(csv_bytes([PAYMENTS] + [[f"V{n}", 2021, "PA1", "2021-02-30", "1"] for n in range(3)]))
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"payments.csv: 3 problem\(s\) in 3 rows; nothing was changed"):
        call_command("import_data", "payments", str(path), "--language", "en", stderr=err)

    assert err.getvalue().splitlines() == [
        "line 2, paid_on: “2021-02-30” is not a valid date (use YYYY-MM-DD).",
        "… and 2 more, counted but not kept (IMPORT_MAX_PROBLEMS)",
    ]


def test_an_unreadable_file_fails_with_its_reason(district, tmp_path):
    path = tmp_path / "payments.xlsx"
    path.write_bytes(b"")
    err = io.StringIO()

    with pytest.raises(CommandError, match="payments.xlsx: not imported"):
        call_command("import_data", "payments", str(path), "--language", "en", stderr=err)

    assert err.getvalue() == "The file is empty (0 bytes).\n"


def test_a_missing_file_is_a_user_error(district, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("payments", str(tmp_path / "nowhere.csv"))


def test_the_command_line_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "payments.xlsx"
    path.write_bytes(b"not a workbook")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_data", "payments", str(path), "--dry-run", "--language", "en"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={"DJANGO_DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite:///:memory:"},
        check=False,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "The file is not a readable XLSX workbook" in result.stderr
    assert "CommandError: payments.xlsx: not imported" in result.stderr
