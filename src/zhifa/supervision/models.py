"""Data of the supervision app."""
