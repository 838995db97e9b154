"""``python -m ftz_reforms.build``: regenerate (or ``--check``) the generated files."""

import sys

from ftz_reforms.build.command import main

sys.exit(main())
