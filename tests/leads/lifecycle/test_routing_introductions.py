"""Introductions are routed by the partner's country: its ABSL chapter owns, its agency is told."""

import pytest

from leads.lifecycle.routing import REGIONAL_COORDINATOR, route_for, route_introduction


@pytest.mark.parametrize(
    ("countries", "owner", "informed"),
    [
        (["kosovo"], "absl-kosovo", ("ipa-kosovo",)),
        (["serbia"], "absl-serbia", ("ipa-serbia",)),
        (["montenegro"], REGIONAL_COORDINATOR, ("ipa-montenegro",)),  # no chapter there
        (
            ["serbia", "albania"],
            REGIONAL_COORDINATOR,
            ("ipa-albania", "absl-albania", "ipa-serbia", "absl-serbia"),
        ),
        (["undecided"], REGIONAL_COORDINATOR, ()),
    ],
)
def test_the_partners_country_decides_who_owns_an_introduction(countries, owner, informed):
    route = route_introduction(countries)
    assert (route.owner, route.informed) == (owner, informed)


def test_ordinary_inquiries_keep_the_agency_owns_chapter_informed_rule():
    assert route_for(["kosovo"], "inquiry", ["kosovo"]).owner == "ipa-kosovo"
    assert route_for(["kosovo"], "inquiry", ["kosovo"]).informed == ("absl-kosovo",)
    assert route_for(["serbia"], "introduction", ["kosovo"]).owner == "absl-kosovo"
