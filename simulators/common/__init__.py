"""What both simulators share: settings from the environment, signatures, SQLite, callbacks."""
