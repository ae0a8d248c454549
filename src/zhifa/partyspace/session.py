"""The party's session: its own key in the Django session, never a staff login. A staff user signed
in in the same browser stays who he is (``request.user``); the party is ``request.party_actor``.

The party's sign-in lapses after ``ZHIFA_PARTY_IDLE_SECONDS`` without a request (30 minutes) and
after ``ZHIFA_PARTY_MAX_SECONDS`` in all (8 hours)."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from zhifa.core.errors import NotFound, PermissionDenied
from zhifa.parties.models import Party

from .actor import PartyActor

SESSION_KEY = "zhifa_party"


def _idle() -> int:
    return int(getattr(settings, "ZHIFA_PARTY_IDLE_SECONDS", 1800))


def _max() -> int:
    return int(getattr(settings, "ZHIFA_PARTY_MAX_SECONDS", 8 * 3600))


def actor_for(party: Party) -> PartyActor:
    return PartyActor(party_id=party.pk, name=party.name, kind=party.kind)


def sign_in(request, party: Party) -> None:
    """A new session id (no fixation), the party's key set; the staff keys are left alone."""
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {"party_id": party.pk, "since": now, "seen": now}


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current(request) -> PartyActor | None:
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict):
        return None
    now = time.time()
    if now - state.get("seen", 0) > _idle() or now - state.get("since", 0) > _max():
        request.session.pop(SESSION_KEY, None)
        return None
    party = Party.objects.filter(pk=state.get("party_id")).only("pk", "name", "kind").first()
    if party is None:
        request.session.pop(SESSION_KEY, None)
        return None
    if now - state["seen"] > 60:  # refresh the idle clock at most once a minute
        request.session[SESSION_KEY] = {**state, "seen": now}
    return actor_for(party)


def party_required(view):
    """The party signed in to its space, as ``request.party_actor``; otherwise the sign-in page.
    A record outside the party's own (``NotFound``) is a 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        actor = current(request)
        if actor is None:
            return redirect(f"{reverse('partyspace:sign_in')}?next={request.path}")
        request.party_actor = actor
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied) as exc:
            raise Http404(exc.message) from None

    return wrapper
