from __future__ import annotations

import io

from server.check import main


def run(environ: dict[str, str], *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), environ=environ, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_bad_configuration_exits_2_naming_the_variable_and_not_the_token() -> None:
    secret = "definitely-not-a-token-0123456789"
    code, out, err = run(
        {"AFAS_ENVIRONMENT_ID": "12345", "AFAS_ENVIRONMENT_TYPE": "test", "AFAS_TOKEN": secret}
    )
    assert code == 2
    assert out == ""
    assert err.startswith("afas-mcp check: FAILED: configuration: AFAS_TOKEN: ")
    assert secret not in err
