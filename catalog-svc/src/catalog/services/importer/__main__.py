"""`python -m catalog.services.importer FILE …` (see the package's docstring)."""

import sys

from .cli import main

sys.exit(main())
