"""Every AFAS failure mode of quirks.md as a named switch, and the profiles that group them.

Switch ids start with the quirk id (`R12_one_indexed_skip`). Where a quirk is inherent to AFAS,
"off" is the idealised API (R7 off: real UTC; R8 off: a total count in the response).

Profiles:
- `docs`: only what AFAS documents (every switch whose source includes "doc").
- `realistic`: `docs` plus the seed claims believed real (R1 R3 R4 R5 R6 R9 W1-W5 W7-W10 W12 W13).
- `hostile`: every switch, including seed claims that contradict the docs.

`side` says who implements the behaviour: "read" and "auth" switches act in this package's
read path; "write" switches are registered here and implemented by the UpdateConnector side.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

Profile = Literal["docs", "realistic", "hostile"]
PROFILES: tuple[Profile, ...] = ("docs", "realistic", "hostile")
Side = Literal["read", "auth", "write", "log"]


@dataclass(frozen=True)
class Quirk:
    """One switch: what it makes the simulator do, where the claim comes from, who implements it."""

    id: str
    description: str
    source: str  # "doc", "seed", "doc+seed" or "3p" (a third-party client's observation)
    documented: bool  # AFAS documents this behaviour: on in the docs profile
    realistic: bool  # on in the realistic profile
    side: Side

    @property
    def profiles(self) -> frozenset[Profile]:
        on: set[Profile] = {"hostile"}
        if self.documented:
            on.add("docs")
        if self.realistic:
            on.add("realistic")
        return frozenset(on)


def _q(
    id_: str,
    source: str,
    side: Side,
    description: str,
    *,
    realistic: bool = False,
    documented: bool | None = None,
) -> Quirk:
    documented = "doc" in source if documented is None else documented
    return Quirk(id_, description, source, documented, realistic or documented, side)


REGISTRY: tuple[Quirk, ...] = (
    _q(
        "R1_wage_tax_blank_for_terminated",
        "seed",
        "read",
        (
            "AfasMcp_Employees.WageTaxNumber is null for terminated employees; "
            "AfasMcp_EmployeeFiscal keeps it."
        ),
        realistic=True,
    ),
    _q(
        "R2_bad_filter_empty_200",
        "seed",
        "read",
        (
            "An unknown filter field or operator answers 200 with rows [] instead of the "
            "documented 500."
        ),
    ),
    _q(
        "R3_child_changes_keep_parent_date",
        "seed",
        "write",
        (
            "A change to a contract, salary or address leaves the employee's ModifiedDate where "
            "it was (the write side calls Environment.note_child_change)."
        ),
        realistic=True,
    ),
    _q(
        "R4_dutch_decimal_strings",
        "seed",
        "read",
        (
            'A fixed set of decimal fields comes back as Dutch strings like "1.234,56" (see '
            "DUTCH_DECIMAL_FIELDS in docs/simulator.md)."
        ),
        realistic=True,
    ),
    _q(
        "R5_shell_rows",
        "seed",
        "read",
        (
            "Blocked and deleted records come back as shells (key set, everything else null) "
            "instead of in full or not at all."
        ),
        realistic=True,
    ),
    _q(
        "R6_connector_drift",
        "seed",
        "read",
        (
            "An administrator may change a connector's fields at run time "
            "(Simulator.trigger_drift); off: shapes never change and trigger_drift refuses."
        ),
        realistic=True,
    ),
    _q(
        "R7_local_time_with_z",
        "doc",
        "read",
        "Dates are Amsterdam local time with a misleading Z; off: real UTC.",
    ),
    _q(
        "R8_no_total_count",
        "doc",
        "read",
        'No total count: the end is a short page; off: responses carry "total".',
    ),
    _q(
        "R9_stale_cache_under_concurrency",
        "seed",
        "read",
        (
            "A read that overlaps another of the same connector and token gets the earlier cached"
            " payload (reads are slowed a little so overlaps happen)."
        ),
        realistic=True,
    ),
    _q(
        "R10_token_valid_in_sibling_environment",
        "seed",
        "auth",
        (
            "A sibling environment (another company) is served under "
            "/{sibling_id}/ProfitRestServices and accepts the same token."
        ),
    ),
    _q(
        "R11_tokens_never_expire",
        "doc+seed",
        "auth",
        (
            "Classic tokens have no lifetime of their own and die only when revoked; metainfo"
            ' tokenExpiry is "0", except that from 1 September 2026 (the tenant\'s today) it is'
            ' the phase-out date "2027-05-01T00:00:00"; off: every classic token reports an'
            " expiry a year from today."
        ),
    ),
    _q(
        "R12_one_indexed_skip",
        "seed",
        "read",
        (
            "skip is one-indexed: skip=0 and skip=1 both start at the first record, skip=k at "
            "record k."
        ),
    ),
    _q(
        "R13_take_capped_at_1000",
        "seed",
        "read",
        "take is silently capped at 1000 rows.",
    ),
    _q(
        "R13_out_of_memory_over_cell_budget",
        "doc",
        "read",
        'A page whose rows x columns exceed the cell budget fails with 500 "Out of memory".',
    ),
    _q(
        "R14_string_operator_unfiltered",
        "seed",
        "read",
        "A non-integer operator type returns the unfiltered table instead of a 500.",
    ),
    _q(
        "R15_unstable_order_without_orderby",
        "doc",
        "read",
        ("Without orderbyfieldids the row order changes from call to call; off: insertion order."),
    ),
    _q(
        "R16_long_query_404",
        "doc",
        "read",
        "A query string over 2049 characters answers 404 with an empty body.",
    ),
    _q(
        "R17_slow_large_skip",
        "doc",
        "read",
        "A skip above the threshold (100,000) adds latency.",
    ),
    _q(
        "R18_x_profit_error_header",
        "doc",
        "read",
        (
            "500s also carry the obsolete X-PROFIT-ERROR header, with a text that differs from "
            "the body."
        ),
    ),
    _q(
        "W1_missing_employer_defaults_to_first",
        "seed",
        "write",
        (
            "An employee insert without an employer (CmId) lands under the first employer, with "
            "success."
        ),
        realistic=True,
    ),
    _q(
        "W2_closed_period_accepted",
        "seed",
        "write",
        "A payroll mutation into a closed payroll period is accepted.",
        realistic=True,
    ),
    _q(
        "W3_foreign_period_table_accepted",
        "seed",
        "write",
        "A period table the employer does not use is accepted (and later ignored by payroll).",
        realistic=True,
    ),
    _q(
        "W4_matchper_7_always_inserts",
        "doc+seed",
        "write",
        "MatchPer 7 always inserts a new person, so a rerun creates a duplicate.",
    ),
    _q(
        "W5_balance_not_recalculated_by_default",
        "seed",
        "write",
        "Without CalculateBalance a new employee stays out of the payroll preview.",
        realistic=True,
    ),
    _q(
        "W6_plain_token_500",
        "doc",
        "auth",
        "A token sent as plain text (not Base64) answers 500 (AFAS from end-2025); off: 401.",
    ),
    _q(
        "W6_hex_only_token_accepted",
        "seed",
        "auth",
        (
            "Base64 of only the 64-hex data part is accepted: 200 on reads, empty rows on "
            "filtered reads; off: 401."
        ),
    ),
    _q(
        "W7_legacy_field_formats",
        "seed",
        "write",
        'Some fields want "1"/"0" and dd-MM-yyyy; ISO values are stored but mishandled.',
        realistic=True,
    ),
    _q(
        "W8_house_number_addition_dropped",
        "seed",
        "write",
        'A house number like "12A" in HmNr silently loses the addition.',
        realistic=True,
    ),
    _q(
        "W9_parallel_inserts_share_employee_id",
        "seed",
        "write",
        "Parallel employee inserts can be given the same generated employee id.",
        realistic=True,
    ),
    _q(
        "W10_unknown_function_lands_null",
        "seed",
        "write",
        "A function code not in the employer's table is stored and reads back as no function.",
        realistic=True,
    ),
    _q(
        "W11_rate_limit",
        "seed",
        "read",
        ("A per-token rate limit (Settings.rate_limit_per_minute): over it, 503 with retry_after."),
    ),
    _q(
        "W12_short_period_code_ignored",
        "seed",
        "write",
        'A three-letter period code ("MND") is accepted and ignored.',
        realistic=True,
    ),
    _q(
        "W13_empty_string_stored",
        "doc+seed",
        "write",
        'An empty string is stored as an empty value, not as "no value".',
    ),
    _q(
        "W14_log_shows_request_not_stored",
        "seed",
        "log",
        "The Profit log shows what was sent, never what was stored after defaulting.",
    ),
    _q(
        "W15_transient_lock_500",
        "doc",
        "write",
        (
            'A FiEntries post can fail with a transient "locked by another user" 500 that '
            "succeeds on retry."
        ),
    ),
    _q(
        "W16_keeps_processing_after_timeout",
        "doc",
        "write",
        "A write whose client timed out is still applied.",
    ),
    _q(
        "W17_no_request_bodies_in_log",
        "doc",
        "log",
        "The Profit log holds no request bodies; off: it keeps them.",
    ),
    _q(
        "W18_fientries_rules",
        "doc",
        "write",
        (
            "FiEntries: insert and delete only, must balance, at most ~1,000 lines, blocked "
            "periods answer 500, allocation where the account demands it."
        ),
    ),
    _q(
        "W19_incomplete_hire_rejected",
        "doc",
        "write",
        (
            "An employee insert without contract, function, schedule, salary and fiscal sub-"
            "objects is refused."
        ),
    ),
    _q(
        "W20_unchanged_value_update_fails",
        "3p",
        "write",
        "An update that re-sends an unchanged value of a unique field fails.",
    ),
    # Partners must send IntegrationId, but nothing says the server enforces it: hostile only.
    _q(
        "W21_integration_id_required",
        "doc",
        "read",
        "Requests without an IntegrationId header are refused with 500.",
        documented=False,
    ),
)

BY_ID: dict[str, Quirk] = {q.id: q for q in REGISTRY}


def profile_switches(profile: Profile) -> frozenset[str]:
    """The switch ids that are on in a profile."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    return frozenset(q.id for q in REGISTRY if profile in q.profiles)


