"""``python -m ftz_reforms.bundling``: regenerate (or ``--check``) the generated files."""

import sys

from ftz_reforms.bundling.command import main

sys.exit(main())
