"""Which municipality a page stands for is set by national administrators, not by the municipality's editors."""

from django.contrib.auth.models import Group
from django.urls import reverse

from directory.groups import NATIONAL_ADMINS


def test_only_national_admins_see_the_municipality_field(verified_client, make_municipality, make_user):
    page, editors, reviewers = make_municipality("4624")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    for user in (make_user("rita", groups=[editors]), make_user("geir", groups=[reviewers])):
        response = verified_client(user).get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="review_interval_months"' in body
        assert 'name="municipality"' not in body
    admin = make_user("nils", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    response = verified_client(admin).get(url)
    assert response.status_code == 200
    assert 'name="municipality"' in response.content.decode()
