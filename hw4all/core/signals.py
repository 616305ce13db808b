from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from .pagecache import pagecache_invalidate


@receiver(page_published)
@receiver(page_unpublished)
@receiver(published)
@receiver(unpublished)
@receiver(post_page_move)
def invalidate_on_publish(**kwargs: object) -> None:
    pagecache_invalidate()


@receiver(post_save)
@receiver(post_delete)
def invalidate_on_public_model_change(sender: type, **kwargs: object) -> None:
    """Models that opt in with `invalidates_page_cache = True` are shown on cached pages;
    a deleted page disappears from menus and lists without being unpublished first."""
    if kwargs.get("created") and not getattr(sender, "invalidates_page_cache_on_create", True):
        return
    if (
        getattr(sender, "invalidates_page_cache", False)
        or kwargs.get("signal") is post_delete
        and isinstance(sender, type)
        and issubclass(sender, Page)
    ):
        pagecache_invalidate()
