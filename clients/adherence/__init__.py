"""Adherence: how much of the prescribed training a client does, stored for the dashboard."""
