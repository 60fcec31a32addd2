"""`python -m kb.cli`: the same as `kb`."""

import sys

from kb.cli import main

sys.exit(main())
