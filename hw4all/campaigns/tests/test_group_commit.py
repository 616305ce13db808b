"""Under concurrent signing, the group writer stores every acknowledged signature exactly once."""

import threading

import pytest
from django.db import connection

from hw4all.campaigns import services
from hw4all.campaigns.models import Signature
from hw4all.campaigns.services import SignatureInput, SigningOutcome


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(
        index=index, title="Invest in health workers", summary="Fund the workforce."
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_signatures_are_all_stored_once(settings, petition):
    settings.CAMPAIGNS_GROUP_COMMIT = True
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def sign(number: int) -> None:
        try:
            # Every fifth signer uses an address already used, in another case and with spaces.
            email = (
                f"signer{number - number % 5}@example.org" if number % 5 else f"signer{number}@example.org"
            )
            outcomes.append(
                services.signature_submit(
                    campaign=petition,
                    data=SignatureInput(name=f"Signer {number}", email=f"  {email.upper()} ", country="NL"),
                )
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(number,)) for number in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(outcomes) == 60
    assert outcomes.count(SigningOutcome.CREATED) == 12
    assert Signature.objects.count() == 12
    assert set(Signature.objects.values_list("email_normalised", flat=True)) == {
        f"signer{n}@example.org" for n in range(0, 60, 5)
    }
