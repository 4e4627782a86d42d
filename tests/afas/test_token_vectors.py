"""W6: every accepted form of the classic token becomes exactly AFAS's published header."""

from __future__ import annotations

import base64

import pytest

from server.afas._token import TokenFormatError, token_header

# AFAS's published test vectors (afas-api.md §2.2): token XML -> Authorization header value.
TV1 = (
    "<token><version>1</version><data>"
    "54740093832496081845474abcdefghijklmnopq740093832496081841234127</data></token>",
    "AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+NTQ3NDAwOTM4MzI0OTYwODE4NDU0NzRhYmN"
    "kZWZnaGlqa2xtbm9wcTc0MDA5MzgzMjQ5NjA4MTg0MTIzNDEyNzwvZGF0YT48L3Rva2VuPg==",
)
TV2 = (
    "<token><version>1</version><data>"
    "949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2</data></token>",
    "AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+OTQ5QzFBOUNEOUFFNDc5Nzk1MEQ5NEY1NUE3QTR"
    "EMDU2NzcwNDcyRDQ5NjNDQjlBOEQzODAwQkVFMENDRTZBMjwvZGF0YT48L3Rva2VuPg==",
)
TV3 = (
    "<token><version>1</version><data>"
    "ADE370BE8DAF40D0A17FFB914E42675E9998C2D546A2F4FA3E4F3ABFA867B96F</data></token>",
    "AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+QURFMzcwQkU4REFGNDBEMEExN0ZGQjkxNEU0MjY"
    "3NUU5OTk4QzJENTQ2QTJGNEZBM0U0RjNBQkZBODY3Qjk2RjwvZGF0YT48L3Rva2VuPg==",
)
VECTORS = pytest.mark.parametrize(("xml", "header"), [TV1, TV2, TV3], ids=["TV1", "TV2", "TV3"])


@VECTORS
def test_W6_token_xml_gives_the_published_header(xml: str, header: str) -> None:
    assert token_header(xml) == header


@VECTORS
def test_W6_base64_of_the_xml_gives_the_published_header(xml: str, header: str) -> None:
    assert token_header(header.removeprefix("AfasToken ")) == header


@VECTORS
def test_W6_full_header_value_is_accepted_unchanged(xml: str, header: str) -> None:
    assert token_header(header) == header


@pytest.mark.parametrize(("xml", "header"), [TV2, TV3], ids=["TV2", "TV3"])
def test_W6_hex_data_part_is_wrapped_in_the_xml(xml: str, header: str) -> None:
    data = xml.partition("<data>")[2].partition("</data>")[0]
    assert token_header(data) == header


def test_W6_surrounding_whitespace_and_the_otp_crlf_are_ignored() -> None:
    xml, header = TV2
    assert token_header(f"  {xml}\r\n") == header
    assert token_header(xml.replace("<data>", "\n  <data>")) == header


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "hello",
        "949C1A9CD9AE4797",  # too short for a data part
        "<token><data>949C1A9CD9AE4797950D94F55A7A4D056770472D4963CB9A8D3800BEE0CCE6A2</data>",
        base64.b64encode(b"not a token at all").decode(),
    ],
)
def test_W6_anything_else_is_refused(bad: str) -> None:
    with pytest.raises(TokenFormatError):
        token_header(bad)


def test_W6_base64_of_the_data_part_alone_is_refused_with_the_reason() -> None:
    data = TV3[0].partition("<data>")[2].partition("</data>")[0]
    with pytest.raises(TokenFormatError, match="data part alone"):
        token_header(base64.b64encode(data.encode()).decode())


def test_W6_the_misspelt_documentation_example_is_named() -> None:
    broken = base64.b64encode(TV3[0].replace("</version>", "</versioN>").encode()).decode()
    with pytest.raises(TokenFormatError, match="versioN"):
        token_header(broken)


def test_W6_refusal_never_repeats_the_value() -> None:
    secret = "<token><version>1</version><data>" + "Z" * 70 + "</data></token>"
    with pytest.raises(TokenFormatError) as caught:
        token_header(secret)
    assert "Z" * 20 not in str(caught.value)
