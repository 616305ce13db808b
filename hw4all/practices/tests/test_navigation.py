"""Members and reviewers find their pages from the account area and the practices page."""

import pytest

pytestmark = pytest.mark.django_db


def test_members_and_reviewers_each_see_their_tab_in_the_account_area(client, author, reviewers):
    client.force_login(author)
    html = client.get("/en/accounts/email/").content.decode()
    assert 'href="/en/practices/mine/"' in html and 'href="/en/practices/reviews/"' not in html
    client.force_login(reviewers[0])
    html = client.get("/en/accounts/email/").content.decode()
    assert 'href="/en/practices/reviews/"' in html and 'href="/en/practices/mine/"' not in html


def test_the_practices_page_points_members_and_reviewers_to_their_pages(client):
    html = client.get("/en/practices/").content.decode()
    assert 'href="/en/practices/mine/"' in html and 'href="/en/practices/reviews/"' in html
