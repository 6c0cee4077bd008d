"""``python -m aijri_core.cli``: the `aijri` command."""

import sys

from . import main

sys.exit(main())