class UnknownQuirk(KeyError):
    """A switch id that is not in the registry."""


class QuirkSwitches:
    """The live on/off state of every switch; starts from a profile, adjustable at run time."""

    def __init__(self, profile: Profile = "realistic") -> None:
        self._lock = threading.Lock()
        self._initial: Profile = profile
        self._profile: Profile = profile
        self._on = set(profile_switches(profile))

    @property
    def profile(self) -> Profile:
        return self._profile

    def use_profile(self, profile: Profile) -> None:
        """Switch to a profile's defaults, dropping any individual changes."""
        switches = profile_switches(profile)
        with self._lock:
            self._profile = profile
            self._on = set(switches)

    def reset(self) -> None:
        """Back to the profile the switches started with, without individual changes."""
        self.use_profile(self._initial)

    def enable(self, *ids: str) -> None:
        with self._lock:
            self._on.update(_check(ids))

    def disable(self, *ids: str) -> None:
        with self._lock:
            self._on.difference_update(_check(ids))

    def set(self, quirk_id: str, on: bool) -> None:
        (self.enable if on else self.disable)(quirk_id)

    def is_on(self, quirk_id: str) -> bool:
        _check((quirk_id,))
        return quirk_id in self._on

    def on(self) -> frozenset[str]:
        """The ids of every switch that is on now."""
        with self._lock:
            return frozenset(self._on)


def _check(ids: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [quirk_id for quirk_id in ids if quirk_id not in BY_ID]
    if unknown:
        raise UnknownQuirk(f"unknown quirk switch(es) {unknown}; see simulator.quirks.REGISTRY")
    return ids
