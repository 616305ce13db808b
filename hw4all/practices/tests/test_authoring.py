"""Members write case studies: who may open and change what, saving and autosaving without ever
overwriting a co-author, submitting, co-authors, files, and the history each side may read.

The Secretariat does not edit an author's draft (it screens and decides); it reads the history."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hw4all.coalition.factories import user_in
from hw4all.practices import services
from hw4all.practices.models import CaseAttachment, CaseStatus, CaseStudy
from hw4all.users.roles import MEMBER, REVIEWER

from .conftest import answers_for, complete_fields

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MINE = "/en/practices/mine/"
NEW = "/en/practices/new/"


def url(case, page: str) -> str:
    return f"/en/practices/{case.pk}/{page}/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(case, **overrides) -> dict:
    """The editor's form as a browser sends it for `case`, with `overrides`."""
    data = {
        "edit_number": str(case.edit_number),
        "editor": "page-one",
        "title": "Retaining rural nurses",
        "summary": "Housing and career paths kept nurses in rural districts.",
        "countries": ["KE"],
        "levels": ["local"],
        "themes": ["retention"],
        "code_articles": ["5"],
        "actors": "District health management team",
        "context": "Rural districts lost a third of their nurses.\n\nMost left for towns.",
        "practice": "Staff housing and a rural allowance.",
        "results": "Vacancies fell from 30% to 12%.",
        "costs": "",
        "lessons": "",
        "transferability": "",
        "sources": "",
        "contact_name": "Wanjiru Kamau",
        "contact_email": "wanjiru@example.org",
    }
    data.update(overrides)
    return data


@pytest.fixture
def case(author):
    return services.case_create(user=author, title="Retaining rural nurses")


@pytest.fixture
def client_author(author) -> Client:
    return signed_in(author)


def textarea(text: str) -> str:
    """A textarea holding `text`, as Django renders it (a newline after the opening tag)."""
    return f">\n{text}</textarea>"


def page_text(response) -> str:
    return response.content.decode()


# Who may open what


@pytest.mark.permission("practices:case_authors", "authenticated")
@pytest.mark.permission("practices:case_edit", "authenticated")
@pytest.mark.permission("practices:case_files", "authenticated")
@pytest.mark.permission("practices:case_history", "authenticated")
@pytest.mark.parametrize("page", ["edit", "authors", "attachments", "history"])
def test_anonymous_visitor_is_sent_to_sign_in(client, case, page):
    response = client.get(url(case, page))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.permission("practices:case_new", "authenticated")
@pytest.mark.permission("practices:mine", "authenticated")
@pytest.mark.parametrize("address", [MINE, NEW])
def test_anonymous_visitor_is_sent_to_sign_in_for_the_list_and_a_new_case(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.permission("practices:case_autosave", "authenticated")
@pytest.mark.permission("practices:case_submit", "authenticated")
def test_anonymous_posts_change_nothing(client, case):
    for page in ("edit", "autosave", "submit"):
        response = client.post(url(case, page), form_data(case, title="Taken over"))
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "Retaining rural nurses"


@pytest.mark.permission("practices:case_new", "role")
@pytest.mark.permission("practices:mine", "role")
@pytest.mark.parametrize("role", [REVIEWER, "Secretariat"])
def test_accounts_without_the_member_role_are_told_why(role):
    client = signed_in(user_in(role))
    for address in (MINE, NEW):
        response = client.get(address)
        assert response.status_code == 403
        assert "does not have the member role" in page_text(response)


def test_member_without_an_organisation_sees_why_and_cannot_start_one():
    user = get_user_model().objects.create_user(email="alone@example.org", password=None)
    user.groups.add(Group.objects.get(name=MEMBER))
    client = signed_in(user)
    page = page_text(client.get(MINE))
    assert "not linked to an organisation" in page
    assert "Write a case study</a>" not in page
    response = client.post(NEW, {"title": "Mine"})
    assert response.status_code == 403
    assert "Ask the Secretariat to link your account" in page_text(response)
    assert not CaseStudy.objects.exists()


@pytest.mark.permission("practices:case_authors", "object")
@pytest.mark.permission("practices:case_edit", "object")
@pytest.mark.permission("practices:case_files", "object")
@pytest.mark.parametrize("page", ["edit", "authors", "attachments"])
def test_another_member_a_reviewer_and_the_secretariat_cannot_open_an_authors_pages(
    case, reviewers, secretary, page
):
    for user in (user_in(MEMBER, country="RO"), reviewers[0], secretary):
        response = signed_in(user).get(url(case, page))
        assert response.status_code == 403
        assert "Only the authors of this case study" in page_text(response)


@pytest.mark.permission("practices:case_autosave", "object")
@pytest.mark.permission("practices:case_edit", "object")
@pytest.mark.permission("practices:case_submit", "object")
def test_another_member_a_reviewer_and_the_secretariat_cannot_save_or_submit(case, reviewers, secretary):
    for user in (user_in(MEMBER, country="RO"), reviewers[0], secretary):
        client = signed_in(user)
        for page in ("edit", "autosave", "submit"):
            assert client.post(url(case, page), form_data(case, title="Taken over")).status_code == 403
        assert client.post(url(case, "authors"), {"action": "add", "email": user.email}).status_code == 403
    case.refresh_from_db()
    assert case.title == "Retaining rural nurses"
    assert case.status == CaseStatus.DRAFT
    assert list(case.authors.all()) == [case.created_by]


def test_pages_are_private_to_their_user(client_author, case):
    for address in (MINE, url(case, "edit"), url(case, "history")):
        response = client_author.get(address)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]


