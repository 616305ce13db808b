"""The embedded default's file cache keeps its folder bounded without listing it on every write."""

from hw4all.core.cache import FileCache


def test_the_folder_stays_near_its_limit_however_many_entries_are_written(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 300, "CULL_FREQUENCY": 3}})
    for number in range(2000):
        cache.set(f"page:{number}", number, 300)
    assert len(list(tmp_path.glob("*.djcache"))) <= 300 + FileCache.CULL_CHECK_EVERY
    assert cache.get("page:1999") in (1999, None)


def test_entries_written_are_read_back(tmp_path):
    cache = FileCache(str(tmp_path), {})
    cache.set("menu:en", [{"title": "Practices", "url": "/en/practices/"}], 60)
    assert cache.get("menu:en") == [{"title": "Practices", "url": "/en/practices/"}]
    assert cache.add("menu:en", "other") is False
