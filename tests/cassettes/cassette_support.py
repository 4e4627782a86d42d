"""Replaying cassettes in tests: vcrpy set up for the afas-json format (this module holds no tests).

Requests match on method, path, query and JSON body, never on host or port: the simulator
listens on an ephemeral port and a user's cassette names another environment's host. Cassettes
replay with `record_mode="none"` (an unrecorded request fails) and
`allow_playback_repeats=False` (each recorded answer is used once, so a retry the client should
not make fails too), and a cassette whose interactions were not all played fails the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr
from vcr.cassette import Cassette

from server import cassette_format
from server.config import AfasSettings, load_settings

REPO = Path(__file__).resolve().parents[2]
CASSETTES = REPO / "cassettes"
DOCS = CASSETTES / "afas-docs"
SCENARIOS = CASSETTES / "scenarios"
MATCH_ON = ("method", "path", "query", "json_body")
# A token of the right shape for replays: vcrpy answers before anything could send it.
REPLAY_TOKEN = "<token><version>1</version><data>" + "0" * 64 + "</data></token>"


class PartlyPlayed(AssertionError):
    """A cassette still held interactions the test never asked for: it is stale."""


def _parsed(body: Any) -> Any:
    if body in (None, b"", ""):
        return None
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return body


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: bodies equal as JSON (the cassette keeps them pretty, the wire compact)."""
    assert _parsed(r1.body) == _parsed(r2.body), "the request bodies differ"


def make_vcr(**overrides: Any) -> vcr.VCR:
    """A VCR that reads and writes afas-json cassettes and matches as described above."""
    options: dict[str, Any] = {
        "serializer": cassette_format.NAME,
        "record_mode": "none",
        "match_on": MATCH_ON,
        "filter_headers": ["authorization", "cookie"],
        "decode_compressed_response": True,
    }
    options.update(overrides)
    recorder = vcr.VCR(**options)
    recorder.register_serializer(cassette_format.NAME, cassette_format.SERIALIZER)
    recorder.register_matcher("json_body", json_body)
    return recorder


def assert_all_played(cassette: Cassette) -> None:
    """Fail when the cassette holds interactions nothing asked for.

    Raises:
        PartlyPlayed: naming the requests that were not played.
    """
    if cassette.all_played:
        return
    unplayed = [
        f"{request.method} {request.path}"
        for index, (request, _) in enumerate(cassette.data)
        if not cassette.play_counts[index]
    ]
    raise PartlyPlayed(
        f"cassette {Path(cassette._path).name} was only partly played; not asked for: "
        + "; ".join(unplayed)
        + ". Re-record it, or drop what the code no longer requests"
    )


@contextmanager
def replay(path: Path) -> Iterator[Cassette]:
    """Replay one cassette without network; fail on an unknown request or an unplayed one."""
    if not path.is_file():
        raise FileNotFoundError(f"no cassette {path}")
    with make_vcr().use_cassette(str(path), allow_playback_repeats=False) as cassette:
        yield cassette
    assert_all_played(cassette)


def docs_settings(**env: str) -> AfasSettings:
    """Settings for the environment AFAS's own /metainfo example reports (A123456AC)."""
    return load_settings(
        {
            "AFAS_ENVIRONMENT_ID": "123456",
            "AFAS_ENVIRONMENT_TYPE": "accept",
            "AFAS_TOKEN": REPLAY_TOKEN,
            "AFAS_RATE_LIMIT_PER_MINUTE": "0",
            "HOME": "/nonexistent",
            **env,
        }
    ).afas


def stored(path: Path) -> dict[str, Any]:
    """A cassette file as stored (metadata and per-interaction notes included)."""
    return cassette_format.load(path)
