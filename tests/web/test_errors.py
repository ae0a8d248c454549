"""Error pages in Chinese, never Django's English or debug pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import path

from zhifa import urls as project_urls

ENGLISH = re.compile(
    r"Not Found|Server Error|Forbidden|Bad Request|Traceback|Method Not Allowed|CSRF verification"
)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _boom(request):
    raise RuntimeError("boom")


def _chinese(response) -> str:
    html = response.content.decode()
    assert not ENGLISH.search(html), html[:500]
    assert 'lang="zh-Hans"' in html
    return html


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


def test_404_in_chinese(client, world, debug_off):
    client.force_login(world.leader_a, backend=MODEL_BACKEND)
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在（404）" in _chinese(response)


def test_403_in_chinese_names_the_reason(client, world, debug_off):
    client.force_login(world.user_a, backend=MODEL_BACKEND)
    response = client.get("/org/officers/new/")
    html = _chinese(response)
    assert response.status_code == 403 and "无权访问（403）" in html


def test_403_for_a_refused_form_token_in_chinese(world, debug_off):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.leader_a, backend=MODEL_BACKEND)
    response = client.post("/account/sessions/others/end/")
    assert response.status_code == 403 and "页面已过期" in _chinese(response)


def test_405_for_a_form_address_opened_directly(client, world, debug_off):
    client.force_login(world.leader_a, backend=MODEL_BACKEND)
    response = client.get("/account/sessions/others/end/")
    assert response.status_code == 405 and "无法直接打开此地址（405）" in _chinese(response)
    assert response["Allow"] == "POST"


def test_500_in_chinese_without_any_detail(world, debug_off, monkeypatch):
    monkeypatch.setattr(project_urls, "urlpatterns", [*project_urls.urlpatterns, path("boom/", _boom)])
    from django.urls import clear_url_caches

    clear_url_caches()
    try:
        client = Client(raise_request_exception=False)
        response = client.get("/boom/")
        html = _chinese(response)
        assert response.status_code == 500 and "系统出错（500）" in html and "boom" not in html
    finally:
        clear_url_caches()


def test_400_page_is_in_chinese():
    from django.template.loader import render_to_string

    html = render_to_string("400.html")
    assert "请求无法处理（400）" in html and not ENGLISH.search(html)
