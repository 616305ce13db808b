"""Factories for tests and demo data; they build through the model layer like the services do."""

import factory
from factory.django import DjangoModelFactory

from hw4all.users.services import user_create

from .models import Kind, Licence, Resource, ResourceAuthor, ResourceFile, Status, Topic


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Health workforce topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ResourceFactory(DjangoModelFactory):
    """A published resource; `topics=[...]` sets its topics."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Health workforce migration report {n}")
    kind = Kind.REPORT
    summary = "How countries recruit and retain health workers under the WHO Global Code of Practice."
    publisher = "Health Workers for All"
    year = 2015
    licence = Licence.CC_BY
    status = Status.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()


class ResourceAuthorFactory(DjangoModelFactory):
    """A free-text author; pass `person=` or `organisation=` (and `name=""`) for a directory link."""

    class Meta:
        model = ResourceAuthor

    resource = factory.SubFactory(ResourceFactory)
    name = factory.Sequence(lambda n: f"Kamau, Wanjiru {n}")


class ResourceFileFactory(DjangoModelFactory):
    """A small plain-text file in English, not read yet (the task reads it)."""

    class Meta:
        model = ResourceFile

    resource = factory.SubFactory(ResourceFactory)
    language = "en"
    file = factory.django.FileField(
        filename="report.txt", data=b"Health workers for all: recruitment and retention.\n"
    )


def user_with_role(role: str | None = None, *, email: str = "", language: str = ""):
    """An account with one of the coalition's roles (Member, Secretariat ...), or none; tests sign
    it in with force_login."""
    user = user_create(
        email=email or f"{(role or 'nobody').replace(' ', '').lower()}@example.org",
        roles=(role,) if role else (),
        is_staff=bool(role),
    )
    if language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
