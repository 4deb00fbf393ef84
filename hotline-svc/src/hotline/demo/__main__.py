"""`python -m hotline.demo`: load the demo data (see the package's docstring)."""

import sys

from . import main

sys.exit(main())
