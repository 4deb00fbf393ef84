"""`python -m catalog.demo`: load the demo catalogue."""

import sys

from .loader import main

sys.exit(main())
