"""Browsers ask every site for /favicon.ico: LKT answers with its icon, not a 404 in every server log."""

from django.contrib.staticfiles import finders


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.svg")
    assert finders.find("img/favicon.svg")
