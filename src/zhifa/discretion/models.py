"""Data of the discretion app."""
