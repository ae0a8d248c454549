"""The administrators' page for API keys: list, issue (the secret shown once), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import access
from zhifa.core.web import service_view
from zhifa.organizations.models import Organization

from . import services
from .models import ROLE_CHOICES, SCOPES, ApiKey


class KeyForm(forms.Form):
    name = forms.CharField(label="对接系统名称", max_length=100)
    organization = forms.ModelChoiceField(label="所属机构", queryset=Organization.objects.none())
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)
    scopes = forms.MultipleChoiceField(
        label="权限范围", choices=list(SCOPES.items()), initial=["read"], widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(label="到期日", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.only("id", "name", "path")
        if not access.has_role(actor, access.ADMIN):
            own = actor.organization
            orgs = orgs.filter(path__startswith=own.path) if own else orgs.none()
            self.fields["role"].choices = [c for c in ROLE_CHOICES if c[0] != "admin"]
        self.fields["organization"].queryset = orgs.order_by("path")


@service_view
def key_list(request):
    access.require(request.user, "api.manage_keys")
    form = KeyForm(request.POST or None, actor=request.user)
    created = None
    if request.method == "POST" and form.is_valid():
        data = services.NewKey(
            name=form.cleaned_data["name"],
            organization_id=form.cleaned_data["organization"].pk,
            role=form.cleaned_data["role"],
            scopes=form.cleaned_data["scopes"],
            expires_on=form.cleaned_data["expires_on"],
        )
        try:
            created = services.create_key(request.user, data)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = KeyForm(actor=request.user)
    keys = access.visible_to(request.user, ApiKey).select_related("organization").order_by("-created_at")
    return render(
        request,
        "api/key_list.html",
        {
            "form": form,
            "keys": keys,
            "created": created and {"key": created[0], "secret": created[1]},
            "scope_labels": SCOPES,
        },
    )


@service_view
@require_POST
def key_revoke(request, key_id: int):
    key = services.revoke_key(request.user, key_id)
    messages.success(request, f"已撤销密钥 {key.name}（{key.prefix}）")
    return redirect("api_keys:list")
