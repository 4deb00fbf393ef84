"""Demo data for `make run` and its loader: `python -m catalog.demo [--database-url URL]`."""

from .loader import load_demo, load_demo_details, main, passes_quality

__all__ = ["load_demo", "load_demo_details", "main", "passes_quality"]
