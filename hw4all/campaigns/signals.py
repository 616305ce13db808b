from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .queries import campaign_memo_forget


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_save)
@receiver(post_delete)
def forget_campaigns(sender: type, **kwargs: object) -> None:
    from .models import CampaignPage

    if kwargs.get("instance") is None or isinstance(kwargs["instance"], CampaignPage):
        campaign_memo_forget()
