"""Use cases: one function per question the API answers."""
