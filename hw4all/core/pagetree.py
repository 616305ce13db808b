"""Building the page tree from code (services, the demo, the benchmark) as an editor would."""

from typing import TypeVar

from wagtail.models import Page

P = TypeVar("P", bound=Page)


def child_page_ensure(*, parent: Page, page: P) -> P:
    """Add `page` under `parent` and publish it, unless a page of its type is there already:
    then that one is returned unchanged, so set-up code can run twice."""
    existing = type(page).objects.child_of(parent).first()
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
