from django.apps import AppConfig


class PartyspaceConfig(AppConfig):
    name = "zhifa.partyspace"
    label = "partyspace"
    verbose_name = "当事人空间"

    def ready(self) -> None:
        from zhifa.core import events
        from zhifa.smart.services import DEVICE_EVENT_ACCEPTED

        from . import access  # noqa: F401  (registers this app's part of the access policy)
        from .handlers import tell_party_of_device_event

        events.subscribe(DEVICE_EVENT_ACCEPTED, tell_party_of_device_event)
