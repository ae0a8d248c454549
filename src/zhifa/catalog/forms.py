"""Forms of the catalog pages. They only parse input; the services decide."""

from __future__ import annotations

from django import forms

from zhifa.organizations.models import Region

from . import rules
from .models import Domain
from .selectors import LIST_LABELS

YES_NO = [("", "全部"), ("1", "是"), ("0", "否")]


def _with_all(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [("", "全部"), *labels.items()]


class ItemFilterForm(forms.Form):
    """The GET filters of the item list. Invalid values are ignored, never an error page."""

    q = forms.CharField(label="关键词", max_length=100, required=False)
    list = forms.ChoiceField(label="清单", choices=list(LIST_LABELS.items()), required=False)
    region = forms.ModelChoiceField(label="乡镇（街道）", queryset=Region.objects.none(), required=False,
                                    empty_label="请选择乡镇（街道）")
    domain = forms.ModelChoiceField(label="执法领域", queryset=Domain.objects.all(), required=False,
                                    to_field_name="code", empty_label="全部领域")
    kind = forms.ChoiceField(label="事项类别", choices=_with_all(rules.KIND_LABELS), required=False)
    enforcing_body = forms.ChoiceField(label="实施主体", choices=_with_all(rules.ENFORCING_BODY_LABELS), required=False)
    high_three = forms.ChoiceField(label="三高事项", choices=YES_NO, required=False)
    key_supervision = forms.ChoiceField(label="重点监管", choices=YES_NO, required=False)
    township_library = forms.ChoiceField(label="乡镇事项库", choices=_with_all(rules.TOWNSHIP_LIBRARY_LABELS), required=False)
    status = forms.ChoiceField(label="状态", choices=[("", "有效"), (rules.REPEALED, "已废止"), ("all", "全部")], required=False)

    def __init__(self, data, townships):
        super().__init__(data)
        self.fields["region"].queryset = townships

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.items`` from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        flag = {"1": True, "0": False}
        domain = data.get("domain")
        return {
            "q": data.get("q") or None,
            "list_name": data.get("list") or "master",
            "region": data.get("region"),
            "domain": domain.code if domain else None,
            "kind": data.get("kind") or None,
            "enforcing_body": data.get("enforcing_body") or None,
            "high_three": flag.get(data.get("high_three") or ""),
            "key_supervision": flag.get(data.get("key_supervision") or ""),
            "township_library": data.get("township_library") or None,
            "status": data.get("status") or None,
        }
