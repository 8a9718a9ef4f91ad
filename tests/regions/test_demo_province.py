"""The demo province seed-demo makes (config/demo_province.json) agrees with the routing config
it runs with: every category the authority rules name for the province is one of its categories
at that agency, and its router's own examples (config/routing/province_examples.csv) teach
every agency category it has, so a provincial complaint can be routed there."""

from __future__ import annotations

from tests.support.province import PROVINCE


def test_the_authority_rules_name_the_provinces_own_categories(province):
    from ticketing.router.authority import load_authority
    from ticketing.services.region_routing import region_categories

    table = region_categories(PROVINCE)
    named = {rule.category: rule.opd for rule in load_authority() if rule.region == PROVINCE}
    assert named and {code: table.get(code) for code in named} == named


def test_the_provinces_examples_teach_each_of_its_agency_categories(province):
    from ticketing.router.regions import own_examples
    from ticketing.services.region_routing import region_categories

    table = region_categories(PROVINCE)
    taught = {category for _, category in own_examples(table)}
    assert taught == {code for code, opd in table.items() if opd is not None}
