"""The final report of a campaign (专项执法行动总结报告) as PDF: WeasyPrint with the system's Noto CJK
fonts, like the case documents."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def render_report_html(campaign, dashboard) -> str:
    return render_to_string(
        "smart/campaign_report.html",
        {
            "campaign": campaign,
            "d": dashboard,
            "plans": list(campaign.plans.select_related("organization").prefetch_related("items")),
            "outcome_labels": dict(campaign.tasks.model.Outcome.choices),
            "generated_at": timezone.localtime(),
        },
    )


def render_report(campaign, dashboard) -> bytes:
    from weasyprint import HTML  # loaded late: pango takes a moment

    return HTML(string=render_report_html(campaign, dashboard)).write_pdf()
