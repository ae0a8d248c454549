from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "zhifa.measures"
    label = "measures"
    verbose_name = "强制措施与移送"
    api_prefix = "/measures"
    nav = [("强制措施", "measures:index")]

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
