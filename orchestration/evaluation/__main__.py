"""`python -m orchestration.evaluation <folder> [--out DIR]` (what `make evaluate` calls)."""

import sys

from orchestration.evaluation.cli import main

sys.exit(main())
