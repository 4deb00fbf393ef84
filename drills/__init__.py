"""Reliability and security drills (`make drills`): faults, fuzzing, authorisation, bad input."""
