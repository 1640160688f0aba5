def test_front_and_lookup_pages_render(client, make_municipality, make_actor):
    page, _, _ = make_municipality("4624")
    make_actor(page, "Koordinerende enhet Bjørnafjorden")
    assert client.get("/").status_code == 200
    response = client.get("/finn-hjelp/?q=5200")
    assert response.status_code == 302
    assert response["Location"] == page.url
    body = client.get(page.url).content.decode()
    assert "Koordinerende enhet Bjørnafjorden" in body
    assert "Sist bekreftet" in body
