"""A visitor with JavaScript off can do everything: filter, read, follow, register, apply."""

import re
from pathlib import Path


def test_filter_news_read_an_article_and_follow_its_author(page_without_js, base_url):
    page = page_without_js
    page.goto(base_url + "/en/news/")
    page.select_option("#id_kind", "blog")
    page.get_by_role("button", name="Show articles").click()
    assert "kind=blog" in page.url
    cards = page.locator("#article-results article")
    assert cards.count() == 4
    assert all("Blog post" in text for text in cards.all_inner_texts())

    page.get_by_role("link", name="Isn’t it time to care for the carers?").click()
    assert page.locator("h1").inner_text() == "Isn’t it time to care for the carers?"
    page.get_by_role("link", name="Dr. Ouma Oluga").first.click()
    assert page.locator("h1").inner_text() == "Dr. Ouma Oluga"
    page.get_by_role("link", name=re.compile("Articles by")).click()
    assert "author=" in page.url
    assert page.locator("#article-results article").count() == 1


def test_secretariat_articles_say_so(page_without_js, base_url):
    page_without_js.goto(base_url + "/en/news/statement-on-abduction-dr-magombeyi/")
    assert "Secretariat" in page_without_js.locator("main").inner_text()


def test_event_page_shows_both_time_zones_and_offers_a_calendar_file(page_without_js, base_url):
    page = page_without_js
    page.goto(base_url + "/en/events/?when=past")
    page.get_by_role("link", name="WHO Global Code: Stoking Up the Fire for Implementation").click()
    text = page.locator("main").inner_text()
    assert "Salle IX, Palais des Nations" in text
    assert "17:45" in text and "19:45" in text
    assert "Medicus Mundi International Network" in text
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("calendar", re.I)).first.click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in content
    assert "DTSTART:20130522T174500Z" in content


def test_membership_application_keeps_input_on_error_and_is_acknowledged(page_without_js, base_url, mail_dir):
    page = page_without_js
    page.goto(base_url + "/en/join/")
    page.get_by_label("Organisation name").fill("Nurses Without Borders Uganda")
    page.get_by_label("Contact email").fill("not-an-email")
    page.locator("form button[type=submit]").click()
    assert page.get_by_label("Organisation name").input_value() == "Nurses Without Borders Uganda"
    assert page.locator(".errorlist").count() >= 1

    page.get_by_label("Contact email").fill("contact@nwb-uganda.example")
    page.get_by_label("Contact name").fill("Grace Namuli")
    page.select_option("select[name=country]", "UG")
    page.locator("textarea[name=description]").fill("Nurses supporting rural health services in Uganda.")
    page.locator("input[type=checkbox]").check()
    page.locator("form button[type=submit]").click()
    assert "/join/thanks/" in page.url
    sent = "\n".join(path.read_text(errors="replace") for path in mail_dir.glob("*.log"))
    assert "contact@nwb-uganda.example" in sent
