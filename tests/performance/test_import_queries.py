"""A municipality's import costs a fixed number of queries per actor, so it cannot grow back to a hundred.

Before issue 15 every new actor went through Wagtail's add_child, save_revision and publish one at a time:
about 120 queries an actor, 42 seconds for 60 actors on a busy server. New actors now go through
``core.bulk_publish`` (tests/directory/test_bulk_publish.py shows it leaves the same state).
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.groups import NATIONAL_ADMINS
from directory.models import ActorPage
from directory.spreadsheet import HEADERS
from directory.spreadsheet_import import import_directory

pytestmark = pytest.mark.django_db

# New actors: 16.8 queries per actor here, 16.5 in the bench's 60 actors (bench/import_bench.py): the slug and path
# checks, the page's two rows, its revision, two updates of the page row, eight savepoint statements (Wagtail's save
# and save_revision each open one) and the reference index's read and write.
PER_NEW_ACTOR = 17
# A file imported again unchanged: the lock check Wagtail makes for each existing actor (a scheduled revision, a
# workflow in progress).
PER_UNCHANGED_ACTOR = 2


def _file(n, contacts=4):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for i in range(n):
        for c in range(contacts):
            row = {
                "enhet": f"Enhet {i:03d}",
                "aktørtyper": "koordinerende-enhet-kommune; legevakt" if i % 2 else "helsestasjon-skolehelsetjeneste",
                "telefon": "55 00 00 00",
                "e-post": f"post{i}@example.com",
                "kommuner": "4624, 4625" if i % 5 == 0 else "",
                "kontaktperson": f"Kontakt {i}-{c}",
                "kontaktperson_telefon": "55 11 22 33",
            }
            writer.writerow([row.get(h, "") for h in HEADERS])
    return buffer.getvalue().encode("utf-8-sig")


def _import(page, data, user):
    with CaptureQueriesContext(connection) as queries:
        result = import_directory(page, data, "kart.csv", user)
    assert result.ok, result.errors
    return result, len(queries)


def test_import_queries_grow_by_a_fixed_number_per_actor(make_municipality, make_user):
    user = make_user("nasjonal", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    small, _, _ = make_municipality("4624")
    large, _, _ = make_municipality("4625")
    small_file, large_file = _file(5), _file(20)

    created_small, few = _import(small, small_file, user)
    created_large, many = _import(large, large_file, user)
    assert len(created_small.created) == 5 and len(created_large.created) == 20
    assert (many - few) / 15 <= PER_NEW_ACTOR, (few, many)
    assert ActorPage.objects.live().filter(municipality=large).count() == 20

    # The same files again: nothing to write, and only Wagtail's lock check per actor.
    unchanged_small, few = _import(small, small_file, user)
    unchanged_large, many = _import(large, large_file, user)
    assert len(unchanged_large.unchanged) == 20 and not unchanged_large.created and not unchanged_large.updated
    assert (many - few) / 15 <= PER_UNCHANGED_ACTOR, (few, many)
