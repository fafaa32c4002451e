"""``python -m maintrac.cli``: the same as the ``maintrac`` command."""

import sys

from maintrac.cli import main

sys.exit(main())
