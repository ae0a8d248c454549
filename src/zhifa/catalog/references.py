"""Who still relies on an item: registries of "open reference checkers" and "change checkers".

An item that open cases (or inspections, incidents…) still cite cannot be retired. The catalog
does not know those apps, so each registers a checker in its ``AppConfig.ready``::

    from zhifa.catalog.references import register_open_reference_checker
    register_open_reference_checker(lambda item_id: Case.objects.open().filter(item_id=item_id).count())

A checker takes an item id and returns how many open records reference it.
"""

from __future__ import annotations

from collections.abc import Callable

OpenReferenceChecker = Callable[[int], int]

OPEN_REFERENCE_CHECKERS: list[OpenReferenceChecker] = []


def register_open_reference_checker(checker: OpenReferenceChecker) -> OpenReferenceChecker:
    """Register ``checker`` (once); usable as a decorator."""
    if checker not in OPEN_REFERENCE_CHECKERS:
        OPEN_REFERENCE_CHECKERS.append(checker)
    return checker


def unregister_open_reference_checker(checker: OpenReferenceChecker) -> None:
    if checker in OPEN_REFERENCE_CHECKERS:
        OPEN_REFERENCE_CHECKERS.remove(checker)


def open_reference_count(item_id: int) -> int:
    return sum(checker(item_id) for checker in OPEN_REFERENCE_CHECKERS)


# ---- change checkers: who would be broken by a change of an item ----------------------------

#: ``checker(item, old_content, new_content) -> [(code, message), …]``: each way the change would
#: break a record of another app that relies on the item (a published discretion baseline whose
#: range no longer fits, a flexible list entry of a retired item …). ``new_content`` is None for
#: a retirement.
ChangeChecker = Callable[..., list[tuple[str, str]]]
CHANGE_CHECKERS: list[ChangeChecker] = []


def register_change_checker(checker: ChangeChecker) -> ChangeChecker:
    if checker not in CHANGE_CHECKERS:
        CHANGE_CHECKERS.append(checker)
    return checker


def change_problems(item, old_content: dict, new_content: dict | None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for checker in CHANGE_CHECKERS:
        problems += checker(item, old_content, new_content)
    return problems
