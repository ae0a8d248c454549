"""Inspection pages: plan list and detail with the draw, the phone record form, the public
action-code page (names and certificate numbers only; one rating) and the published draw."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.inspections.conftest import DAY, plan_data, run_draw_on
from tests.inspections.test_services import gas_plan, planned, record_data, two_departments  # noqa: F401  (fixtures)
from zhifa.inspections import services
from zhifa.inspections.models import ActionCode, InspectionRecord, JointInspection

# Other apps are being built alongside; their half-done URL modules are left out here.


@pytest.fixture
def drawn(world, insp):
    plan = services.create_plan(world.bureau_admin, plan_data(world.bureau, [insp.I1]))
    run_draw_on(world.bureau_admin, plan.pk, DAY)
    return plan


def test_plan_pages(client, world, insp, drawn):
    client.force_login(world.bureau_admin)
    page = client.get(reverse("inspections:plan_list"))
    assert page.status_code == 200 and drawn.name in page.content.decode()
    detail = client.get(reverse("inspections:plan_detail", args=[drawn.pk])).content.decode()
    assert drawn.draw.seed in detail and "复算一致" in detail and "公示抽取结果" in detail
    assert client.get(reverse("inspections:public_draw", args=[drawn.pk])).status_code == 404
    client.post(reverse("inspections:plan_publish", args=[drawn.pk]))
    public = client.get(reverse("inspections:public_draw", args=[drawn.pk]))
    assert public.status_code == 200 and insp.parties.red_a.name in public.content.decode()


def test_other_township_gets_404(client, world, insp, drawn):
    client.force_login(world.leader_b)
    assert client.get(reverse("inspections:plan_detail", args=[drawn.pk])).status_code == 404


def test_record_form_on_the_phone(client, world, insp, drawn):
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    client.force_login(insp.gas_user)
    form = client.get(reverse("inspections:visit_record", args=[visit.pk])).content.decode()
    entries = list(insp.I1.checklist.all())
    assert all(f'name="entry_{e.pk}"' in form for e in entries) and "行政行为码" in form
    post = {
        "started_at": f"{visit.day}T09:00",
        "ended_at": f"{visit.day}T10:00",
        "officer_ids": [str(visit.officers.first().pk)],
        "findings": "正常",
        "outcome": "no_issue",
        f"entry_{entries[0].pk}": "fail",
    }
    refused = client.post(reverse("inspections:visit_record", args=[visit.pk]), post)
    assert refused.status_code == 200 and "不得少于2人" in refused.content.decode()
    assert not InspectionRecord.objects.exists()
    post["officer_ids"] = [str(o.pk) for o in visit.officers.all()]
    saved = client.post(reverse("inspections:visit_record", args=[visit.pk]), post)
    record = InspectionRecord.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "inspections:record_detail", args=[record.pk]
    )
    assert record.checklist_results.get().result == "fail"
    assert "不符合" in client.get(saved["Location"]).content.decode()


def test_public_code_page_shows_no_personal_data_and_takes_one_rating(client, world, insp, drawn):
    services.plan_joint_inspections(world.guidance_user, today=DAY)
    visit = JointInspection.objects.get(party=insp.parties.red_a)
    for officer in visit.officers.all():
        officer.phone = "13900001111"
        officer.save()
    url = reverse("inspections:public_code", args=[services.action_code_token(visit.action_code)])
    page = client.get(url).content.decode()
    for officer in visit.officers.all():
        assert officer.name in page and officer.certificates.first().number in page
        assert officer.id_number not in page and officer.employee_no not in page and "13900001111" not in page
    assert "检查完成后可在此评价" in page
    services.record_inspection(insp.gas_user, record_data(visit, insp.gas[:2]))
    assert client.post(url, {"rating": "5", "comment": "规范"}).status_code == 302
    again = client.post(url, {"rating": "1"})
    assert "已评价：5 星" in again.content.decode()
    assert ActionCode.objects.get(pk=visit.action_code.pk).rating == 5
    assert client.get(reverse("inspections:public_code", args=["forged-token"])).status_code == 404


def test_attachment_downloads_only_within_scope(client, world, insp, planned, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    record = services.record_inspection(insp.gas_user, record_data(planned, insp.gas[:2])).record
    attachment = services.add_attachment(
        insp.gas_user, record.pk, SimpleUploadedFile("现场.jpg", b"photo-bytes")
    )
    url = reverse("inspections:attachment_file", args=[record.pk, attachment.pk])
    client.force_login(insp.gas_user)
    assert url in client.get(reverse("inspections:record_detail", args=[record.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"photo-bytes"
    client.force_login(world.leader_b)  # another township: the record is not theirs
    assert client.get(url).status_code == 404
