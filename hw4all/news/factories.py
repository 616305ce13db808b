import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from .models import ArticleKind, ArticlePage


class AuthorFactory(DjangoModelFactory):
    """A person to sign articles; the coalition app owns people, tests here only need a few."""

    class Meta:
        model = "coalition.Person"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ArticlePageFactory(wagtail_factories.PageFactory):
    """Live articles for tests that need many quickly; pass `parent=news_index`."""

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    kind = ArticleKind.NEWS
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    summary = factory.LazyAttribute(lambda article: f"Summary of {article.title}.")
    live = True

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if extracted:
            self.tags.add(*extracted)
            if create:
                self.save()
