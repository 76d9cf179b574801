"""A client's program as their coach runs it: stages, sign-offs, prescriptions, notes."""
