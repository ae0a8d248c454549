"""Roster pages through the browser's eyes: login, scopes, forms, errors in Chinese, query counts."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core.models import AuditEvent
from zhifa.core.validators import make_id_number, mask_id_number
from zhifa.organizations.models import Certificate, Officer

PASSWORD = "correct-horse-battery"  # the password tests/conftest.py gives every user


def _text(response) -> str:
    return response.content.decode()


def _cert_data(**overrides):
    return {
        "number": "浙33080399001",
        "domains": "市容环境卫生、城乡规划",
        "issuer": "浙江省人民政府",
        "valid_from": "2026-01-01",
        "valid_to": "2031-01-01",
        **overrides,
    }


# ---- login and lockout ----


def test_login_page_is_in_chinese(client, db):
    response = client.get("/login/")
    html = _text(response)
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in html
    assert "用户名" in html and "密码" in html and "登录" in html
    assert "大综合一体化行政执法平台" in html


def test_wrong_password_shows_a_chinese_error(client, world):
    response = client.post(
        "/login/", {"username": "leader_a", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 200
    assert "正确的" in _text(response)  # 请输入一个正确的 用户名 和密码……
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_the_district_name_comes_from_the_region(client, world):
    response = client.post("/login/", {"username": "leader_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.3")
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert "衢江区大综合一体化行政执法平台" in _text(home)


def test_five_failed_logins_lock_the_account(client, world):
    for _ in range(5):
        client.post("/login/", {"username": "leader_a", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.1")
    response = client.post("/login/", {"username": "leader_a", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    html = _text(response)
    assert response.status_code == 429
    assert "登录失败次数过多，账号已临时锁定，请 15 分钟后再试或联系管理员" in html
    assert "_auth_user_id" not in client.session


def test_pages_need_login(client, world):
    for url in (
        "/",
        "/org/officers/",
        f"/org/officers/{world.officer_a.pk}/",
        "/org/tree/",
        "/org/officers/new/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_logout_is_a_post_form_in_the_navigation(login, world):
    client = login(world.leader_a)
    html = _text(client.get("/"))
    assert re.search(r'<form method="post" action="/logout/">', html)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


# ---- home ----


def test_home_shows_staffing_share_and_short_townships(login, world):
    html = _text(login(world.guidance_user).get("/"))
    # 3 enforcement officers, 2 of them in township teams
    assert "66.7%" in html and "目标 ≥ 60%" in html and "已达到" in html
    assert "上方镇" in html and "峡川镇" in html and "持证 1 人" in html


# ---- officer list: scopes, filters, query count ----


def test_township_leader_lists_only_own_township(login, world):
    html = _text(login(world.leader_a).get("/org/officers/"))
    assert "甲镇队员" in html
    assert "乙镇队员" not in html and "局队员" not in html


def test_guidance_office_lists_both_townships(login, world):
    html = _text(login(world.guidance_user).get("/org/officers/"))
    assert "甲镇队员" in html and "乙镇队员" in html and "局队员" in html
    assert 'data-label="证件状态"' in html  # stacked-card labels for phones


def test_officer_list_filters(login, world, make_officer):
    make_officer(world.team_a, kind=Officer.Kind.AUXILIARY, name="辅助员")
    make_officer(world.team_b, name="过期员", valid_to=dt.date(2025, 1, 1))
    client = login(world.guidance_user)
    html = _text(client.get("/org/officers/", {"kind": "auxiliary"}))
    assert "辅助员" in html and "甲镇队员" not in html
    html = _text(client.get("/org/officers/", {"certificate": "none", "kind": "enforcement"}))
    assert "过期员" in html and "乙镇队员" not in html
    html = _text(client.get("/org/officers/", {"organization_id": world.team_b.pk}))
    assert "乙镇队员" in html and "甲镇队员" not in html
    html = _text(client.get("/org/officers/", {"q": "甲镇"}))
    assert "甲镇队员" in html and "乙镇队员" not in html
    # nonsense filter values are ignored, not an error page
    response = client.get("/org/officers/", {"organization_id": "x", "certificate": "bogus", "posted": "7"})
    assert response.status_code == 200 and "乙镇队员" in _text(response)


def test_posted_filter(login, world):
    world.bureau_officer.posted_to = world.shangfang
    world.bureau_officer.save()
    html = _text(login(world.guidance_user).get("/org/officers/", {"posted": "1"}))
    assert "局队员" in html and "甲镇队员" not in html


def _count_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/org/officers/")
    assert response.status_code == 200
    return len(queries)


def test_officer_list_query_count_does_not_grow_with_rows(login, world, make_officer):
    client = login(world.guidance_user)
    for _ in range(2):
        make_officer(world.team_a)
    few = _count_list_queries(client)
    assert _text(client.get("/org/officers/")).count('class="officer-row"') == 5
    for _ in range(25):
        make_officer(world.team_b, posted_to=None)
    many = _count_list_queries(client)
    assert _text(client.get("/org/officers/")).count('class="officer-row"') == 30
    assert many == few


def test_officer_list_is_paginated_by_50(login, world, make_officer):
    for _ in range(50):
        make_officer(world.team_a, certified=False)
    client = login(world.guidance_user)
    first = _text(client.get("/org/officers/"))
    assert first.count('class="officer-row"') == 50 and "下一页" in first
    second = _text(client.get("/org/officers/", {"page": 2}))
    assert second.count('class="officer-row"') == 3


# ---- officer detail ----


def test_detail_masks_id_number_and_shows_certificates_but_not_another_officers_qr(login, world):
    html = _text(login(world.leader_a).get(f"/org/officers/{world.officer_a.pk}/"))
    assert world.officer_a.id_number not in html
    assert mask_id_number(world.officer_a.id_number) in html
    assert world.officer_a.certificates.get().number in html
    # 亮证: a code shown by anyone but the officer would let him pass for the officer.
    assert "<svg" not in html and "/public/credential/" not in html
    assert "亮证二维码只向执法人员本人显示" in html


def test_detail_shows_the_officer_his_own_qr(login, world):
    html = _text(login(world.user_a).get(f"/org/officers/{world.officer_a.pk}/"))
    assert "<svg" in html and "/public/credential/" in html


def test_detail_qr_link_opens_the_public_check(login, world):
    html = _text(login(world.user_a).get(f"/org/officers/{world.officer_a.pk}/"))
    url = re.search(r'href="(http://testserver/public/credential/[^"]+/)"', html).group(1)
    client = login(world.user_a)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and "甲镇队员" in _text(response)


def test_detail_highlights_expired_and_expiring_certificates(login, world):
    today = dt.date.today()
    Certificate.objects.create(
        officer=world.officer_a,
        number="浙OLD0001",
        domains=["城乡规划"],
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2023, 1, 1),
    )
    Certificate.objects.create(
        officer=world.officer_b,
        number="浙SOON0001",
        domains=["城乡规划"],
        valid_from=dt.date(2020, 1, 1),
        valid_to=today + dt.timedelta(days=30),
    )
    client = login(world.guidance_user)
    html = _text(client.get(f"/org/officers/{world.officer_a.pk}/"))
    assert 'class="cert-row cert-row--bad"' in html and "已过期" in html
    html = _text(client.get(f"/org/officers/{world.officer_b.pk}/"))
    assert 'class="cert-row cert-row--warn"' in html and "天后到期" in html


def test_township_leader_cannot_read_other_township_officer(login, world):
    response = login(world.leader_a).get(f"/org/officers/{world.officer_b.pk}/")
    assert response.status_code == 404
    assert "乙镇队员" not in _text(response) and "页面不存在" in _text(response)


def test_guidance_office_reads_both_townships(login, world):
    client = login(world.guidance_user)
    assert client.get(f"/org/officers/{world.officer_a.pk}/").status_code == 200
    assert client.get(f"/org/officers/{world.officer_b.pk}/").status_code == 200


def test_township_leader_cannot_change_other_township_officer(login, world):
    client = login(world.leader_a)
    before = Certificate.objects.count()
    response = client.post(f"/org/officers/{world.officer_b.pk}/certificates/", _cert_data())
    assert response.status_code == 404
    response = client.post(f"/org/officers/{world.officer_b.pk}/posting/", {"posted_to": world.shangfang.pk})
    assert response.status_code in (403, 404)
    response = client.post(f"/org/officers/{world.officer_b.pk}/credential/rotate/")
    assert response.status_code == 404
    assert Certificate.objects.count() == before
    world.officer_b.refresh_from_db()
    assert world.officer_b.posted_to is None and world.officer_b.credential_nonce == 0
    assert not AuditEvent.objects.exists()


def test_plain_officer_gets_403_and_no_forms(login, world):
    client = login(world.user_a)
    html = _text(client.get(f"/org/officers/{world.officer_a.pk}/"))
    assert f'action="/org/officers/{world.officer_a.pk}/certificates/"' not in html
    assert f'action="/org/officers/{world.officer_a.pk}/credential/rotate/"' in html  # own QR codes
    response = client.post(f"/org/officers/{world.officer_a.pk}/certificates/", _cert_data())
    assert response.status_code == 403 and "无权访问" in _text(response)
    assert client.get("/org/officers/new/").status_code == 403
    assert not Certificate.objects.filter(number="浙33080399001").exists()


def test_add_certificate_through_the_form(login, world):
    client = login(world.leader_a)
    response = client.post(f"/org/officers/{world.officer_a.pk}/certificates/", _cert_data(), follow=True)
    html = _text(response)
    assert "已登记执法证 浙33080399001" in html
    certificate = Certificate.objects.get(number="浙33080399001")
    assert certificate.officer == world.officer_a and certificate.domains == ["市容环境卫生", "城乡规划"]
    assert "登记执法证" in html.split("操作记录")[1] and "leader_a" in html


def test_certificate_with_reversed_dates_shows_field_error_and_saves_nothing(login, world):
    response = login(world.leader_a).post(
        f"/org/officers/{world.officer_a.pk}/certificates/",
        _cert_data(valid_from="2031-01-01", valid_to="2026-01-01"),
    )
    html = _text(response)
    assert response.status_code == 200
    assert "有效期止必须晚于有效期起" in html and "field--error" in html and "本次未保存任何内容" in html
    assert not Certificate.objects.filter(number="浙33080399001").exists()
    assert not AuditEvent.objects.exists()


def test_duplicate_certificate_number_shows_field_error_and_saves_nothing(login, world):
    taken = world.officer_b.certificates.get().number
    response = login(world.leader_a).post(
        f"/org/officers/{world.officer_a.pk}/certificates/", _cert_data(number=taken)
    )
    html = _text(response)
    assert response.status_code == 200
    number_field = html.split('name="number"')[1].split("</div>")[0]
    assert "已存在" in number_field
    assert Certificate.objects.filter(number=taken).count() == 1
    assert world.officer_a.certificates.count() == 1
    assert not AuditEvent.objects.exists()


def test_certificate_without_domains_is_refused(login, world):
    response = login(world.leader_a).post(
        f"/org/officers/{world.officer_a.pk}/certificates/", _cert_data(domains=" 、 ")
    )
    assert "请至少填写一个执法领域" in _text(response)
    assert not Certificate.objects.filter(number="浙33080399001").exists()


# ---- postings ----


def test_posting_to_a_non_township_region_shows_the_error(login, world):
    response = login(world.guidance_user).post(
        f"/org/officers/{world.bureau_officer.pk}/posting/", {"posted_to": world.district.pk}
    )
    assert response.status_code == 200
    assert "只能下沉到乡镇（街道）" in _text(response)
    world.bureau_officer.refresh_from_db()
    assert world.bureau_officer.posted_to is None
    assert not AuditEvent.objects.exists()


def test_posting_township_staff_shows_the_service_error(login, world):
    response = login(world.guidance_user).post(
        f"/org/officers/{world.officer_a.pk}/posting/", {"posted_to": world.xiachuan.pk}
    )
    assert response.status_code == 200
    assert "无需下沉" in _text(response)
    world.officer_a.refresh_from_db()
    assert world.officer_a.posted_to is None


def test_posting_and_ending_it_through_the_form(login, world):
    client = login(world.guidance_user)
    url = f"/org/officers/{world.bureau_officer.pk}/posting/"
    response = client.post(url, {"posted_to": world.shangfang.pk, "posted_since": "2026-03-01"}, follow=True)
    assert "已安排下沉到上方镇" in _text(response)
    world.bureau_officer.refresh_from_db()
    assert (world.bureau_officer.posted_to, world.bureau_officer.posted_since) == (
        world.shangfang,
        dt.date(2026, 3, 1),
    )
    # the township leader now sees the posted officer, but may not end the posting
    leader = login(world.leader_a)
    assert "局队员" in _text(leader.get("/org/officers/"))
    assert leader.post(url, {"end": "1"}).status_code == 403
    client = login(world.guidance_user)
    response = client.post(url, {"end": "1"}, follow=True)
    assert "已结束下沉" in _text(response)
    world.bureau_officer.refresh_from_db()
    assert world.bureau_officer.posted_to is None


def test_rotating_the_credential(login, world):
    client = login(world.user_a)  # an officer may revoke their own codes
    response = client.post(f"/org/officers/{world.officer_a.pk}/credential/rotate/", follow=True)
    assert "已作废此前出示的全部亮证二维码" in _text(response)
    world.officer_a.refresh_from_db()
    assert world.officer_a.credential_nonce == 1


# ---- new officer ----


def _officer_data(world, **overrides):
    return {
        "name": "新队员",
        "gender": "F",
        "id_number": make_id_number("330803", dt.date(1990, 5, 17), "042"),
        "employee_no": "QJ-NEW-1",
        "phone": "13900000001",
        "kind": "enforcement",
        "organization": world.team_a.pk,
        **overrides,
    }


def test_new_officer_form_offers_only_organisations_in_scope(login, world):
    html = _text(login(world.leader_a).get("/org/officers/new/"))
    assert "上方镇综合行政执法队" in html and "峡川镇综合行政执法队" not in html


def test_create_officer(login, world):
    response = login(world.leader_a).post("/org/officers/new/", _officer_data(world))
    officer = Officer.objects.get(employee_no="QJ-NEW-1")
    assert response.status_code == 302 and response["Location"] == f"/org/officers/{officer.pk}/"
    assert officer.organization == world.team_a and officer.gender == "F"


def test_create_officer_in_another_township_is_refused(login, world):
    response = login(world.leader_a).post(
        "/org/officers/new/", _officer_data(world, organization=world.team_b.pk)
    )
    assert response.status_code == 200 and "field--error" in _text(response)
    assert not Officer.objects.filter(employee_no="QJ-NEW-1").exists()


def test_create_officer_with_bad_id_number_shows_field_error(login, world):
    good = _officer_data(world)["id_number"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = login(world.leader_a).post("/org/officers/new/", _officer_data(world, id_number=bad))
    html = _text(response)
    assert response.status_code == 200
    id_field = html.split('name="id_number"')[1].split("</div>")[0]
    assert "field__error" in id_field
    assert not Officer.objects.filter(employee_no="QJ-NEW-1").exists()


def test_create_officer_with_duplicate_employee_no(login, world):
    response = login(world.leader_a).post(
        "/org/officers/new/", _officer_data(world, employee_no=world.officer_a.employee_no)
    )
    employee_field = _text(response).split('name="employee_no"')[1].split("</div>")[0]
    assert "已存在" in employee_field
    assert Officer.objects.filter(employee_no=world.officer_a.employee_no).count() == 1


# ---- organisation tree ----


def test_tree_shows_the_scope_indented(login, world):
    html = _text(login(world.guidance_user).get("/org/tree/"))
    for name in ("衢江区人民政府", "综合行政执法局", "上方镇综合行政执法队", "峡川镇综合行政执法队"):
        assert name in html
    assert "--level: 0" in html and "--level: 1" in html
    assert f"/org/officers/?organization_id={world.team_a.pk}" in html
    html = _text(login(world.leader_a).get("/org/tree/"))
    assert (
        "上方镇综合行政执法队" in html and "峡川镇综合行政执法队" not in html and "综合行政执法局" not in html
    )
