"""Issue 18, point 6: forwarded headers are trusted only when the instance says how many
proxies stand in front (``[web] proxies``, 0 by default), so an app exposed directly cannot be
told another client address to dodge the sign-in rate limit."""
from __future__ import annotations

import pytest

def _attempts(client, n: int, forwarded: bool) -> list[int]:
    """Wrong passwords for ``n`` different addresses (so only the per-client limit counts)."""
    codes = []
    for i in range(n):
        headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"} if forwarded else {}
        data = {"pw-email": f"person{i}@example.org", "pw-password": "not the password"}
        codes.append(client.post("/auth/password", data=data, headers=headers).status_code)
    return codes


def test_direct_exposure_ignores_x_forwarded_for(client):
    codes = _attempts(client, 14, forwarded=True)
    assert 429 in codes, codes
    assert codes.index(429) == 10  # the eleventh attempt, as without the header


@pytest.mark.parametrize("placette_settings", [{"web": {"proxies": 1}}])
def test_behind_one_proxy_each_real_client_has_its_own_counter(client, placette_settings):
    assert 429 not in _attempts(client, 14, forwarded=True)


def test_proxies_comes_from_the_file_or_the_environment(tmp_path):
    from placette.config import load
    (tmp_path / "placette.toml").write_text('secret_key = "0123456789abcdef0123"\n')
    assert load(tmp_path, environ={}).web.proxies == 0
    assert load(tmp_path, environ={"PLACETTE_WEB_PROXIES": "1"}).web.proxies == 1
    (tmp_path / "placette.toml").write_text('secret_key = "0123456789abcdef0123"\n'
                                            '[web]\nproxies = 2\n')
    assert load(tmp_path, environ={}).web.proxies == 2
    from placette.errors import ConfigError
    (tmp_path / "placette.toml").write_text('secret_key = "0123456789abcdef0123"\n'
                                            '[web]\nproxies = -1\n')
    with pytest.raises(ConfigError, match="proxies"):
        load(tmp_path, environ={})
