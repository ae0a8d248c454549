"""Data of the cockpit app."""
