"""Every demo login in Chromium at 1366×768, 1920×1080 and 390×844: the landing page is that
role's to-do list, the menu has at most eight entries, the header is one row no taller than
64 px, and no page of the menu shows template text or an English error.

The logins come from the demo roster (``organizations.demo.USERS``), so a login added there is
tested too; a head of a body (机关负责人) is added when the roster has none. Screenshots of each
role's landing page go to test-artifacts/; with ZHIFA_UPDATE_SCREENS=1 also to docs/screens/.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browsing import ARTIFACTS
from zhifa.core.nav import MAX_TOP_LEVEL
from zhifa.organizations import demo
from zhifa.organizations.models import User

pytestmark = pytest.mark.browser

VIEWPORTS = [(1366, 768), (1920, 1080), (390, 844)]
HEADER_MAX_PX = 64
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"
#: English an error page or a form error would show; a Chinese page has none of these.
ENGLISH_ERROR = re.compile(
    r"\b(?:Error|Exception|Traceback|Not Found|Forbidden|Bad Request|Server Error|"
    r"Page not found|This field|is required|Enter a valid|Method Not Allowed)\b"
)
TEMPLATE_TEXT = re.compile(r"\{#|#\}|\{%|%\}|\{\{|\}\}")


def _logins() -> list[tuple[str, str]]:
    """(username, main role) of every demo login, plus a head of a body if the roster has none."""
    logins = [(spec.username, spec.role) for spec in demo.USERS]
    if not any(role == User.Role.HEAD for _, role in logins):
        bureau = User.objects.get(username="zfj_admin").organization
        User.objects.create_user(
            "demo_head",
            password=demo.DEFAULT_PASSWORD,
            organization=bureau,
            role=User.Role.HEAD,
            display_name="机关负责人",
        )
        logins.append(("demo_head", User.Role.HEAD))
    return logins


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo.DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(f"{base}/")


def _text_problems(page, where: str) -> list[str]:
    text = page.evaluate("document.body.innerText")
    problems = []
    if TEMPLATE_TEXT.search(text):
        problems.append(f"{where}: template text {TEMPLATE_TEXT.search(text).group(0)!r}")
    if ENGLISH_ERROR.search(text):
        problems.append(f"{where}: English error {ENGLISH_ERROR.search(text).group(0)!r}")
    return problems


def _landing_problems(page, username: str, role: str, width: int) -> list[str]:
    where = f"{username}@{width}"
    problems = _text_problems(page, where)
    desks = page.eval_on_selector_all("[data-todo-role]", "els => els.map(e => e.dataset.todoRole)")
    if not desks or desks[0] != role:
        problems.append(f"{where}: landing page shows desks {desks}, expected {role} first")
    if page.locator("[data-todo-role] .todo-section").count() == 0:
        problems.append(f"{where}: no to-do section")
    if page.locator("[data-todo-failed]").count():
        problems.append(f"{where}: a to-do section failed to load")
    entries = page.locator(".nav__items > li").count()
    if not 1 <= entries <= MAX_TOP_LEVEL:
        problems.append(f"{where}: {entries} top-level menu entries")
    header = page.locator(".topbar").bounding_box()
    if header["height"] > HEADER_MAX_PX:
        problems.append(f"{where}: header {header['height']} px tall")
    if width >= 1024:
        # One row: every entry's vertical centre within a few pixels of the others (a second row
        # would sit a whole entry lower).
        centres = page.eval_on_selector_all(
            ".brand, .nav__items > li, .nav__user",
            """els => els.map(e => {
            const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); })""",
        )
        if max(centres) - min(centres) > 8:
            problems.append(f"{where}: the header holds more than one row {sorted(set(centres))}")
        if not page.locator(".nav__items").is_visible():
            problems.append(f"{where}: menu not shown on a desktop")
    if page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append(f"{where}: wider than the screen")
    phone_bar = page.locator(".phone-bar")
    if width < 1024 and role == User.Role.OFFICER and not phone_bar.is_visible():
        problems.append(f"{where}: officer without a bottom bar on the phone")
    if role != User.Role.OFFICER and phone_bar.count():
        problems.append(f"{where}: a bottom bar for a non-officer")
    return problems


def _screenshot(page, username: str, role: str, width: int, kept: set) -> None:
    """Every landing page to test-artifacts; with ZHIFA_UPDATE_SCREENS=1 the first login of each
    role to docs/screens/<role>.png (1366×768), and the officer's phone to <role>-phone.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"workbench-{username}-{width}.png"))
    name = role if width == 1366 else f"{role}-phone" if width < 1024 and role == User.Role.OFFICER else None
    if os.environ.get("ZHIFA_UPDATE_SCREENS") and name and name not in kept:
        kept.add(name)
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"{name}.png"))


def _menu_urls(page) -> list[str]:
    return page.eval_on_selector_all(
        ".nav__items a, .nav__usermenu a", "els => els.map(e => e.getAttribute('href'))"
    )


def test_every_demo_login_lands_on_its_todo_list_at_every_size(transactional_db, live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    logins = _logins()
    base = live_server.url
    problems: list[str] = []
    kept: set[str] = set()
    for width, height in VIEWPORTS:
        for username, role in logins:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="zh-CN", timezone_id="Asia/Shanghai"
            )
            page = context.new_page()
            page.set_default_timeout(30_000)
            try:
                _log_in(page, base, username)
                problems += _landing_problems(page, username, role, width)
                _screenshot(page, username, role, width, kept)
            finally:
                context.close()
    assert problems == [], "\n".join(problems)


def test_no_menu_page_shows_template_text_or_an_english_error(transactional_db, live_server, browser):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    problems: list[str] = []
    visited = 0
    for username, _role in _logins():
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            _log_in(page, base, username)
            for url in dict.fromkeys(_menu_urls(page)):
                if url.startswith("/admin/"):
                    continue  # Django's own admin site
                response = page.goto(base + url)
                visited += 1
                if response.status >= 400:
                    problems.append(f"{username} {url}: HTTP {response.status}")
                problems += _text_problems(page, f"{username} {url}")
                if page.locator(".nav__items > li").count() > MAX_TOP_LEVEL:
                    problems.append(f"{username} {url}: more than {MAX_TOP_LEVEL} menu entries")
        finally:
            context.close()
    assert visited > 50
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", [1024, 1280, 1440, 2560])
def test_the_fullest_menu_stays_one_row_from_1024_to_2560(
    transactional_db, live_server, browser, world, width
):
    """The administrator sees all eight groups, the longest menu there is."""
    User.objects.create_user(
        "root",
        password=demo.DEFAULT_PASSWORD,
        organization=world.root,
        role=User.Role.SUPERVISOR,
        is_superuser=True,
        is_staff=True,
        display_name="系统管理员",
    )
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        _log_in(page, live_server.url, "root")
        assert page.locator(".nav__items > li").count() == MAX_TOP_LEVEL
        assert page.locator(".topbar").bounding_box()["height"] <= HEADER_MAX_PX
        centres = page.eval_on_selector_all(
            ".brand, .nav__items > li, .nav__user",
            """els => els.map(e => {
            const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); })""",
        )
        assert max(centres) - min(centres) <= 8
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator(".nav__menu summary", has_text="办案").click()  # a group opens as a drop-down
        assert page.locator(".nav__menu[open] .nav__submenu").get_by_text("案件").is_visible()
    finally:
        context.close()
