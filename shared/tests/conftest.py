"""Make the sample service importable (its migrations import it by package name)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
