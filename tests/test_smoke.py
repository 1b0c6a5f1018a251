"""First contact: the site answers, and the permission gate hides what it must."""


def test_health_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_private_space_is_404_for_a_stranger(client, make_space, make_user, sign_in):
    space = make_space("secret", visibility="private")
    member = make_user(member_of=space)
    stranger = make_user()
    sign_in(stranger)
    assert client.get("/s/secret").status_code == 404
    sign_in(member)
    assert client.get("/s/secret").status_code == 200
    assert space.name in client.get("/s/secret").get_data(as_text=True)
