"""Public pages (no login). The credential check (亮证执法): anyone scans an officer's QR code
and sees whether the officer may enforce today."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from zhifa.organizations.credentials import check_credential

# Expired codes are gone for good (410); forged, revoked or unknown ones are bad requests (400).
REFUSAL_STATUS = {"credential_expired": 410}


@never_cache
def credential_check(request, token):
    result = check_credential(token)
    status = REFUSAL_STATUS.get(result.refusal.code, 400) if result.refusal else 200
    response = render(request, "portal/credential_check.html", {"result": result}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