# The list and a new case


def test_member_lists_their_cases_with_status_and_next_step(client_author, author, case, coauthor):
    others = services.case_create(user=coauthor, title="Someone else's case")
    page = page_text(client_author.get(MINE))
    assert "Retaining rural nurses" in page
    assert "Finish writing it, then submit it to the Secretariat." in page
    assert others.title not in page
    assert f'href="{NEW}"' in page


def test_member_starts_a_case_and_lands_on_its_editor(client_author, author):
    response = client_author.post(NEW, {"title": "Bonding schemes in Ghana"})
    case = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(case, "edit")
    assert case.title == "Bonding schemes in Ghana"
    assert list(case.authors.all()) == [author]
    page = page_text(client_author.get(response["Location"]))
    assert 'value="Bonding schemes in Ghana"' in page


def test_a_new_case_needs_a_title(client_author):
    response = client_author.post(NEW, {"title": "  "})
    assert response.status_code == 200
    assert "This field is required." in page_text(response)
    assert not CaseStudy.objects.exists()


# Saving


def test_author_saves_a_draft_and_plain_paragraphs_come_back_as_typed(client_author, case):
    response = client_author.post(url(case, "edit"), form_data(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.context == "<p>Rural districts lost a third of their nurses.</p>\n<p>Most left for towns.</p>"
    assert [str(code) for code in case.countries] == ["KE"]
    assert case.code_articles == [5]
    page = page_text(client_author.get(url(case, "edit")))
    assert "Your draft is saved." in page
    assert textarea("Rural districts lost a third of their nurses.\n\nMost left for towns.") in page


def test_simple_html_is_kept_and_the_rest_removed(client_author, case):
    html = '<p>Read <a href="https://example.org">the report</a>.</p><p onclick="x()">Then <em>act</em>.</p>'
    client_author.post(url(case, "edit"), form_data(case, practice=html))
    case.refresh_from_db()
    assert 'href="https://example.org"' in case.practice
    assert "<em>act</em>" in case.practice
    assert "onclick" not in case.practice


def test_saving_twice_keeps_ampersands_as_typed(client_author, case):
    client_author.post(
        url(case, "edit"), form_data(case, title="Nurses & midwives", actors="Unions & employers")
    )
    case.refresh_from_db()
    client_author.post(
        url(case, "edit"), form_data(case, title="Nurses & midwives", actors="Unions & employers!")
    )
    page = page_text(client_author.get(url(case, "edit")))
    assert 'value="Nurses &amp; midwives"' in page
    assert textarea("Unions &amp; employers!") in page


def test_errors_are_shown_beside_their_fields_and_what_was_typed_is_kept(client_author, case):
    response = client_author.post(
        url(case, "edit"),
        form_data(case, title="", contact_email="not an email", countries=["XX"], summary="Kept summary"),
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "Please correct the errors below." in page
    assert '<a href="#id_title">Title</a>' in page
    assert '<a href="#id_contact_email">Contact email</a>' in page
    assert "XX is not one of the available choices." in page
    assert textarea("Kept summary") in page
    case.refresh_from_db()
    assert case.summary == ""


def test_an_oversized_section_is_refused_with_a_message_and_kept(client_author, case):
    huge = "Long evidence. " * 70_000
    response = client_author.post(url(case, "edit"), form_data(case, results=huge))
    page = page_text(response)
    assert response.status_code == 200
    assert "This section is too long: at most 30000 characters" in page
    assert huge.strip() in page
    case.refresh_from_db()
    assert case.results == ""


@pytest.mark.parametrize("edit_number", ["abc", "", "-1", "99999999999999"])
def test_a_bad_edit_number_is_refused_with_a_message_not_an_error(client_author, case, edit_number):
    response = client_author.post(url(case, "edit"), form_data(case, edit_number=edit_number, summary="Mine"))
    page = page_text(response)
    assert response.status_code == 409
    assert "did not say which saved version it started from" in page
    assert textarea("Mine") in page
    assert f'name="edit_number" id="edit-number" value="{case.edit_number}"' in page
    case.refresh_from_db()
    assert case.summary == ""


def test_a_missing_edit_number_is_refused_with_a_message(client_author, case):
    data = form_data(case, summary="Mine")
    del data["edit_number"]
    response = client_author.post(url(case, "edit"), data)
    assert response.status_code == 409
    assert "did not say which saved version it started from" in page_text(response)


def test_two_authors_saving_at_once_the_second_is_refused_and_keeps_their_text(case, author, coauthor):
    services.case_author_add(case=case, by=author, email=coauthor.email)
    first, second = signed_in(author), signed_in(coauthor)
    loaded = case.edit_number
    first.get(url(case, "edit"))
    second.get(url(case, "edit"))
    assert (
        first.post(url(case, "edit"), form_data(case, summary="The first author's summary.")).status_code
        == 302
    )
    response = second.post(
        url(case, "edit"),
        form_data(case, edit_number=str(loaded), editor="page-two", summary="The second author's summary."),
    )
    page = page_text(response)
    assert response.status_code == 409
    assert "A co-author saved this case study while you were editing it" in page
    assert textarea("The second author&#x27;s summary.") in page
    # The differing field, with the saved text to copy.
    assert "What is saved now" in page
    assert "<del>first</del>" in page and "<ins>second</ins>" in page
    assert "The first author&#x27;s summary." in page
    case.refresh_from_db()
    assert case.summary == "The first author's summary."
    # Having seen the differences, the second author saves on purpose.
    resend = form_data(case, editor="page-two", summary="Both summaries, merged.")
    assert second.post(url(case, "edit"), resend).status_code == 302
    case.refresh_from_db()
    assert case.summary == "Both summaries, merged."


def test_a_save_after_the_same_pages_autosave_is_not_a_conflict(client_author, case):
    loaded = str(case.edit_number)
    autosave = client_author.post(
        url(case, "autosave"), form_data(case, summary="Half"), HTTP_HX_REQUEST="true"
    )
    assert "Saved at" in page_text(autosave)
    response = client_author.post(
        url(case, "edit"), form_data(case, edit_number=loaded, summary="Half and whole")
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Half and whole"


def test_a_save_of_unchanged_text_is_accepted_without_a_new_edit(client_author, case):
    client_author.post(url(case, "edit"), form_data(case))
    case.refresh_from_db()
    number = case.edit_number
    assert (
        client_author.post(url(case, "edit"), form_data(case, edit_number=str(number - 1))).status_code == 302
    )
    case.refresh_from_db()
    assert case.edit_number == number


# Autosave


def test_autosave_round_trip(client_author, case):
    before = case.edit_number
    response = client_author.post(
        url(case, "autosave"), form_data(case, summary="Typed"), HTTP_HX_REQUEST="true"
    )
    page = page_text(response)
    assert response.status_code == 200
    assert re.search(r"Saved at \d\d:\d\d", page)
    case.refresh_from_db()
    assert case.summary == "Typed"
    assert case.edit_number == before + 1
    assert f'id="edit-number" value="{case.edit_number}" hx-swap-oob="true"' in page
    # The next autosave starts from the number it was given.
    again = client_author.post(url(case, "autosave"), form_data(case, summary="Typed more"))
    assert "Saved at" in page_text(again)
    case.refresh_from_db()
    assert case.summary == "Typed more"


def test_autosave_after_a_coauthors_save_stops_and_saves_nothing(client_author, case, author, coauthor):
    services.case_author_add(case=case, by=author, email=coauthor.email)
    loaded = case.edit_number
    signed_in(coauthor).post(url(case, "edit"), form_data(case, editor="theirs", summary="Theirs"))
    response = client_author.post(
        url(case, "autosave"), form_data(case, edit_number=str(loaded), summary="Mine")
    )
    page = page_text(response)
    assert response.status_code == 200
    assert "Autosave has stopped: a co-author saved this case study" in page
    assert '<div id="autosave" hx-swap-oob="true"></div>' in page
    case.refresh_from_db()
    assert case.summary == "Theirs"


def test_autosave_reports_what_cannot_be_saved(client_author, case):
    response = client_author.post(url(case, "autosave"), form_data(case, contact_email="nope"))
    assert "Not saved yet:" in page_text(response)
    assert "Contact email: Enter a valid email address." in page_text(response)


def test_the_editor_autosaves_with_htmx(client_author, case):
    page = page_text(client_author.get(url(case, "edit")))
    assert f'hx-post="{url(case, "autosave")}"' in page
    assert 'id="autosave-status" role="status"' in page


# Submitting and frozen cases


def test_submit_lists_what_is_missing_and_saves_what_was_typed(client_author, case):
    page = page_text(client_author.get(url(case, "edit")))
    assert "Before you can submit it, the case study needs:" in page
    assert "<li>a summary</li>" in page
    response = client_author.post(
        url(case, "submit"), form_data(case, results="", summary="Typed before submit")
    )
    page = page_text(response)
    assert "The case study was not submitted." in page
    assert "the results and their evidence" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.summary == "Typed before submit"


def test_author_submits_and_then_sees_the_status_page(client_author, case):
    response = client_author.post(url(case, "submit"), form_data(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.revision == 1
    page = page_text(client_author.get(url(case, "edit")))
    assert "Submitted, waiting for screening" in page
    assert 'id="case-form"' not in page
    assert "Timeline" in page
    assert "Your case study is submitted." in page


def test_a_submitted_case_cannot_be_changed(client_author, case):
    client_author.post(url(case, "submit"), form_data(case))
    case.refresh_from_db()
    response = client_author.post(url(case, "edit"), form_data(case, title="Changed after"), follow=True)
    assert response.status_code == 200
    assert "This case study is with the Secretariat" in page_text(response)
    autosave = client_author.post(url(case, "autosave"), form_data(case, title="Changed after"))
    assert "This case study is with the Secretariat" in page_text(autosave)
    assert '<div id="autosave" hx-swap-oob="true"></div>' in page_text(autosave)
    again = client_author.post(url(case, "submit"), follow=True)
    assert "This case study is with the Secretariat" in page_text(again)
    case.refresh_from_db()
    assert case.title == "Retaining rural nurses"
    assert case.revision == 1


def test_hostile_text_in_every_field_is_escaped_on_the_form_and_the_status_page(client_author, case):
    fields = {
        name: f"{name} {HOSTILE}"
        for name in (
            "title",
            "summary",
            "actors",
            "contact_name",
            "context",
            "practice",
            "results",
            "lessons",
        )
    }
    client_author.post(url(case, "edit"), form_data(case, **fields))
    for page in (page_text(client_author.get(url(case, "edit"))), page_text(client_author.get(MINE))):
        assert '<script>alert("x")' not in page
        assert "<img src=x" not in page
    client_author.post(url(case, "submit"), form_data(CaseStudy.objects.get(pk=case.pk), **fields))
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    page = page_text(client_author.get(url(case, "edit")))
    assert "lessons" in page
    assert '<script>alert("x")' not in page
    assert "<img src=x" not in page
    assert "onerror" not in page


def test_csrf_is_enforced(author, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    for page in ("edit", "autosave", "submit"):
        assert client.post(url(case, page), form_data(case, title="Forged")).status_code == 403
    assert client.post(url(case, "authors"), {"action": "add", "email": "x@example.org"}).status_code == 403
    assert client.post(url(case, "attachments"), {"action": "remove", "file": "1"}).status_code == 403
    case.refresh_from_db()
    assert case.title == "Retaining rural nurses"


# Co-authors


def test_author_adds_and_removes_a_coauthor(client_author, case, coauthor):
    response = client_author.post(url(case, "authors"), {"action": "add", "email": coauthor.email.upper()})
    assert response.status_code == 302
    assert coauthor in case.authors.all()
    # The co-author now edits it too.
    assert signed_in(coauthor).get(url(case, "edit")).status_code == 200
    client_author.post(url(case, "authors"), {"action": "remove", "user": str(coauthor.pk)})
    assert coauthor not in case.authors.all()


def test_adding_an_unknown_email_says_why(client_author, case):
    response = client_author.post(url(case, "authors"), {"action": "add", "email": "nobody@example.org"})
    assert response.status_code == 200
    assert "There is no member account with this email address." in page_text(response)
    assert 'value="nobody@example.org"' in page_text(response)


def test_the_last_author_cannot_be_removed(client_author, case, author):
    response = client_author.post(
        url(case, "authors"), {"action": "remove", "user": str(author.pk)}, follow=True
    )
    assert "A case study keeps at least one author." in page_text(response)
    assert list(case.authors.all()) == [author]


# Attachments


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def test_author_attaches_a_picture_and_a_document_and_removes_one(client_author, case):
    picture = SimpleUploadedFile("clinic.png", png_bytes(), content_type="image/png")
    response = client_author.post(
        url(case, "attachments"), {"action": "add", "title": "The clinic", "file": picture}
    )
    assert response.status_code == 302
    document = SimpleUploadedFile("report.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    client_author.post(url(case, "attachments"), {"action": "add", "title": "", "file": document})
    page = page_text(client_author.get(url(case, "attachments")))
    image, pdf = CaseAttachment.objects.order_by("pk")
    assert f'<img src="/en/practices/{case.pk}/files/{image.pk}/" alt="The clinic"' in page
    assert ">report.pdf</a> (15\xa0bytes)" in page
    client_author.post(url(case, "attachments"), {"action": "remove", "file": str(pdf.pk)})
    assert list(case.attachments.all()) == [image]


def _stored_picture(client_author, case, name: str, content: bytes) -> CaseAttachment:
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = client_author.post(url(case, "attachments"), {"action": "add", "title": "", "file": upload})
    assert response.status_code == 302
    return CaseAttachment.objects.get()


def test_a_photo_is_kept_without_where_and_when_it_was_taken(client_author, case):
    from PIL import Image

    photo = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x0110] = "Phone model"
    exif[0x0132] = "2026:11:02 09:15:00"
    exif[0x0112] = 6  # taken sideways: the viewer turns it a quarter
    exif.get_ifd(0x8825)[2] = (1.0, 17.0, 30.0)  # latitude
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", exif=exif)
    assert b"Phone model" in buffer.getvalue()

    attachment = _stored_picture(client_author, case, "clinic.jpg", buffer.getvalue())
    with attachment.file.open("rb") as stored:
        content = stored.read()
    assert b"Phone model" not in content and b"2026:11:02" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert image.size == (30, 40)  # turned upright, as the viewer showed it


def test_a_picture_is_stored_as_what_its_content_is_without_anything_appended(client_author, case):
    smuggled = png_bytes() + b"<html><script>alert(1)</script></html>"
    attachment = _stored_picture(client_author, case, "photo.jpg", smuggled)
    assert attachment.file.name.endswith(".png")
    with attachment.file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"\x89PNG") and b"<script>" not in content
    assert attachment.size == len(content)


def test_a_gif_named_as_a_png_is_refused(client_author, case):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="GIF")
    upload = SimpleUploadedFile("anim.png", buffer.getvalue(), content_type="image/png")
    response = client_author.post(url(case, "attachments"), {"action": "add", "file": upload})
    assert "This file is not a picture this site can show (PNG, JPEG or WebP)." in page_text(response)
    assert not CaseAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_stored(client_author, case, settings):
    settings.PRACTICES_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (1024 * 1024 + 10), content_type="application/pdf")
    response = client_author.post(url(case, "attachments"), {"action": "add", "title": "Big", "file": big})
    page = page_text(response)
    assert response.status_code == 200
    assert "“big.pdf” is larger than 1 MB, the largest file a case study accepts." in page
    assert 'value="Big"' in page
    assert not CaseAttachment.objects.exists()


def test_a_file_of_another_type_is_refused_with_a_message(client_author, case):
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client_author.post(url(case, "attachments"), {"action": "add", "file": script})
    assert "Files of this type cannot be attached." in page_text(response)
    assert not CaseAttachment.objects.exists()


# History


@pytest.fixture
def revised(in_review, secretary, reviewers):
    """Reviewed by two reviewers with comments, sent back for revision, then changed."""
    for reviewer in reviewers[:2]:
        assignment = in_review.assignments.get(reviewer=reviewer)
        services.review_save(
            assignment=assignment,
            user=reviewer,
            answers=answers_for(in_review),
            no_conflict=True,
            submit=True,
        )
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.REVISE, reasons="Give the sources."
    )
    author = in_review.authors.get()
    services.case_save(
        case=in_review,
        user=author,
        edit_number=in_review.edit_number,
        sources="<p>District records, 2010–2014.</p>",
    )
    return in_review


def test_author_reads_the_history_with_reasons_comments_and_changes(revised, reviewers):
    author = revised.authors.get()
    page = page_text(signed_in(author).get(url(revised, "history")))
    assert "Give the sources." in page
    assert "Well documented." in page
    assert "Reviewer 1" in page and "Reviewer 2" in page
    assert "Changes not yet submitted" in page
    assert "<ins>District records, 2010–2014.</ins>" in page
    # Who reviews, and their scores, stay hidden from the authors.
    for reviewer in reviewers:
        assert reviewer.email not in page
        assert reviewer.get_full_name() not in page
    assert "Reviewer assigned" not in page


def test_history_shows_the_diff_between_submitted_revisions(revised):
    author = revised.authors.get()
    services.case_submit(case=revised, user=author)
    page = page_text(signed_in(author).get(url(revised, "history")))
    assert "Revision 2" in page and "Revision 1" in page
    assert "<ins>District records, 2010–2014.</ins>" in page


@pytest.mark.permission("practices:case_history", "object")
def test_assigned_reviewer_and_secretariat_read_the_history_others_do_not(revised, reviewers, secretary):
    assert signed_in(reviewers[0]).get(url(revised, "history")).status_code == 200
    assert signed_in(secretary).get(url(revised, "history")).status_code == 200
    for user in (reviewers[2], user_in(MEMBER, country="RO")):
        response = signed_in(user).get(url(revised, "history"))
        assert response.status_code == 403
        assert "can read its history" in page_text(response)


def test_a_decided_case_shows_its_status_and_cannot_be_edited(in_review, secretary, reviewers):
    for reviewer in reviewers[:2]:
        services.review_save(
            assignment=in_review.assignments.get(reviewer=reviewer),
            user=reviewer,
            answers=answers_for(in_review),
            no_conflict=True,
            submit=True,
        )
    services.case_decide(
        case=in_review, by=secretary, decision=services.Decision.DECLINED, reasons="Out of scope."
    )
    client = signed_in(in_review.authors.get())
    page = page_text(client.get(url(in_review, "edit")))
    assert "This case study has been decided; it can no longer be changed." in page
    assert "Out of scope." in page
    response = client.post(url(in_review, "edit"), form_data(in_review, title="Changed"), follow=True)
    assert "has been decided" in page_text(response)
    in_review.refresh_from_db()
    assert in_review.title == "Retaining rural nurses"


def test_complete_fields_are_enough_to_submit_through_the_page(client_author, author):
    case = services.case_create(user=author, title="Complete", **complete_fields())
    response = client_author.post(url(case, "submit"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_members_find_their_case_studies_in_their_account(author, reviewers):
    assert 'href="/en/practices/mine/"' in page_text(signed_in(author).get("/en/accounts/email/"))
    assert 'href="/en/practices/mine/"' not in page_text(signed_in(reviewers[0]).get("/en/accounts/email/"))


def test_the_list_costs_the_same_queries_for_one_case_or_many(client_author, author):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.case_create(user=author, title="One")
    client_author.get(MINE)  # The first page of a session also looks up the site and its settings.
    with CaptureQueriesContext(connection) as one:
        client_author.get(MINE)
    for number in range(5):
        services.case_create(user=author, title=f"Case {number}")
    with CaptureQueriesContext(connection) as many:
        page = page_text(client_author.get(MINE))
    assert "Case 4" in page
    assert len(many) == len(one)


def test_a_case_sent_back_at_screening_shows_the_comments_and_is_written_again(
    client_author, author, secretary
):
    case = services.case_create(user=author, title="Returned & revised", **complete_fields())
    services.case_submit(case=case, user=author)
    services.case_return(case=case, by=secretary, comments="Add the costs & the sources.")
    page = page_text(client_author.get(url(case, "edit")))
    assert "Sent back at screening" in page
    assert "Add the costs &amp; the sources." in page
    assert 'id="case-form"' in page
    case.refresh_from_db()
    response = client_author.post(url(case, "submit"), form_data(case, costs="About 40,000 euros a year."))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.revision == 2
