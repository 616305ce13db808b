"""A populated site survives `manage.py backup` and `manage.py restore`: after the site has changed
(rows deleted, added and altered, files deleted, altered and added), the restore brings back every
row of every table and every media file, byte for byte. These tests live outside the apps because
a site's data crosses them all; the archive's own checks are in hw4all/core/tests/test_backup.py."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from hw4all.campaigns import services as campaigns
from hw4all.campaigns.models import Signature
from hw4all.coalition.factories import user_in
from hw4all.core.tests.snapshots import database_snapshot, media_snapshot
from hw4all.forum.factories import SpaceFactory, member_of
from hw4all.forum.models import Comment
from hw4all.forum.services import discussions
from hw4all.library.factories import ResourceFactory, ResourceFileFactory, TopicFactory
from hw4all.library.models import Resource
from hw4all.questionnaires.services.responses import response_start
from hw4all.questionnaires.tests.fill_data import form_create
from hw4all.users.roles import MEMBER, SECRETARIAT

# The migrations' rows (locales, the root page, the role groups) are needed and restored too.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def populated(home_page, news_index, events_index):
    """Pages, a petition with signatures, library resources with their files, a forum discussion,
    a questionnaire response, accounts and an image with a rendition."""
    user_in(SECRETARIAT, country="BE")
    petition = campaigns.campaign_create(
        index=campaigns.campaigns_index_ensure(home=home_page),
        title="Invest in health workers",
        summary="Fund the workforce.",
    )
    for n, country in enumerate(["KE", "RO", "PH"]):
        campaigns.signature_submit(
            campaign=petition,
            data=campaigns.SignatureInput(
                name=f"Signer {n}", email=f"signer{n}@example.org", country=country
            ),
        )
    campaigns.signature_confirm(signature=Signature.objects.order_by("pk").first())
    topic = TopicFactory(name="Migration", slug="migration")
    for n in range(2):
        resource = ResourceFactory(title=f"Nurses on the move {n}", topics=[topic])
        ResourceFileFactory(resource=resource)
    space = SpaceFactory(name="Global space", slug="global")
    author = member_of(space, country="KE")
    thread = discussions.thread_create(space=space, author=author, title="Rural retention", body="How?")
    discussions.comment_create(
        author=member_of(space, role=MEMBER, country="RO"), body="Housing.", thread=thread
    )
    response_start(questionnaire=form_create())
    image = Image.objects.create(title="Logo", file=get_test_image_file())
    image.get_rendition("fill-80x80")
    default_storage.save("documents/résumé des données.txt", ContentFile("Données ü\n".encode()))
    default_storage.save("documents/empty.txt", ContentFile(b""))


def change_everything(tmp_path):
    Signature.objects.order_by("pk").last().delete()
    Comment.objects.order_by("pk").last().delete()
    Resource.objects.filter(title="Nurses on the move 0").update(title="Renamed")
    user_in(MEMBER, country="PL", email="after-the-backup@example.org")
    files = sorted(default_storage.listdir("documents")[1])
    default_storage.delete(f"documents/{files[0]}")
    (tmp_path / "media" / "documents" / files[1]).write_bytes(b"altered")
    default_storage.save("documents/added-after-the-backup.txt", ContentFile(b"new"))
    cache.set("a-page", "stale")


def test_a_restore_brings_back_every_row_and_every_file(populated, tmp_path):
    before, files = database_snapshot(), media_snapshot()
    assert len(files) >= 6
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    change_everything(tmp_path)
    assert database_snapshot() != before and media_snapshot() != files

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out, stderr=io.StringIO())

    after = database_snapshot()
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    assert media_snapshot() == files
    assert cache.get("a-page") is None
    # The restored site answers, and new rows get new ids.
    assert Client().get("/en/").status_code == 200
    newcomer = user_in(MEMBER, country="PT", email="newcomer@example.org")
    assert newcomer.pk > max(row[0] for row in before[get_user_model()._meta.db_table])
