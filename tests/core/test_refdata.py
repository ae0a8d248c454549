"""Reference data kept per process (core.refdata), against PostgreSQL and the shared cache: what
is kept is used until a watched table changes, in this process at once and in the others through
the shared generation; a transaction that wrote a watched row reads the database."""

import pytest
from django.core.cache import cache
from django.db import transaction

from zhifa.core import refdata
from zhifa.dispatch import routing
from zhifa.organizations.models import Region


@pytest.fixture
def counted():
    """A lookup that counts how often it reads the database."""
    reads = []

    def townships():
        reads.append(1)
        return sorted(Region.objects.filter(level__in=Region.TOWNSHIP_LEVELS).values_list("name", flat=True))

    def lookup():
        return refdata.kept("test.townships", townships)

    return lookup, reads


def new_township(name: str, code: str) -> Region:
    return Region.objects.create(code=code, name=name, level=Region.Level.TOWN)


def test_kept_until_a_watched_table_changes(transactional_db, counted):
    lookup, reads = counted
    assert lookup() == [] and lookup() == []
    assert len(reads) == 1  # the second answer was kept
    new_township("上方镇", "330803100")  # autocommit: committed, a new generation at once
    assert lookup() == ["上方镇"]
    assert len(reads) == 2


def test_a_transaction_of_many_writes_sets_one_new_generation(transactional_db, monkeypatch):
    sets = []
    real_set = cache.set

    def counting(key, *args, **kwargs):
        sets.append(key)
        return real_set(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", counting)
    with transaction.atomic():
        for n in range(20):
            new_township(f"镇{n}", f"3308031{n:02d}")
    assert sets.count(refdata.GENERATION_KEY) == 1


def test_another_process_drops_what_it_kept(transactional_db, counted, monkeypatch):
    """Another process's committed write shows as a new generation in the shared cache."""
    lookup, reads = counted
    lookup()
    monkeypatch.setattr(refdata, "CHECK_SECONDS", 0)
    cache.set(refdata.GENERATION_KEY, "written-by-another-process", None)
    lookup()
    assert len(reads) == 2


def test_a_transaction_that_wrote_reads_its_own_rows_and_keeps_nothing(transactional_db, counted):
    lookup, reads = counted
    assert lookup() == []
    with pytest.raises(RuntimeError), transaction.atomic():
        new_township("峡川镇", "330803101")
        assert lookup() == ["峡川镇"]  # its own uncommitted row, not the kept answer
        raise RuntimeError("rolled back")
    assert lookup() == []  # the rolled-back row was never kept
    assert Region.objects.count() == 0


@pytest.mark.parametrize("outage", ["raises", "answers empty"])  # Django's backend / ours
def test_without_a_shared_cache_nothing_is_kept(transactional_db, counted, monkeypatch, outage):
    lookup, reads = counted

    def unreachable(*args, **kwargs):
        if outage == "raises":
            raise ConnectionError("cache down")
        return None

    monkeypatch.setattr(cache, "get", unreachable)
    lookup()
    lookup()
    assert len(reads) == 2


def test_kept_for_at_most_the_ttl(transactional_db, counted, monkeypatch):
    """Writes that send no signal (QuerySet.update) are seen after TTL_SECONDS."""
    lookup, reads = counted
    lookup()
    monkeypatch.setattr(refdata, "TTL_SECONDS", 0)
    lookup()
    assert len(reads) == 2


def test_routing_sees_a_new_township_at_once(transactional_db):
    """The intake's township lookup is kept, and a township added in the UI is found right away."""
    assert routing.locate("上方镇xx村", None, None) is None
    town = new_township("上方镇", "330803100")
    assert routing.locate("上方镇xx村", None, None) == town


def test_routing_keeps_the_versions_in_use_until_the_catalog_changes(
    transactional_db, django_assert_num_queries
):
    """The catalog's version and the model in use are read once, not on every intake; the catalog
    version is bumped by QuerySet.update (no signal), so bump_version says so itself."""
    from zhifa.catalog.models import CatalogVersion
    from zhifa.catalog.services import bump_version

    bump_version()
    first = routing._versions_in_use()
    assert refdata.kept("routing:versions", routing._versions_in_use) == first
    with django_assert_num_queries(0):
        assert refdata.kept("routing:versions", routing._versions_in_use) == first
    bump_version()
    now = refdata.kept("routing:versions", routing._versions_in_use)
    assert now != first and now[0] == CatalogVersion.objects.get().token
