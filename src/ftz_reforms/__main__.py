"""``python -m ftz_reforms``: the command line."""

import sys

from ftz_reforms.cli import main

sys.exit(main())
