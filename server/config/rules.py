"""Which policy rule file the write policies use (`[policies] file`, `AFAS_MCP_POLICY_FILE`).

    [policies]
    file = "/etc/afas-mcp/rules.toml"   # [AFAS_MCP_POLICY_FILE] unset: the packaged rules

A configured file replaces the packaged `policies/rules.toml` entirely (start from a copy). It is
loaded and checked with the rest of the configuration, so a bad rule stops the server at start
with the variable and the rule's key named; the MCP resource `afas://policies` serves this file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import policies
from policies import PolicyRules, RulesError, load_rules, packaged_rules
from server.config.source import Source, Var

__all__ = ["POLICY_VARS", "PolicySettings", "packaged_rules_file", "parse_policies"]

_FILE = Var("AFAS_MCP_POLICY_FILE", "policies", "file")
POLICY_VARS = (_FILE,)


def packaged_rules_file() -> Path:
    """The rule file shipped beside the installed `policies` package."""
    return Path(policies.__file__).resolve().parent / "rules.toml"


@dataclass(frozen=True)
class PolicySettings:
    """The policy rules in force (`settings.policies`) and the file they came from."""

    file: Path | None = None
    """The configured rule file; None means the packaged one."""
    rules: PolicyRules = field(default_factory=packaged_rules, repr=False)

    @property
    def source_file(self) -> Path:
        """The file the rules were read from (the packaged one when none is configured)."""
        return self.file if self.file is not None else packaged_rules_file()


def parse_policies(source: Source) -> PolicySettings:
    """The `[policies]` section, with its rule file loaded and checked."""
    raw = source.values(
        "policies",
        POLICY_VARS,
        unknown_hint="; rule data (thresholds, auto-apply, limits) belongs in the rule file "
        "that policies.file names, a copy of the packaged policies/rules.toml",
    )
    file = source.file_path(_FILE, raw.get(_FILE.key))
    if file is None:
        return PolicySettings()
    try:
        return PolicySettings(file=file, rules=load_rules(file))
    except RulesError as exc:
        source.problem(_FILE, str(exc))
        return PolicySettings()
