from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from policies.facts import WriteTool
from policies.lookups import MAX_TTL_SECONDS, Lookup
from policies.rules import RulesError, load_rules, packaged_rules, parse_rules
from policies.values import LegacyFormat

PACKAGED = resources.files("policies").joinpath("rules.toml").read_text(encoding="utf-8")


def edited(old: str, new: str) -> str:
    """The packaged rules with one line replaced (the line must exist)."""
    assert old in PACKAGED, old
    return PACKAGED.replace(old, new, 1)


def test_the_packaged_rules_load_and_say_what_a_payroll_bureau_wants() -> None:
    rules = load_rules()
    assert not rules.may_auto_apply("onboard_employee")
    assert not rules.may_auto_apply("update_employee")
    assert not rules.may_auto_apply("create_creditor")
    assert rules.may_auto_apply("register_hours")
    assert rules.journal.max_lines == 1000
    assert rules.journal.review_total_above == Decimal("25000.00")
    assert rules.legacy_formats == {
        "KnPerson.SpNm": LegacyFormat.FLAG_01,
        "AfasContract.WrCt": LegacyFormat.FLAG_01,
        "AfasSalary.TtPy": LegacyFormat.FLAG_01,
        "AfasContract.DaEn": LegacyFormat.DATE_DMY,
    }


def test_W2_open_periods_are_cached_at_most_an_hour() -> None:
    rules = load_rules()
    assert rules.ttl(Lookup.PAYROLL_PERIODS) <= timedelta(hours=1)
    assert rules.ttl(Lookup.BOOKING_PERIODS) <= timedelta(hours=1)
    assert rules.ttl(Lookup.CURRENT_VALUES) == timedelta(0)


def test_every_lookup_has_a_cap() -> None:
    assert set(MAX_TTL_SECONDS) == set(Lookup)


def test_packaged_rules_are_loaded_once() -> None:
    assert packaged_rules() is packaged_rules()


@pytest.mark.parametrize(
    ("tool", "threshold", "per_hour"),
    [
        ("onboard_employee", 0.9, 10),
        ("register_hours", 0.8, 200),
        ("delete_everything", 0.8, 60),
    ],
    ids=[
        "a tool with its own numbers gets them",
        "a tool without its own threshold gets the default threshold",
        "an unknown tool gets the defaults",
    ],
)
def test_per_tool_numbers_fall_back_to_the_defaults(
    tool: str, threshold: float, per_hour: int
) -> None:
    rules = load_rules()
    assert rules.threshold_for(tool) == threshold
    assert rules.budget_for(tool).per_hour == per_hour


def test_an_unknown_tool_may_not_auto_apply() -> None:
    assert not load_rules().may_auto_apply("delete_everything")


def test_a_path_replaces_the_packaged_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(edited("max_lines = 1000", "max_lines = 200"), encoding="utf-8")
    assert load_rules(path).journal.max_lines == 200
    assert load_rules(str(path)).journal.max_lines == 200


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"nope\.toml: cannot read the rules file"):
        load_rules(tmp_path / "nope.toml")


def test_a_file_that_is_not_toml_is_a_clear_error() -> None:
    with pytest.raises(RulesError, match=r"my-rules\.toml: not valid TOML"):
        parse_rules("version = = 1", source="my-rules.toml")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "max_lines = 1000",
            "max_lines = 5000",
            "key 'journal.max_lines': Input should be less than or equal to 1000 (got 5000)",
        ),
        ("max_lines = 1000", "max_lines = 0", "key 'journal.max_lines'"),
        ("max_lines = 1000", "", "key 'journal.max_lines': Field required"),
        (
            "max_lines = 1000",
            "max_lines = 1000\nmax_line = 3",
            "key 'journal.max_line': Extra inputs",
        ),
        (
            "payroll_periods = 900",
            "payroll_periods = 7200",
            "key 'lookup_ttl_seconds': Value error, payroll_periods: 7200 s is more than the "
            "3600 s allowed",
        ),
        (
            "current_values = 0",
            "current_values = 5",
            "current_values: 5 s is more than the 0 s allowed",
        ),
        ("employers = 3600", "", "name every lookup; missing: employers"),
        ("employers = 3600", "employers = -1", "key 'lookup_ttl_seconds.employers'"),
        ("employers = 3600", "employer = 3600", "key 'lookup_ttl_seconds.employer'"),
        (
            "log_activity = true",
            "",
            "key 'auto_apply': Value error, name every write tool; missing: log_activity",
        ),
        (
            "onboard_employee = false",
            "onboard_employe = false",
            "key 'auto_apply.onboard_employe': Input should be",
        ),
        (
            "default_threshold = 0.8",
            "default_threshold = 1.5",
            "key 'confidence.default_threshold'",
        ),
        ("review_factor = 0.5", "review_factor = 0", "key 'confidence.review_factor'"),
        (
            "onboard_employee = { per_hour = 10, hard_per_hour = 30 }",
            "onboard_employee = { per_hour = 10, hard_per_hour = 5 }",
            "key 'write_budget.per_tool.onboard_employee': Value error, hard_per_hour (5) must be "
            "at least per_hour (10)",
        ),
        (
            '"KnPerson.SpNm" = "flag_01"',
            '"KnPerson.SpNm" = "yes_no"',
            "key 'legacy_formats.KnPerson.SpNm'",
        ),
        ('"KnPerson.SpNm" = "flag_01"', '"SpNm" = "flag_01"', "keys must be 'Object.Field'"),
        (
            'AfasTimeTable = ["@DaBg", "HrWk"]',
            "",
            "key 'hire_required_fields': Value error, name exactly the hire sub-objects",
        ),
        ('AfasTimeTable = ["@DaBg", "HrWk"]', "AfasTimeTable = []", "empty: ['AfasTimeTable']"),
        ('max_per_day = "24"', 'max_per_day = "25"', "key 'hours.max_per_day'"),
        ("review_days_above = 31", "review_days_above = 0", "key 'leave.review_days_above'"),
        ("version = 1", "version = 2", "key 'version'"),
    ],
    ids=[
        "more than 1000 journal lines is refused",
        "zero journal lines is refused",
        "a missing key is named",
        "a misspelt key is named, not ignored",
        "W2 open periods cached longer than an hour are refused",
        "current values must be read fresh",
        "every lookup needs a lifetime",
        "a negative lifetime is refused",
        "an unknown lookup is named",
        "every tool must say whether it auto-applies",
        "a misspelt tool name is named",
        "a threshold above 1 is refused",
        "a review factor of 0 is refused",
        "a hard cap below the budget is refused",
        "an unknown legacy format is named",
        "a legacy-format key without an object is refused",
        "every hire sub-object must be named",
        "a hire sub-object without required fields is refused",
        "more than 24 hours a day is refused",
        "a leave review limit of 0 is refused",
        "an unknown rules version is refused",
    ],
)
def test_a_bad_rules_file_is_refused_with_the_key_named(old: str, new: str, message: str) -> None:
    with pytest.raises(RulesError, match=re.escape(message)) as refused:
        parse_rules(edited(old, new), source="ops/rules.toml")
    assert str(refused.value).startswith("ops/rules.toml: ")


def test_every_write_tool_has_an_auto_apply_answer() -> None:
    rules = load_rules()
    assert set(rules.auto_apply) == set(WriteTool)
