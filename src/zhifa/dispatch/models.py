"""Data of the dispatch app."""
