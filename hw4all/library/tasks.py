from django_tasks import task

from .models import ResourceFile


@task()
def file_process(*, file_id: int) -> None:
    """Read a file's text and draw its preview, then bring the resource's search entry up to date."""
    from . import search, services

    file = ResourceFile.objects.select_related("resource").filter(pk=file_id).first()
    if file is None:
        return
    services.file_read(file)
    search.resource_index(file.resource_id)
