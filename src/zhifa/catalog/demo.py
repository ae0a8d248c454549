"""The demo catalog: ``demo_items.DOMAINS`` and ``demo_items.ITEMS`` loaded through
``services.load_catalog`` (published, with the default claims)."""

from __future__ import annotations

from . import services


def load_demo_catalog(actor=None) -> services.LoadResult:
    """Load (or refresh) the demo catalog. Run after the demo organisations exist, so that
    regulators and claimants are found by name."""
    from .demo_items import DOMAINS, ITEMS

    return services.load_catalog(actor, DOMAINS, ITEMS)
