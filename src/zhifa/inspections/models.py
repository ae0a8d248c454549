"""Data of the inspections app."""
