"""finance/formatting.py: figures as users read them; a figure that rounds to zero carries no sign,
and growth on the same period says 同比增长 or 同比下降 by its sign (SPEC §4.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from finance import formatting

D = Decimal


@pytest.mark.parametrize(
    ("formatter", "value", "shown"),
    [
        (formatting.signed, D("-0.004"), "0.00"),  # rounds to zero: no "-0.00"
        (formatting.signed, D("0"), "0.00"),  # and no "+0.00"
        (formatting.signed, D("-0.0049"), "0.00"),
        (formatting.signed, D("1.4925"), "+1.49"),
        (formatting.signed, D("-3"), "-3.00"),
        (formatting.percent, D("-0.0004"), "0.0%"),  # −0.04 % rounds to 0.0 %
        (formatting.percent, D("0.8163"), "81.6%"),
        (formatting.wan_yuan, D("-49"), "0.00"),  # −49 元 = −0.0049 万元
        (formatting.yi_yuan, D("-100"), "0.00"),
        (formatting.number, D("-0.04"), "0.0"),
        (formatting.number, D("-18.51"), "-18.5"),
    ],
)
def test_a_figure_that_rounds_to_zero_shows_without_a_sign(formatter, value, shown):
    assert formatter(value) == shown


def test_signed_keeps_one_decimal_when_asked():
    assert formatting.signed(D("-0.04"), 1) == "0.0"
    assert formatting.signed(D("-0.05"), 1) == "-0.1"  # half away from zero


@pytest.mark.parametrize(
    ("ratio", "zh", "en"),
    [
        (D("0.066"), "同比增长 6.6%", "up 6.6% on the same period last year"),
        (D("-0.066"), "同比下降 6.6%", "down 6.6% on the same period last year"),
        (D("-0.0004"), "与上年同期持平", "unchanged on the same period last year"),
    ],
)
def test_growth_says_up_or_down_by_its_sign(ratio, zh, en):
    with translation.override("zh-hans"):
        assert formatting.growth(ratio) == zh
    with translation.override("en"):
        assert formatting.growth(ratio) == en
    assert formatting.growth(None) == "—"


def test_template_filters_use_the_same_formatters():
    template = Template("{% load money %}{{ a|signed:1 }} {{ b|number }} {{ c|growth }}")

    with translation.override("zh-hans"):
        shown = template.render(Context({"a": D("-0.01"), "b": D("-0.04"), "c": D("0.25")}))

    assert shown == "0.0 0.0 同比增长 25.0%"
