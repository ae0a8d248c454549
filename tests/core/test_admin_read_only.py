"""No zhifa record can be added, changed or deleted through the Django admin: writes go through
the services, which validate and audit them."""

from django.contrib import admin
from django.test import RequestFactory

from tests.conftest import new_user


def test_every_zhifa_model_admin_is_read_only(db):
    superuser = new_user("root", None, "officer", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("zhifa."):
            continue
        checked.append(model._meta.label)
        assert not model_admin.has_add_permission(request), model._meta.label
        assert not model_admin.has_change_permission(request), model._meta.label
        assert not model_admin.has_delete_permission(request), model._meta.label
        assert "delete_selected" not in model_admin.get_actions(request), model._meta.label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_delete_permission(request), inline
    assert {"core.AuditEvent", "discretion.DiscretionBaseline", "api.ApiKey"} <= set(checked)
