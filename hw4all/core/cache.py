"""The embedded default's shared cache: Django's file cache, without a listing of its folder on
every write."""

import itertools

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """Django's file cache lists every file in its folder on each write, to cull once it holds
    MAX_ENTRIES. Each publication writes new keys (menus, translations, pages), so the folder
    grows to thousands of entries, and the listing then cost more than the write (8 ms at 1,400
    files). Here a process looks at its first write and then once every CULL_CHECK_EVERY writes,
    so the folder may hold up to that many entries per process over the limit before a cull."""

    CULL_CHECK_EVERY = 100
    _writes = itertools.count()

    def _cull(self) -> None:
        if next(self._writes) % self.CULL_CHECK_EVERY == 0:
            super()._cull()  # type: ignore[misc]
