"""Pure write checks: (intent, context) -> verdict."""
