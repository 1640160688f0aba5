"""Which municipality a page stands for is set by national administrators, not by the municipality's editors."""

from directory.groups import NATIONAL_ADMINS


def test_only_national_admins_see_the_municipality_field(verified_client, make_municipality, make_user):
    from django.contrib.auth.models import Group

    page, editors, reviewers = make_municipality("4624")
    url = f"/admin/pages/{page.pk}/edit/"
    for user in (make_user("rita", groups=[editors]), make_user("geir", groups=[reviewers])):
        body = verified_client(user).get(url).content.decode()
        assert 'name="review_interval_months"' in body
        assert 'name="municipality"' not in body
    admin = make_user("nils", groups=[Group.objects.get(name=NATIONAL_ADMINS)])
    assert 'name="municipality"' in verified_client(admin).get(url).content.decode()
