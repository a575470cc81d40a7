"""The checks of a target declaration (SPEC §13), each at its edge, with figures worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from projects.targets.checks import Quota, Row, Standard, check

D = Decimal


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English."""
    with translation.override("en"):
        yield


def row(
    line, name, *, level1="产出指标", direction="gte", target="100", unit="人", weight="30", level2="数量指标"
):
    return Row(
        level1=level1,
        level2=level2,
        name=name,
        direction=direction,
        target_value=None if target is None else D(target),
        measure_unit=unit,
        weight=D(weight),
        line=line,
    )


def sound(weight_of_last="30"):
    """Output 30 + cost 30 + benefit (qualitative) weight_of_last: 90 when it is 30."""
    return [
        row(1, "服务覆盖人次", weight="30"),
        row(
            2,
            "单位服务成本",
            level1="成本指标",
            level2="经济成本指标",
            direction="lte",
            unit="元",
            weight="30",
        ),
        row(
            3,
            "社会效益",
            level1="效益指标",
            level2="社会效益指标",
            direction="qualitative",
            target=None,
            unit="",
            weight=weight_of_last,
        ),
    ]


def codes(findings):
    return [finding.code for finding in findings]


@pytest.mark.parametrize(
    ("last", "ok"),
    [("29.99", False), ("30", True), ("30.01", False)],
    ids=["89.99", "90", "90.01"],
)
def test_weights_must_sum_to_exactly_90(last, ok):
    found = check(sound(last))
    assert (codes(found.errors) == []) is ok
    if not ok:
        (error,) = found.errors
        assert error.code == "weights"
        total = D(60) + D(last)
        assert str(total.normalize()) in error.message  # 89.99 / 90.01
        assert error.lines == (1, 2, 3)
        assert ("-0.01" if last == "30.01" else "0.01") in error.message  # how much to change


def test_quantitative_indicators_need_a_target_and_a_unit():
    rows = sound()
    rows[0] = row(1, "服务覆盖人次", target=None, unit=" ")
    rows[1] = row(2, "单位服务成本", level1="成本指标", direction="lte", unit="")
    found = check(rows)
    assert codes(found.errors) == ["quantitative", "quantitative"]
    assert (
        "Row 1" in found.errors[0].message and "target value and a unit of measure" in found.errors[0].message
    )
    assert "Row 2" in found.errors[1].message and "target value" not in found.errors[1].message
    # A qualitative indicator needs neither.
    assert check(sound()).errors == []


def test_an_output_and_a_benefit_indicator_are_needed():
    rows = sound()
    no_output = [
        rows[1],
        rows[2],
        row(4, "满意度", level1="满意度指标", direction="gte", unit="%", weight="30"),
    ]
    assert codes(check(no_output).errors) == ["output"]
    no_benefit = [rows[0], rows[1], row(3, "满意度", level1="满意度指标", weight="30")]
    assert codes(check(no_benefit).errors) == ["benefit"]
    assert codes(check([]).errors) == ["weights", "output", "benefit"]


def test_no_two_indicators_share_a_name():
    rows = sound()
    rows[1] = row(2, " 服务覆盖人次 ", level1="成本指标", direction="lte", unit="元")
    found = check(rows)
    assert codes(found.errors) == ["duplicate"]
    assert found.errors[0].lines == (1, 2)
    assert "Rows 1, 2" in found.errors[0].message


TEMPLATE = [
    Standard("产出指标", "数量指标", "服务覆盖人次", "gte", D("100"), "人", D("30")),
    Standard("成本指标", "经济成本指标", "单位服务成本", "lte", D("100"), "元", D("30")),
    Standard("效益指标", "社会效益指标", "社会效益", "qualitative", None, "", D("30")),
]


def test_following_the_template_raises_no_warning():
    assert check(sound(), template=TEMPLATE).warnings == []


def test_a_template_indicator_left_out_warns():
    rows = sound()
    rows[1] = row(2, "单位成本（其他口径）", level1="成本指标", direction="lte", unit="元")
    found = check(rows, template=TEMPLATE)
    assert found.errors == []
    assert codes(found.warnings) == ["template_missing"]
    assert "单位服务成本" in found.warnings[0].message


@pytest.mark.parametrize(
    ("name", "direction", "target", "weaker"),
    [
        ("服务覆盖人次", "gte", "100", False),  # exactly the template's
        ("服务覆盖人次", "gte", "99.9999", True),  # lower for ≥
        ("服务覆盖人次", "gte", "150", False),  # stronger
        ("单位服务成本", "lte", "100", False),
        ("单位服务成本", "lte", "100.0001", True),  # higher for ≤
        ("单位服务成本", "lte", "80", False),
    ],
)
def test_a_target_weaker_than_the_templates_warns(name, direction, target, weaker):
    rows = sound()
    index = 0 if name == "服务覆盖人次" else 1
    level1 = "产出指标" if index == 0 else "成本指标"
    rows[index] = row(index + 1, name, level1=level1, direction=direction, target=target)
    found = check(rows, template=TEMPLATE)
    assert codes(found.warnings) == (["weaker"] if weaker else [])
    if weaker:
        assert f"Row {index + 1}" in found.warnings[0].message


def quota(budget):
    # 3,000 pupils × 870 yuan = 2,610,000 yuan.
    return Quota(
        budget=D(budget),
        amount=D("870"),
        quantity=D("3000"),
        standard_name="生均公用经费（幼儿园）",
        measure_unit="人",
    )


@pytest.mark.parametrize(
    ("budget", "warns"),
    [
        ("2610000", False),
        ("2740239.00", False),  # +4.99 %: 2,610,000 × 1.0499
        ("2479761.00", False),  # −4.99 %
        ("2740500.00", False),  # +5.00 % exactly: not more than 5 %
        ("2740761.00", True),  # +5.01 %
        ("2479239.00", True),  # −5.01 %
    ],
)
def test_the_quota_check_warns_beyond_5_percent(budget, warns):
    found = check(sound(), quota=quota(budget))
    assert codes(found.warnings) == (["quota"] if warns else [])
    if warns:
        message = found.warnings[0].message
        assert "2,610,000.00" in message and "5.01 %" in message and "3,000" in message


@override_settings(QUOTA_TOLERANCE=D("0.10"))
def test_the_quota_tolerance_is_a_setting():
    assert check(sound(), quota=quota("2740761.00")).warnings == []
    assert codes(check(sound(), quota=quota("2871261.00")).warnings) == ["quota"]  # +10.01 %


def test_a_quota_of_zero_warns_only_for_a_budget():
    zero = Quota(budget=D("0"), amount=D("0"), quantity=D("10"), standard_name="x", measure_unit="人")
    assert check(sound(), quota=zero).warnings == []
    some = Quota(budget=D("1"), amount=D("0"), quantity=D("10"), standard_name="x", measure_unit="人")
    assert codes(check(sound(), quota=some).warnings) == ["quota"]
