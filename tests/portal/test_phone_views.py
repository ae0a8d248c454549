"""Phone views served to officers: the case timeline with camera evidence upload (server side;
the 375 px layout is checked in Chromium by tests/browser/test_journey.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.portal.conftest import decide_on_spot
from zhifa.cases.models import Evidence


def test_case_timeline_lists_the_steps_and_takes_a_camera_photo(cw, client):
    case = decide_on_spot(cw, cw.person)
    client.force_login(cw.user)
    page = client.get(f"/cases/{case.pk}/timeline/").content.decode()
    assert "当场作出行政处罚决定" in page
    assert 'accept="image/*" capture="environment"' in page
    photo = SimpleUploadedFile("scene.jpg", b"\xff\xd8\xff\xe0 jpeg bytes", content_type="image/jpeg")
    response = client.post(
        f"/cases/{case.pk}/evidence/",
        {"kind": "inspection_record", "description": "现场照片", "file": photo, "next": "timeline"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/timeline/"
    evidence = Evidence.objects.get(case=case)
    assert evidence.description == "现场照片" and len(evidence.sha256) == 64
    assert "现场照片" in client.get(f"/cases/{case.pk}/timeline/").content.decode()


def test_case_timeline_is_scoped(cw, client):
    case = decide_on_spot(cw, cw.person)
    client.force_login(cw.user_b)
    assert client.get(f"/cases/{case.pk}/timeline/").status_code == 404
