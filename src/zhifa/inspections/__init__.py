"""Inspections (检查): plans, random draws (双随机一公开), joint inspections (综合查一次) and records.

For now only the pure planning rules exist (``rules``); the models come in a later step.
"""
