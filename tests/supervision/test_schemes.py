"""The 执法指导办 sets up a 四维考评 scheme in the browser's form (``/supervision/appraisals/schemes/new/``):
created through ``services.create_scheme`` and audited; weights that do not sum to 100, or an
enforcement post under 50%, are refused naming the dimensions (考评岗位权重不低于50%); other roles
get 403."""

import pytest

from zhifa.core.models import AuditEvent
from zhifa.supervision import services
from zhifa.supervision.models import AppraisalScheme

from .test_services import FOUR

pytestmark = pytest.mark.django_db
URL = "/supervision/appraisals/schemes/new/"


def _post(dimensions, name="2027年度乡镇（街道）执法人员四维考评", blank=1, **extra) -> dict:
    data = {
        "name": name,
        "cases_target": "8",
        "inspections_target": "25",
        "neutral_score": "80",
        "dim-TOTAL_FORMS": str(len(dimensions) + blank),
        "dim-INITIAL_FORMS": "0",
        "dim-MIN_NUM_FORMS": "0",
        "dim-MAX_NUM_FORMS": "12",
    }
    for i, d in enumerate(dimensions):
        data[f"dim-{i}-name"] = d["name"]
        data[f"dim-{i}-weight"] = str(d["weight"])
        if d.get("enforcement_post"):
            data[f"dim-{i}-enforcement_post"] = "on"
        data[f"dim-{i}-metrics"] = d["metrics"]
    return {**data, **extra}


def test_form_starts_from_the_newest_scheme(client, sv):
    services.create_scheme(sv.supervisor, {"name": "2026年度方案", "dimensions": FOUR})
    client.force_login(sv.guidance)
    html = client.get(URL).content.decode()
    assert "复制自“2026年度方案”" in html and 'value="群众满意"' in html and 'value="55"' in html
    assert URL in client.get("/supervision/appraisals/").content.decode()


def test_guidance_office_creates_a_scheme_audited(client, sv):
    client.force_login(sv.guidance)
    response = client.post(URL, _post(FOUR))
    scheme = AppraisalScheme.objects.get(name="2027年度乡镇（街道）执法人员四维考评")
    assert response.status_code == 302 and response["Location"].endswith(f"?scheme={scheme.pk}")
    assert [(d.name, d.weight, d.enforcement_post) for d in scheme.dimensions.all()] == [
        ("执法岗位", 55, True),
        ("事件处置", 20, False),
        ("群众满意", 15, False),
        ("乡镇日常", 10, False),
    ]
    assert scheme.targets == {"cases": 8, "inspections": 25} and scheme.created_by == sv.guidance
    event = AuditEvent.objects.get(action="supervision.scheme.create", object_id=str(scheme.pk))
    assert event.after["targets"] == {"cases": 8, "inspections": 25}
    assert scheme.name in client.get(response["Location"]).content.decode()


def test_weights_not_summing_to_100_are_refused_naming_the_dimensions(client, sv):
    client.force_login(sv.guidance)
    response = client.post(URL, _post([{**FOUR[0], "weight": 50}, *FOUR[1:]]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "考评维度：各维度权重之和须为100%，当前为95%" in html
    assert 'value="50"' in html  # what was typed stays
    assert not AppraisalScheme.objects.exists()


def test_enforcement_post_below_half_is_refused(client, sv):
    client.force_login(sv.guidance)
    low = [{**FOUR[0], "weight": 45}, {**FOUR[1], "weight": 30}, *FOUR[2:]]
    html = client.post(URL, _post(low)).content.decode()
    assert "执法岗位维度权重须不低于50%，当前为45%" in html
    assert not AppraisalScheme.objects.exists()


def test_a_row_without_metrics_is_named_on_its_row(client, sv):
    client.force_login(sv.guidance)
    rows = [*FOUR[:3], {**FOUR[3], "metrics": []}]
    response = client.post(URL, _post(rows))
    formset = response.context["formset"]
    assert formset.forms[3].errors["metrics"] == ["请至少选择一项数据指标"]
    assert "考评维度第4行数据指标：请至少选择一项数据指标" in response.content.decode()
    assert not AppraisalScheme.objects.exists()


def test_an_out_of_range_weight_is_named_on_its_row(client, sv):
    client.force_login(sv.guidance)
    response = client.post(URL, _post([{**FOUR[0], "weight": 155}, *FOUR[1:]]))
    assert "weight" in response.context["formset"].forms[0].errors
    assert "考评维度第1行权重（%）：" in response.content.decode()
    assert not AppraisalScheme.objects.exists()


def test_other_roles_get_403(client, sv):
    client.force_login(sv.world.leader_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _post(FOUR)).status_code == 403
    assert not AppraisalScheme.objects.exists()
    assert URL not in client.get("/supervision/appraisals/").content.decode()


def test_service_takes_one_typed_input_and_refuses_unknown_fields(sv):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.create_scheme(sv.supervisor, {"name": "方案", "dimensions": FOUR, "year": 2027})
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_scheme(sv.supervisor, {"name": "方案", "dimensions": FOUR, "targets": {"bribes": 1}})
    assert "没有这些计数指标：bribes" in exc.value.message_dict["targets"][0]
