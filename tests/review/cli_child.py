"""Runs `afas-mcp review` with store-only actions, for the pseudo-terminal tests.

The pipeline does not exist yet, so the decision commands get `StoreOnlyReviewActions`; every
human check in `main` runs exactly as in the product.
"""

from __future__ import annotations

import sys

from review_helpers import StoreOnlyReviewActions

from server.review.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], actions_factory=StoreOnlyReviewActions))
