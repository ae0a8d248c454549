from django.apps import AppConfig

from zhifa.core.nav import HEAD, LEGAL_REVIEWER, OFFICER, SUPERVISOR, Entry


class MeasuresConfig(AppConfig):
    name = "zhifa.measures"
    label = "measures"
    verbose_name = "强制措施与移送"
    api_prefix = "/measures"
    nav = [
        Entry(
            "强制措施与移送",
            "measures:index",
            "cases",
            order=25,
            roles=(OFFICER, HEAD, LEGAL_REVIEWER, SUPERVISOR),
        )
    ]

    def ready(self) -> None:
        from zhifa.cases.facts import register_act_facts
        from zhifa.cases.services import register_approval_kind

        from . import (
            access,  # noqa: F401  (registers the measures' permissions and visibility)
            commands,
            services,
        )

        register_approval_kind("preservation", commands.MeasureApproval, services.preservation_approved)
        register_approval_kind("seizure", commands.MeasureApproval, services.seizure_approved)
        register_approval_kind("seizure_extension", commands.ExtensionApproval, services.extension_approved)
        register_act_facts(services.pending_referral_fact)
