"""Grant the editorial roles their permissions once every app's permissions exist.

Permissions are created after migrations run, so the groups made by the migration get them
here, on every migrate; the function only adds what is missing."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .roles import SECRETARIAT, STEERING_COMMITTEE

EDITORIAL_APPS = (
    "coalition",
    "campaigns",
    "library",
    "practices",
    "news",
    "events",
    "pages",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "taggit",
    "wagtail_localize",
)


@receiver(post_migrate)
def grant_role_permissions(sender, using="default", **kwargs):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    secretariat = Group.objects.using(using).filter(name=SECRETARIAT).first()
    if secretariat is None:
        return
    admin_access = Permission.objects.using(using).filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    model_perms = Permission.objects.using(using).filter(content_type__app_label__in=EDITORIAL_APPS)
    secretariat.permissions.add(*admin_access, *model_perms)
    steering = Group.objects.using(using).filter(name=STEERING_COMMITTEE).first()
    if steering is not None:
        steering.permissions.add(*admin_access)

    root = Page.get_first_root_node()
    if root is not None:
        for codename in (
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
            "bulk_delete_page",
        ):
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label="wagtailcore", codename=codename)
                .first()
            )
            if permission:
                GroupPagePermission.objects.using(using).get_or_create(
                    group=secretariat, page=root, permission=permission
                )
    collection = Collection.get_first_root_node()
    if collection is not None:
        for permission in Permission.objects.using(using).filter(
            content_type__app_label__in=("wagtailimages", "wagtaildocs"),
            codename__regex=r"^(add|change|choose|delete)_(image|document)$",
        ):
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=secretariat, collection=collection, permission=permission
            )
