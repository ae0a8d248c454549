"""Demo parties: valid identifiers, every township, all four colours in about the planned shares."""

from collections import Counter

from zhifa.core.validators import validate_id_number, validate_uscc
from zhifa.organizations.models import Region
from zhifa.parties import rules
from zhifa.parties.demo import load_demo_parties
from zhifa.parties.models import Party


def _townships(district, n=20):
    return [
        Region.objects.create(
            code=f"330803{100 + i:03d}", name=f"演示{i}镇", level=Region.Level.TOWN, parent=district
        )
        for i in range(n)
    ]


def test_demo_parties(db):
    district = Region.objects.create(code="330803", name="衢江区", level=Region.Level.DISTRICT)
    townships = _townships(district)
    assert load_demo_parties(7) == 400
    parties = list(Party.objects.all())
    for party in parties:
        party.full_clean()  # kinds, identifiers, township level all valid
        if party.uscc:
            assert validate_uscc(party.uscc) == party.uscc
        if party.id_number:
            assert validate_id_number(party.id_number) == party.id_number
        color, reasons = rules.risk_color(
            rules.PartyFacts(
                party.violation_count_12m,
                party.complaint_count_12m,
                party.failed_inspection_count_12m,
                party.serious_violation,
                party.get_industry_display() if party.industry in rules.RiskConfig().key_industries else "",
            )
        )
        assert (party.risk_color, party.risk_reasons) == (color, reasons)
    colors = Counter(p.risk_color for p in parties)
    assert 0.5 < colors["green"] / 400 < 0.7 and 0.17 < colors["blue"] / 400 < 0.33
    assert 0.05 < colors["yellow"] / 400 < 0.16 and 0.02 < colors["red"] / 400 < 0.09
    assert {p.township_id for p in parties} == {t.pk for t in townships}
    assert set(Counter(p.kind for p in parties)) == set(Party.Kind.values)
    assert any(p.name.startswith("浙江") and p.name.endswith("有限公司") for p in parties)
    assert load_demo_parties(7) == 0  # rerunning adds nothing
