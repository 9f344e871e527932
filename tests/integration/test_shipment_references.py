"""A shipment's reference is unique in an organization as it is stored (what a reader
sees): a reference that differs only by an invisible character is refused in words, never
as a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from chainproof.cases.models import Shipment
from chainproof.cases.shipments import shipment_save


@pytest.mark.parametrize("again", ["AB", "ab", "A\u200bB", "AB\u00ad", "\u202eBA"])
def test_the_same_reference_again_is_refused_with_its_name(alice, again):
    with transaction.atomic():
        shipment_save(organization=alice.organization, actor=alice.user, data={"reference": "AB"})
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        shipment_save(organization=alice.organization, actor=alice.user, data={"reference": again})
    assert "exists already" in refused.value.message_dict["reference"][0]
    assert Shipment.objects.filter(organization=alice.organization).count() == 1
