"""A SCIM User's address region becomes the employee's subdivision only when
it is an ISO 3166-2 code of their country: SCIM allows free text there
("Bavaria"), and the identity provider's request must not fail on it."""

from __future__ import annotations

import pytest
from targeting_service.domain.scim_projection import employee_from_scim


def user(address: dict[str, object]) -> dict[str, object]:
    return {"id": "u1", "userName": "ana", "addresses": [{**address, "primary": True}]}


@pytest.mark.parametrize(
    ("address", "country", "subdivision"),
    [
        ({"country": "DE", "region": "BY"}, "DE", "BY"),
        ({"country": "de", "region": "de-by"}, "DE", "BY"),
        ({"country": "DE", "region": "Bavaria"}, "DE", ""),  # free text: not a code
        ({"country": "DE", "region": "FR-IDF"}, "DE", ""),  # another country's code
        ({"country": "Germany", "region": "BY"}, "", ""),  # no country: no subdivision
        ({"country": "US"}, "US", ""),
    ],
)
def test_the_address_region_is_kept_when_it_is_a_code_of_the_country(
    address: dict[str, object], country: str, subdivision: str
) -> None:
    employee = employee_from_scim("t1", "eu-west", user(address))
    assert (employee.country, employee.subdivision) == (country, subdivision)
