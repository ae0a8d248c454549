"""The demo catalog as the district's history: the catalog of ``data/demo_items.json`` in force
since ``CATALOG_SINCE`` (so that old cases open against it), with the items the "1+5" reform moved
held by their former departments until the transfer of 1 July 2022 (plan 三.(一)1: all items of
农业农村、文化市场、自然资源、建设、发展改革、水利、经信、教育、体育、科技、民宗、地震、气象、档案、退役军人事务, some
of 市场监管、生态环境、交通运输、应急管理、公安、民政、人力社保 go to the comprehensive bureau). Each transfer is
a revision of the catalog with the receiving body, so cases and indicators either side of the
date are attributed to who held the item then (``selectors.holder_on``)."""

from __future__ import annotations

import datetime as dt

from zhifa.organizations.models import Organization

from . import rules, services
from .models import CatalogRevision

#: Since when the demo catalog is in force (cases of the past years open against it).
CATALOG_SINCE = dt.date(2019, 1, 1)


def _before_transfer(row: dict, department: str) -> dict:
    """An item as it stood before the reform: kept by its department as a professional item."""
    return {
        **row,
        "enforcing_body": rules.PROFESSIONAL,
        "township_library": rules.NONE,
        "enforcing_department": department,
    }


def load_demo_catalog(actor=None) -> services.LoadResult:
    """Load (or refresh) the demo catalog and its transfers. Run after the demo organisations exist,
    so that regulators and claimants are found by name. Loading twice changes nothing."""
    from .demo_items import DOMAINS, ITEMS, TRANSFERS

    transferred = {code: transfer for transfer in TRANSFERS for code in transfer["codes"]}
    fresh = not services.items_by_code(code for code in transferred)
    rows = [
        _before_transfer(row, transferred[row["code"]]["from"])
        if fresh and row["code"] in transferred
        else row
        for row in ITEMS
    ]
    result = services.load_catalog(actor, DOMAINS, rows, day=CATALOG_SINCE)
    if fresh:
        for transfer in TRANSFERS:
            _transfer(actor, transfer, {row["code"]: row for row in ITEMS})
    return result


def _transfer(actor, transfer: dict, rows: dict[str, dict]) -> CatalogRevision | None:
    """One department's items to the comprehensive bureau, as a revision applied on its date."""
    from .revisions import approve_revision, propose_revision

    receiver = Organization.objects.filter(name=transfer["to"], is_active=True).first()
    if receiver is None:  # a roster without the demo district's bodies (a test world): items stay as listed
        return None
    day = dt.date.fromisoformat(transfer["effective_on"])
    revision = propose_revision(
        actor,
        {
            "title": transfer["title"],
            "reason": "other",
            "document_number": transfer["document_number"],
            "effective_on": day,
            "note": f"原实施单位：{transfer['from']}",
            "transfer_to": receiver,
        },
        [{"action": rules.CHANGE, "item_code": code, "content": rows[code]} for code in transfer["codes"]],
        source="demo",
    )
    return approve_revision(actor, revision.pk, today=day)
