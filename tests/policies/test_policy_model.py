from __future__ import annotations

import dataclasses

from policies.model import Outcome
from policies.testing import hire_intent, hours_facts, hours_intent, with_field


def test_outcomes_are_ordered_so_the_strictest_is_the_max() -> None:
    assert max(Outcome.ALLOW, Outcome.DENY, Outcome.REVIEW) is Outcome.DENY
    assert Outcome.ALLOW < Outcome.REVIEW < Outcome.DENY


def test_the_digest_is_stable_and_ignores_key_order() -> None:
    intent = hours_intent()
    reordered = dataclasses.replace(
        intent,
        body={
            "PtRealization": {
                "Element": {
                    "Fields": dict(
                        reversed(list(intent.body["PtRealization"]["Element"]["Fields"].items()))
                    )
                }
            }
        },
    )
    assert intent.digest == hours_intent().digest == reordered.digest
    assert len(intent.digest) == 64


def test_the_digest_binds_what_reaches_afas_and_nothing_else() -> None:
    intent = hire_intent()
    changed_body = dataclasses.replace(
        intent, body=with_field(intent.body, "AfasContract", "CmId", "02")
    )
    assert changed_body.digest != intent.digest
    assert dataclasses.replace(intent, connector="KnEmployeeGUID").digest != intent.digest
    assert dataclasses.replace(intent, target={"EmId": "1"}).digest != intent.digest
    # Who asked and how sure they were do not change what is sent.
    assert (
        dataclasses.replace(intent, requester="other", source_confidence=0.1).digest
        == intent.digest
    )
    assert dataclasses.replace(intent, facts=hours_facts()).digest == intent.digest
