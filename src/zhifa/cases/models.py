"""Data of the cases app."""
