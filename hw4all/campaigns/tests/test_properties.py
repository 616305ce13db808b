"""Properties that hold for any input: email normalisation, and counts that always equal a
plain-Python model of the rules and add up by country to the total."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.campaigns.normalise import email_normalise
from hw4all.campaigns.queries import campaign_counts_compute
from hw4all.campaigns.services import SignatureInput

FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
spaces = st.text(alphabet=" \t\n\u00a0\u3000", max_size=3)


@given(email=st.emails(), before=spaces, after=spaces)
def test_normalisation_is_idempotent(email, before, after):
    once = email_normalise(before + email + after)
    assert email_normalise(once) == once
    assert once == once.strip()


@given(email=st.emails(), before=spaces, after=spaces, upper=st.booleans())
def test_normalisation_ignores_case_outer_spaces_and_full_width_forms(email, before, after, upper):
    typed = email.upper() if upper else email.swapcase()
    assert email_normalise(before + typed + after) == email_normalise(email)
    assert email_normalise(email.translate(FULL_WIDTH)) == email_normalise(email)


@given(left=st.emails(), right=st.emails())
def test_different_mailboxes_stay_different(left, right):
    if left.casefold() != right.casefold():
        assert email_normalise(left) != email_normalise(right)


ADDRESSES = [f"person{number}@example.org" for number in range(5)]
COUNTRIES = ["KE", "FR", "BR"]
operations = st.lists(
    st.tuples(
        st.sampled_from(["sign", "confirm", "withdraw", "hide", "expire"]),
        st.integers(min_value=0, max_value=len(ADDRESSES) - 1),
        st.sampled_from(COUNTRIES),
    ),
    max_size=25,
)


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_counts_equal_a_plain_model_of_the_rules(petition, steps):
    with transaction.atomic():
        model: dict[str, dict] = {}
        for operation, number, country in steps:
            address = ADDRESSES[number]
            row = model.get(address)
            signature = Signature.objects.filter(campaign=petition, email_normalised=address).first()
            if operation == "sign":
                services.signature_submit(
                    campaign=petition,
                    data=SignatureInput(name="Signer", email=address.upper(), country=country),
                )
                if row is None:  # a second attempt within the hour changes nothing
                    model[address] = {
                        "country": country,
                        "status": "pending",
                        "hidden": False,
                        "expired": False,
                    }
            elif signature is None:
                continue
            elif operation == "confirm":
                try:
                    services.signature_confirm(signature=signature)
                except ValidationError:
                    assert row["status"] == "withdrawn" or (row["status"] == "pending" and row["expired"])
                else:
                    assert row["status"] != "withdrawn" and not (
                        row["status"] == "pending" and row["expired"]
                    )
                    row["status"] = "confirmed"
            elif operation == "withdraw":
                services.signature_withdraw(signature=signature)
                row["status"] = "withdrawn"
            elif operation == "hide":
                services.signature_set_hidden(signature=signature, hidden=True)
                row["hidden"] = True
            elif operation == "expire":
                Signature.objects.filter(pk=signature.pk).update(
                    created_at=timezone.now() - datetime.timedelta(days=30)
                )
                row["expired"] = True

        expected: dict[str, int] = {}
        for row in model.values():
            if row["status"] == "confirmed" and not row["hidden"]:
                expected[row["country"]] = expected.get(row["country"], 0) + 1
        counts = campaign_counts_compute(campaign_id=petition.pk)
        assert dict(counts.by_country) == expected
        assert counts.total == sum(expected.values())
        assert sum(count for _, count in counts.by_country) == counts.total
        transaction.set_rollback(True)  # every example starts from an empty campaign
