from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import pytest
from store_helpers import ALLOW, FakeClock, make_intent

from server.store import Scrubber, SecretInPayload, WriteError, WriteStatus
from server.store import WriteStore as Store
from server.store.scrub import REDACTED

S = WriteStatus

# What a live server holds. The AFAS token travels as "AfasToken " + Base64 of the XML.
AFAS_TOKEN_XML = "<token><version>1</version><data>D5A4F3E2C1B0A9F8E7D6C5B4A3</data></token>"
AFAS_HEADER = "AfasToken " + base64.b64encode(AFAS_TOKEN_XML.encode()).decode()
BEARER = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZmFzIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
CLIENT_SECRET = "cs-7f3a9e1b2c4d5e6f"
REGISTERED = "s3cr3t-integration-passphrase"


SCRUB_CASES = [
    pytest.param(
        {"Authorization": AFAS_HEADER}, {"Authorization": REDACTED}, id="afas_token_header"
    ),
    pytest.param(
        {"headers": {"authorization": f"Bearer {BEARER}"}},
        {"headers": {"authorization": REDACTED}},
        id="bearer_header_lowercase",
    ),
    pytest.param(
        {"access_token": BEARER, "expires_in": 3600},
        {"access_token": REDACTED, "expires_in": 3600},
        id="oauth_access_token_field",
    ),
    pytest.param(
        {"Client-Secret": CLIENT_SECRET},
        {"Client-Secret": REDACTED},
        id="client_secret_header_spelling",
    ),
    pytest.param(
        {"password": None, "token": ""},
        {"password": None, "token": ""},
        id="empty_secret_fields_stay_empty",
    ),
    pytest.param(
        f"upstream said: Authorization: Bearer {BEARER}",
        "upstream said: Authorization: [REDACTED]",
        id="bearer_quoted_in_an_error_message",
    ),
    pytest.param(
        f"grant_type=client_credentials&client_secret={CLIENT_SECRET}&scope=x",
        "grant_type=client_credentials&client_secret=[REDACTED]&scope=x",
        id="client_secret_in_a_form_body",
    ),
    pytest.param(
        f'{{"client_secret": "{CLIENT_SECRET}"}}',
        '{"client_secret": "[REDACTED]"}',
        id="client_secret_in_json_text",
    ),
    pytest.param(
        f"sent {AFAS_TOKEN_XML} to AFAS", "sent [REDACTED] to AFAS", id="afas_xml_token_in_text"
    ),
    pytest.param(
        f"header was {AFAS_HEADER}",
        "header was AfasToken [REDACTED]",
        id="afas_token_scheme_in_text",
    ),
    pytest.param(
        "Bearer bonds, 1,000 EUR",
        "Bearer bonds, 1,000 EUR",
        id="ordinary_words_after_bearer_are_kept",
    ),
    pytest.param(
        {"EmId": "E1", "Salary": 4200.5, "Active": True},
        {"EmId": "E1", "Salary": 4200.5, "Active": True},
        id="ordinary_payload_is_untouched",
    ),
]


@pytest.mark.parametrize(("raw", "kept"), SCRUB_CASES)
def test_scrubber_removes_secrets_by_name_and_shape(raw: object, kept: object) -> None:
    assert Scrubber().scrub(raw) == kept


def test_a_registered_secret_is_removed_wherever_it_appears_also_in_base64() -> None:
    scrubber = Scrubber([REGISTERED, AFAS_TOKEN_XML])
    b64 = base64.b64encode(REGISTERED.encode()).decode()
    data_part = "D5A4F3E2C1B0A9F8E7D6C5B4A3"
    scrubbed = scrubber.scrub(
        {"note": f"x{REGISTERED}y", "blob": b64, "list": [data_part], REGISTERED: 1}
    )
    assert scrubbed == {
        "note": "x[REDACTED]y",
        "blob": REDACTED,
        "list": [REDACTED],
        REDACTED: 1,
    }


def test_a_short_secret_is_refused_rather_than_matched_everywhere() -> None:
    with pytest.raises(ValueError, match="at least 8"):
        Scrubber().register("abc")


def test_bytes_and_objects_are_scrubbed_too() -> None:
    scrubber = Scrubber([REGISTERED])
    assert scrubber.scrub(f"body={REGISTERED}".encode()) == "body=[REDACTED]"
    assert scrubber.scrub(WriteError(message=f"bad {REGISTERED}")) == {
        "message": "bad [REDACTED]",
        "error_number": None,
        "log_reference": None,
        "http_status": None,
    }


def test_a_payload_carrying_a_secret_is_refused_not_stored(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path, clock=clock, scrubber=Scrubber([REGISTERED])) as store:
        leaky = make_intent(body={"KnSubject": {"Element": {"Fields": {"Ds": REGISTERED}}}})
        with pytest.raises(SecretInPayload, match=r"body\.KnSubject\.Element\.Fields\.Ds"):
            store.record(leaky, verdicts=[ALLOW], confidence=1.0)
        assert store.list_writes() == []


def test_W17_audit_keeps_bodies_without_secrets(db_path: Path, clock: FakeClock) -> None:
    scrubber = Scrubber()
    with Store(db_path, clock=clock, scrubber=scrubber) as store:
        scrubber.register(REGISTERED)  # live: registered after the store was opened
        record = store.record(make_intent(), verdicts=[ALLOW], confidence=1.0)
        store.claim_for_sending(record.id, expected=S.RECORDED)
        store.mark_unknown(
            record.id,
            error=WriteError(message=f"timeout talking to AFAS as {REGISTERED}"),
            request={
                "method": "POST",
                "url": "https://12345.rest.afas.online/ProfitRestServices/connectors/KnEmployee",
                "headers": {"Authorization": AFAS_HEADER, "IntegrationId": "38154_240451"},
                "body": {"AfasEmployee": {"Element": {"@EmId": "E77", "Fields": {"CmId": "100"}}}},
            },
        )
        store.reconcile(
            record.id,
            found=True,
            afas_keys={"EmId": "E77"},
            response={
                "oauth": {"access_token": BEARER, "client_secret": CLIENT_SECRET},
                "log": f"Authorization: Bearer {BEARER}; retried with {AFAS_TOKEN_XML}",
                "rows": [{"EmId": "E77", "CmId": "100"}],
            },
        )
        store.mark_drift(
            record.id, diffs=[{"field": "Note", "expected": REGISTERED, "actual": "x"}]
        )
        trail = store.audit_trail(record.id)
        _checkpoint(db_path)
    # The request body is kept (W17) ...
    assert trail[2].detail["request"]["body"]["AfasEmployee"]["Element"]["@EmId"] == "E77"
    assert trail[3].detail["response"]["rows"] == [{"EmId": "E77", "CmId": "100"}]
    # ... and no byte of the database holds a secret, in any encoding we know it travels in.
    data = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert b"E77" in data
    for secret in (
        AFAS_HEADER.removeprefix("AfasToken "),
        AFAS_TOKEN_XML,
        "D5A4F3E2C1B0A9F8E7D6C5B4A3",
        BEARER,
        CLIENT_SECRET,
        REGISTERED,
        base64.b64encode(REGISTERED.encode()).decode(),
    ):
        assert secret.encode() not in data, f"{secret[:12]}... leaked into the database"


def _checkpoint(db_path: Path) -> None:
    """Fold the WAL into the main file, so the byte scan covers everything written."""
    conn = sqlite3.connect(db_path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0
    finally:
        conn.close()
