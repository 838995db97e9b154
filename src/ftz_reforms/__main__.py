"""``python -m ftz_reforms``: the command line."""

import sys

from ftz_reforms.cli.app import main

sys.exit(main())
