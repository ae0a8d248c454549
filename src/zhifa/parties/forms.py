"""Forms of the party pages. They only parse input; selectors and services decide."""

from __future__ import annotations

from django import forms

from zhifa.organizations.models import Region

from .models import Party


class PartyFilterForm(forms.Form):
    """The GET filters of the party list. Invalid values are ignored, never an error page."""

    q = forms.CharField(label="名称 / 统一社会信用代码", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Party.Kind.choices], required=False)
    township = forms.ModelChoiceField(label="乡镇（街道）", queryset=Region.objects.none(), required=False,
                                      empty_label="全部乡镇（街道）")
    risk_color = forms.ChoiceField(label="风险等级", choices=[("", "全部"), *Party.RiskColor.choices], required=False)
    industry = forms.ChoiceField(label="行业", choices=[("", "全部"), *Party.Industry.choices], required=False)

    def __init__(self, data, townships):
        super().__init__(data)
        self.fields["township"].queryset = townships

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.parties`` from the fields that parsed."""
        self.is_valid()
        data = self.cleaned_data
        township = data.get("township")
        return {
            "q": data.get("q") or None,
            "kind": data.get("kind") or None,
            "township_id": township.pk if township else None,
            "risk_color": data.get("risk_color") or None,
            "industry": data.get("industry") or None,
        }
