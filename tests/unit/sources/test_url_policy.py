"""url_policy: which URLs and addresses are refused, and why; and which pass."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from mediagate.errors import ErrorReason, MediagateError
from mediagate.genesys.regions import region_hosts
from mediagate.sources.url_policy import (
    DEFAULT_GENESYS_MEDIA_HOSTS,
    FetchPolicy,
    check_address,
    check_url,
    scrub,
)

POLICY = FetchPolicy(allowed_hosts=("media.example.org", "*.example.com", "Files.Test."))


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://media.example.org/a.jpg", "scheme"),
        ("ftp://media.example.org/a.jpg", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://media.example.org:70/_GET", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("https://user:pw@media.example.org/a.jpg", "userinfo"),
        ("https://user@media.example.org/a.jpg", "userinfo"),
        ("https://other.example.org/a.jpg", "host"),
        ("https://example.com/a.jpg", "host"),
        ("https://evilexample.com/a.jpg", "host"),
        ("https://a.example.com.evil.test/a.jpg", "host"),
        ("https://127.0.0.1/a.jpg", "host"),
        ("https://media.example.org:8443/a.jpg", "port"),
        ("https://a.example.com:80/a.jpg", "port"),
        ("https:///a.jpg", "malformed"),
        ("https://media.example.org:99999/a.jpg", "malformed"),
        ("/relative/a.jpg", "scheme"),
    ],
)
def test_refused_urls(url: str, why: str) -> None:
    with pytest.raises(MediagateError) as caught:
        check_url(url, POLICY)
    assert caught.value.reason == ErrorReason.URL_NOT_ALLOWED
    assert caught.value.metadata["why"] == why
    assert "pw" not in caught.value.metadata["url"]


@pytest.mark.parametrize(
    "url",
    [
        "https://media.example.org/a.jpg?sig=1",
        "https://MEDIA.example.org./a.jpg",
        "https://a.example.com/a.jpg",
        "https://a.b.example.com:443/a.jpg",
        "https://files.test/x",
    ],
)
def test_allowed_urls(url: str) -> None:
    target = check_url(url, POLICY)
    assert target.scheme == "https" and target.port == 443
    assert target.host == urlsplit(url).hostname.rstrip(".").lower()  # type: ignore[union-attr]


def test_http_and_any_port_when_allowed() -> None:
    policy = FetchPolicy(allowed_hosts=("media.test",), allow_http=True)
    assert check_url("http://media.test:8080/a", policy).port == 8080
    assert check_url("https://media.test:8443/a", policy).origin == ("https", "media.test", 8443)
    with pytest.raises(MediagateError) as caught:
        check_url("ftp://media.test/a", policy)
    assert caught.value.metadata["why"] == "scheme"


def test_no_allowed_hosts_allows_nothing() -> None:
    with pytest.raises(MediagateError) as caught:
        check_url("https://media.example.org/", FetchPolicy())
    assert caught.value.metadata["why"] == "host"


def test_bad_patterns_fail_at_once() -> None:
    with pytest.raises(ValueError):
        FetchPolicy(allowed_hosts=("a.*.example.com",))
    with pytest.raises(ValueError):
        FetchPolicy(allowed_networks=("10.0.0.0/33",))


FORBIDDEN = [
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "100.127.255.254",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "240.0.0.1",
    "198.18.0.1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "2002:7f00:0001::1",  # 6to4 of 127.0.0.1
    "2002:0a00:0001::1",  # 6to4 of 10.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::1",  # local-use NAT64
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
    "fd00:ec2::254",
    "100.100.100.200",
]


@pytest.mark.parametrize("ip", FORBIDDEN)
def test_forbidden_addresses(ip: str) -> None:
    with pytest.raises(MediagateError) as caught:
        check_address(ip, FetchPolicy(), url="https://media.test/a?secret=1")
    assert caught.value.reason == ErrorReason.URL_NOT_ALLOWED
    assert caught.value.metadata == {"url": "https://media.test/a", "why": "address"}
    assert ip.split("%")[0] not in caught.value.message


@pytest.mark.parametrize(
    "ip",
    [
        "93.184.216.34",
        "8.8.8.8",
        "2606:2800:220:1:248:1893:25c8:1946",
        "2a00:1450:4001:82b::200e",
        "::ffff:93.184.216.34",
        "2002:5db8:d822::1",  # 6to4 of 93.184.216.34
        "64:ff9b::5db8:d822",  # NAT64 of 93.184.216.34
    ],
)
def test_public_addresses_pass(ip: str) -> None:
    check_address(ip, FetchPolicy())


def test_allowed_networks_let_exactly_those_through() -> None:
    policy = FetchPolicy(allowed_networks=("127.0.0.1/32",))
    check_address("127.0.0.1", policy)
    check_address("::ffff:127.0.0.1", policy)
    for ip in ("127.0.0.2", "10.0.0.1", "169.254.169.254"):
        with pytest.raises(MediagateError) as caught:
            check_address(ip, policy)
        assert caught.value.metadata["why"] == "address"


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("169.254.169.254", "169.254.169.254/32"),
        ("fd00:ec2::254", "fd00:ec2::/64"),
        ("100.100.100.200", "100.100.100.200/32"),
        ("::ffff:169.254.169.254", "169.254.0.0/16"),
    ],
)
def test_metadata_refused_even_with_private_allowed(ip: str, network: str) -> None:
    with pytest.raises(MediagateError) as caught:
        check_address(ip, FetchPolicy(allow_private=True))
    assert caught.value.metadata["why"] == "address"
    assert "metadata" in caught.value.message
    check_address(ip, FetchPolicy(allow_private=True, allowed_networks=(network,)))


def test_private_allowed_when_asked() -> None:
    policy = FetchPolicy(allow_private=True)
    for ip in ("127.0.0.1", "10.1.2.3", "fd00::1", "::1", "100.64.0.1"):
        check_address(ip, policy)


@pytest.mark.parametrize(
    ("url", "scrubbed"),
    [
        ("https://u:p@media.test/a/b.jpg?X-Amz-Signature=abc#frag", "https://media.test/a/b.jpg"),
        ("https://media.test:8443/a?x=1", "https://media.test:8443/a"),
        ("http://u:p@[::1/a?q", "http://[::1/a"),
    ],
)
def test_scrub(url: str, scrubbed: str) -> None:
    assert scrub(url) == scrubbed


def test_default_genesys_hosts_follow_the_sdk_regions() -> None:
    domains = set()
    for api in region_hosts().values():
        host = urlsplit(api).hostname
        assert host is not None and host.startswith("api.")
        domains.add(host.removeprefix("api."))
    assert set(DEFAULT_GENESYS_MEDIA_HOSTS) == {f"*.{d}" for d in domains}
    policy = FetchPolicy(allowed_hosts=DEFAULT_GENESYS_MEDIA_HOSTS)
    check_url("https://api.mypurecloud.ie/api/v2/downloads/abc", policy)
    with pytest.raises(MediagateError):
        check_url("https://mypurecloud.ie.evil.test/", policy)
