"""Penalty cases (办案): the procedure state machine, the legal guards and the statutory deadlines.

The pure core lives in :mod:`zhifa.cases.rules` (states, actions, transitions, guards, ``check``)
and :mod:`zhifa.cases.deadlines` (``case_deadlines``, ``late_surcharge``). Neither imports Django:
the models and services call them.
"""
