"""The site as deployed has none of the load benchmark's yardsticks (they live in bench/ and
only bench.settings mounts them): no bare endpoints, no Server-Timing header."""


def test_the_site_has_no_bare_endpoints_and_no_timing_header(alice_client, alice):
    assert alice_client.get(f"/bench/read/{alice.pk}/").status_code == 404
    assert alice_client.post(f"/bench/update/{alice.pk}/").status_code == 404
    assert alice_client.get("/bench/read/me/").status_code == 404
    assert alice_client.post("/bench/update/me/").status_code == 404
    assert "Server-Timing" not in alice_client.get("/")
