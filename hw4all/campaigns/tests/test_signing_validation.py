"""The signing path's shortcuts decide exactly what the slow, obvious code would: the post is
checked without building the form, and a signature is stored without a model instance or
`full_clean`. Any input, hostile ones included, must get the same errors, in any language, and
the same stored row."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hw4all.campaigns import services
from hw4all.campaigns.forms import EndorsementForm, SignatureForm, signing_data_clean
from hw4all.campaigns.models import CampaignPage, Signature, SignerKind
from hw4all.campaigns.services import SignatureInput

# Values a person, a partner's form or a robot may send: plausible ones and hostile ones
# (too long, null characters, spaces only, full-width characters, markup, other scripts).
text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "Amina Diallo",
            "  Amina  ",
            "a\x00b",
            "n" * 200,
            "n" * 201,
            "<script>alert(1)</script>",
            "Ｆｕｌｌ",
            "Ĳssel\u0301",
        ]
    ),
    st.text(max_size=30),
)
emails = st.one_of(
    st.sampled_from(
        [
            "amina@example.org",
            " AMINA@Example.ORG ",
            "ａｍｉｎａ＠ｅｘａｍｐｌｅ．ｏｒｇ",
            "not-an-address",
            "a@b",
            "e" * 250 + "@example.org",
            "straße@example.org",
            "a\x00@example.org",
            "",
        ]
    ),
    st.emails(),
    st.text(max_size=20),
)
countries = st.sampled_from(["KE", "NL", "FR", "ke", "XX", "", " KE", "Kenya", "EU"])
checkbox = st.one_of(st.none(), st.sampled_from(["on", "", "true", "False", "0", "1", "off"]))
sources = st.sampled_from(["", "partner-1", "bad slug", "ünïcode", "s" * 50, "s" * 51, "a\x00"])
organisation_types = st.sampled_from(["", "ngo", "union", "nonsense"])

posts = st.fixed_dictionaries(
    {},
    optional={
        "name": text,
        "email": emails,
        "country": countries,
        "organisation_name": text,
        "organisation_type": organisation_types,
        "city": text,
        "public": checkbox,
        "consent_contact": checkbox,
        "source": sources,
        "website": st.sampled_from(["", "http://spam.example"]),
    },
)


def query_dict(fields: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if value is not None:  # an unticked box is not sent at all
            data[name] = value
    return data


def form_outcome(form_class, data, campaign):
    form = form_class(data, campaign=campaign)
    valid = form.is_valid()
    errors = {
        name: [error["message"] for error in found] for name, found in form.errors.get_json_data().items()
    }
    return (form.cleaned_data if valid else None), errors


# Which of the optional fields a campaign asks for: (organisation, city).
ASKED = [(True, True), (False, False), (True, False)]


def campaign_asking(organisation: bool, city: bool) -> CampaignPage:
    return CampaignPage(ask_organisation=organisation, ask_city=city)


@pytest.mark.django_db  # a page instance looks up its content type
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=posts,
    form_class=st.sampled_from([SignatureForm, EndorsementForm]),
    asked=st.sampled_from(ASKED),
    language=st.sampled_from(["en", "fr", "es"]),
)
@example(fields={}, form_class=SignatureForm, asked=ASKED[0], language="fr")
@example(
    fields={"name": "A", "email": "a@example.org", "country": "KE", "source": "bad slug"},
    form_class=SignatureForm,
    asked=ASKED[0],
    language="en",
)
def test_the_post_is_judged_as_the_form_judges_it(fields, form_class, asked, language):
    campaign = campaign_asking(*asked)
    data = query_dict(fields)
    with translation.override(language):
        cleaned, errors = signing_data_clean(form_class, data, campaign=campaign)
        form_cleaned, form_errors = form_outcome(form_class, data, campaign)
    assert errors == form_errors
    if form_cleaned is not None:
        assert cleaned == form_cleaned


@pytest.mark.django_db
def test_a_valid_post_gives_the_forms_cleaned_data():
    data = query_dict(
        {
            "name": " Amina ",
            "email": " ＡＭＩＮＡ@example.org",
            "country": "KE",
            "public": "on",
            "city": "Nairobi",
        }
    )
    cleaned, errors = signing_data_clean(SignatureForm, data, campaign=campaign_asking(True, True))
    assert errors == {}
    assert cleaned == {
        "name": "Amina",
        "email": "AMINA@example.org",
        "country": "KE",
        "organisation_name": "",
        "city": "Nairobi",
        "public": True,
        "consent_contact": False,
        "source": "",
        "website": "",
    }


# The stored row


@pytest.fixture
def petition(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Invest in health workers", summary="Fund them.")


@pytest.fixture
def declaration(home_page):
    index = services.campaigns_index_ensure(home=home_page)
    return services.campaign_create(index=index, title="Come together", summary="Act.", kind="declaration")


def stored(signature_id):
    row = Signature.objects.filter(pk=signature_id).values().get()
    del row["id"]
    return row


@pytest.mark.django_db
def test_the_row_stored_is_the_one_the_orm_stores(petition):
    data = SignatureInput(
        name=" Amina  Diallo ",
        email=" Amina@Example.ORG ",
        country="KE",
        organisation_name="Nurses' union",
        city="Nairobi",
        consent_contact=True,
        public=True,
        source="partner-1",
        language="fr",
        ip_hash="f" * 32,
    )
    services.signature_submit(campaign=petition, data=data)
    fast = Signature.objects.get()
    through_orm = Signature(
        campaign=petition,
        name="Amina Diallo",
        email="Amina@Example.ORG",
        email_normalised="amina@example.org",
        email_domain="example.org",
        country="KE",
        organisation_name="Nurses' union",
        city="Nairobi",
        consent_contact=True,
        public=True,
        source="partner-1",
        language="fr",
        ip_hash="f" * 32,
        created_at=fast.created_at,
        confirmation_sent_at=fast.confirmation_sent_at,
    )
    fast_row = stored(fast.pk)
    fast.delete()
    through_orm.full_clean()
    through_orm.save()
    assert fast_row == stored(through_orm.pk)
    assert fast_row["created_at"] == fast_row["confirmation_sent_at"]


inputs = st.builds(
    SignatureInput,
    name=text,
    email=emails,
    country=countries,
    signer_kind=st.sampled_from([SignerKind.INDIVIDUAL, SignerKind.ORGANISATION, "robot"]),
    organisation_type=organisation_types,
    city=text,
    consent_contact=st.booleans(),
    public=st.booleans(),
    source=sources,
    language=st.sampled_from(["en", "fr", "", "x" * 9]),
    ip_hash=st.sampled_from(["", "a" * 64, "a" * 65]),
)


def model_verdict(data: SignatureInput):
    """What the model's own validation says of `data`, as the service stored it before."""
    from hw4all.campaigns.normalise import email_clean, email_normalise, text_clean

    email = email_clean(data.email)
    signature = Signature(
        signer_kind=data.signer_kind,
        name=text_clean(data.name, max_length=200),
        email=email,
        email_normalised=email_normalise(email),
        email_domain=email_normalise(email).rpartition("@")[2],
        country=data.country,
        organisation_name=text_clean(data.organisation_name, max_length=200),
        organisation_type=data.organisation_type,
        city=text_clean(data.city, max_length=100),
        consent_contact=data.consent_contact,
        public=data.public,
        source=data.source,
        language=data.language,
        ip_hash=data.ip_hash,
    )
    try:
        signature.full_clean(
            exclude=["country", "campaign"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return error.message_dict
    from django_countries import countries as country_list

    return (
        None if data.country in country_list.countries else {"country": ["Choose a country from the list."]}
    )


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=inputs)
def test_the_service_accepts_exactly_what_the_model_accepts(declaration, data):
    expected = model_verdict(data)
    with transaction.atomic():
        try:
            services.signature_submit(campaign=declaration, data=data)
        except ValidationError as error:
            assert expected is not None, error
            assert error.message_dict == expected
        else:
            assert expected is None
            Signature.objects.get().full_clean()
        transaction.set_rollback(True)
