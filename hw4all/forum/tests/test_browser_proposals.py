"""A proposal in a real browser on a 360-px phone: a member writes it and opens it without
JavaScript, a co-author's second version is compared with the first, and another member
supports it in place with JavaScript. axe-core finds no serious or critical violation."""

import re

import pytest

from hw4all.forum.factories import member_of
from hw4all.forum.models import Proposal
from hw4all.forum.services import proposals as services
from tests.browser.conftest import axe_violations, fits

from .browser import main_text, page_as
from .test_proposals import fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_proposal_from_draft_to_support(chromium, live_server, open_space):
    author = member_of(open_space, country="KE")
    supporter = member_of(open_space, country="RO")

    # Written and opened without JavaScript.
    page = page_as(chromium, live_server, author, javascript=False)
    page.goto(f"{live_server.url}/en/forum/spaces/{open_space.slug}/proposals/")
    page.get_by_role("link", name="Write a proposal").click()
    assert fits(page)
    page.get_by_label("Title").fill("Train two nurses for each one recruited")
    page.get_by_label("The problem").fill("Kenya trains nurses who **leave** within two years.")
    page.get_by_label("What is proposed").fill("- Sign bilateral agreements\n- Fund training at home")
    page.get_by_label("The World Health Organization").check()
    page.get_by_label("Global", exact=True).check()
    page.get_by_label("Countries").select_option(["KE", "GB"])
    page.get_by_label(re.compile("Article 5:")).check()
    # Enter in a field saves the form (the hidden first button), not the resource search.
    page.get_by_label("Title").press("Enter")
    page.wait_for_url(re.compile(r"/forum/proposals/\d+/$"))
    assert "Your draft is saved." in main_text(page)
    page.get_by_role("button", name="Open for comments").click()
    text = main_text(page)
    assert "open for comments" in text.lower()
    assert "Version 1" in text
    assert "leave" in page.locator("main strong").all_inner_texts()
    assert fits(page)

    # A second version, compared word by word with the first.
    proposal = Proposal.objects.get()
    services.proposal_edit(
        proposal=proposal,
        user=author,
        edit_number=proposal.edit_number,
        fields=fields(
            title=proposal.title,
            problem=proposal.problem,
            proposed="- Sign fair bilateral agreements\n- Fund training at home",
            addressees=["who"],
            level="global",
            countries=["KE", "GB"],
            code_articles=[5],
        ),
    )
    page.reload()
    page.get_by_role("link", name="What changed last").click()
    assert page.locator(".forum-diff ins").first.inner_text().strip() == "fair"
    page.context.close()

    # axe-core runs in the page, so with JavaScript: the form, the list and the diff.
    page = page_as(chromium, live_server, author, javascript=True)
    for path in (
        f"/en/forum/spaces/{open_space.slug}/proposals/new/",
        f"/en/forum/spaces/{open_space.slug}/proposals/",
        f"/en/forum/proposals/{proposal.pk}/diff/",
    ):
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.context.close()

    # Supported in place with JavaScript: the block changes, the page stays.
    page = page_as(chromium, live_server, supporter, javascript=True)
    page.goto(live_server.url + proposal.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Support this proposal").click()
    page.get_by_role("button", name="Withdraw my support").wait_for()
    assert page.evaluate("window.notReloaded === true")
    assert "1 support" in page.locator("#proposal-support").inner_text()
    # The focus stays on the button pressed, and the live region says what happened.
    assert page.evaluate("document.activeElement.id") == "support-personal"
    assert page.locator("#support-status").inner_text() == "You support this proposal."
    organisation = supporter.person.organisation.name
    page.get_by_role("button", name=f"Support on behalf of {organisation}").click()
    page.get_by_role("link", name=organisation).wait_for()
    assert "2 supports" in page.locator("#proposal-support").inner_text()
    assert axe_violations(page) == []
    assert fits(page)
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    page.context.close()
