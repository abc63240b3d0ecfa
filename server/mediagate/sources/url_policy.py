"""Which URLs mediagate may fetch, and which addresses it may connect to (pure; no I/O).

THREAT MODEL

An import takes a URL from a caller (or from a Genesys Cloud event naming a guest's media) and
makes mediagate fetch it from inside the network it runs in. Whoever controls that URL, or a
server it points to, is the attacker. What they want, and what stops them:

- Server-side request forgery (SSRF): making the server fetch what only it can reach: a
  cloud metadata endpoint (169.254.169.254 hands out instance credentials), an admin port on
  loopback, a database or a sidecar on a private network. imgproxy's CVE-2023-30019 is this
  bug in a media service: it fetched any source URL, private addresses included, until
  IMGPROXY_ALLOW_LOOPBACK/LINK_LOCAL/PRIVATE_SOURCE_ADDRESSES turned the check on. Here:
  the scheme is https (http only when allowed), the URL carries no userinfo, the host is on an
  allow-list, the port is 443 (any port only when http is allowed), and EVERY address the host
  resolves to is checked (`check_address`): loopback, RFC 1918, link-local, CGNAT, multicast,
  unspecified, reserved, broadcast, documentation and benchmarking ranges, IPv6 ULA and
  site-local, and IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, 6to4,
  NAT64 64:ff9b::/96) judged by the IPv4 address inside; Teredo and 64:ff9b:1::/48 are
  refused outright. Cloud metadata addresses are refused even when private addresses are
  allowed, unless a network in `allowed_networks` names them. Odd spellings of an address
  ("2130706433", "0x7f.1", "127.1") need no parsing of their own: they are not on an
  allow-list of names, and if one were, what they resolve to is checked like any other.
- DNS rebinding: a name that resolves to a public address when checked and to 127.0.0.1 when
  connected. The fetcher (url_fetch.py) resolves once per hop, checks every address, then
  connects only to those addresses through a resolver pinned to them; there is no second
  lookup, no DNS cache shared across hops, and no proxy from the environment (a proxy would
  resolve the name itself).
- Redirects: a public URL that answers 302 to http://169.254.169.254/. Redirects are followed
  by hand, at most `max_redirects`, and each Location is checked exactly as the first URL was.
- Parser differentials: a URL that one parser reads as an allowed host and another as a
  forbidden one ("https://good.test\\@evil.test/"). The URL is parsed once, with yarl, and the
  parsed object is what aiohttp fetches, so the checked host is the connected host.
- Credential leaks: a bearer token for the platform's API must not reach another server. It is
  sent only to the first URL's origin (scheme, host, port), and once a redirect leaves that
  origin it is not sent again in that chain, not even on a way back. Cookies are not kept.
  Userinfo in a URL is refused; logs and error metadata carry `scrub(url)` (no userinfo,
  query or fragment: presigned URLs keep their signatures in the query).
- Resource exhaustion: bodies are counted while they arrive and cut at the caller's limit
  whatever Content-Length says; connect, per-read and whole-fetch timeouts; a bounded retry
  budget and a cap on an honoured Retry-After.
- Decompression bombs are not this layer's concern: the fetcher asks for
  `Accept-Encoding: identity` and never decompresses, so a gzip body arrives as the bytes it
  is, counted against the limit; inspect/ judges what those bytes are.

NOT defended here: what the fetched bytes are (inspect/ and policy/ decide); an allow-listed
host that is itself malicious or compromised (the allow-list is trust); an allowed public
address that forwards to internal services (an open proxy on the internet); side channels in
timing (a refusal by address is reported without the address, but its latency differs);
TLS interception on the path (certificates are verified against the host name, which is all
a client can do).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cached_property

from yarl import URL

from mediagate.errors import ErrorReason, MediagateError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Genesys Cloud's regional domains: each region's API host is api.<domain> (the SDK's
# PureCloudRegionHosts, read by mediagate.genesys.regions). Guests' media announced by the
# platform is served from hosts of the same domain (api.<domain>/api/v2/downloads/...,
# apps.<domain>, ...), so `*.<domain>` covers them without naming each. Written out rather
# than read from mediagate.genesys (a sibling package this one must not import; see the
# import-linter contract in pyproject.toml); tests/unit/sources/test_url_policy.py keeps it in
# step with the SDK's table. Any other host (a storage bucket a download redirects to) is a
# deployment's own addition to allowed_hosts.
GENESYS_DOMAINS: tuple[str, ...] = (
    "mypurecloud.com",
    "mypurecloud.ie",
    "mypurecloud.com.au",
    "mypurecloud.jp",
    "mypurecloud.de",
    "usw2.pure.cloud",
    "cac1.pure.cloud",
    "apne2.pure.cloud",
    "euw2.pure.cloud",
    "aps1.pure.cloud",
    "use2.us-gov-pure.cloud",
    "sae1.pure.cloud",
    "mec1.pure.cloud",
    "apne3.pure.cloud",
    "euc2.pure.cloud",
    "mxc1.pure.cloud",
    "apse1.pure.cloud",
    "edee1.eusc-pure.cloud",
)
DEFAULT_GENESYS_MEDIA_HOSTS: tuple[str, ...] = tuple(f"*.{domain}" for domain in GENESYS_DOMAINS)

# Cloud metadata and credential endpoints: refused even when private addresses are allowed.
# AWS/GCP/Azure/Oracle IMDS 169.254.169.254 (AWS also fd00:ec2::254), AWS ECS task
# credentials 169.254.170.2, EKS Pod Identity 169.254.170.23 / fd00:ec2::23, Alibaba Cloud
# 100.100.100.200.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "169.254.170.23",
        "100.100.100.200",
        "fd00:ec2::254",
        "fd00:ec2::23",
    )
)

# Written out rather than left to ipaddress's is_private/is_global, whose tables changed
# between Python patch releases (3.11.10, 3.12.4).
_FORBIDDEN_V4: tuple[ipaddress.IPv4Network, ...] = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", 0.0.0.0 unspecified
        "10.0.0.0/8",  # RFC 1918
        "100.64.0.0/10",  # CGNAT (RFC 6598)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (metadata lives here)
        "172.16.0.0/12",  # RFC 1918
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # TEST-NET-1
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",  # RFC 1918
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # TEST-NET-2
        "203.0.113.0/24",  # TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 broadcast
    )
)
_FORBIDDEN_V6: tuple[ipaddress.IPv6Network, ...] = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, Teredo 2001::/32 among them
        "2001:db8::/32",  # documentation
        "fc00::/7",  # unique local (ULA)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class FetchPolicy:
    """What may be fetched and how patiently.

    allowed_hosts: exact host names ("media.example.com") or "*.suffix" patterns, which match
    subdomains of the suffix only ("*.example.com" matches "a.example.com" and
    "a.b.example.com", neither "example.com" nor "evilexample.com"); compared
    case-insensitively without a trailing dot; internationalised names in their ASCII
    (punycode) form. An IP literal may be listed as an exact host. Empty: nothing is allowed.
    allow_http: http:// as well as https://, and any port (otherwise https on 443 only).
    allow_private: connect to loopback, private, link-local, CGNAT, multicast, unspecified and
    reserved addresses (metadata addresses stay refused).
    allowed_networks: networks (ipaddress.ip_network strings) let through whatever the rules
    above say, metadata addresses included; for tests ("127.0.0.1/32") and odd deployments.
    Timeouts in seconds: connect_timeout covers name resolution, TCP and TLS; read_timeout is
    the longest wait for any read (headers or a body chunk); total_timeout bounds the whole
    fetch, retries and the reading of the body included.
    max_redirects: redirects followed per attempt. retry_budget: attempts in all (1: no retry).
    retry_base_delay: the first backoff, doubling per attempt with full jitter.
    retry_max_wait: the cap on any wait between attempts, an honoured Retry-After included.
    """

    allowed_hosts: tuple[str, ...] = ()
    allow_http: bool = False
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 120.0
    max_redirects: int = 3
    retry_budget: int = 3
    retry_base_delay: float = 0.25
    retry_max_wait: float = 10.0
    _patterns: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = tuple(_normal_host(p) for p in self.allowed_hosts)
        for pattern in patterns:
            if not pattern or "*" in pattern.removeprefix("*."):
                raise ValueError(f"not a host pattern: {pattern!r}")
        object.__setattr__(self, "_patterns", patterns)
        _ = self.networks  # a malformed network fails here, not at the first fetch
        if self.retry_budget < 1 or self.max_redirects < 0:
            raise ValueError("retry_budget must be at least 1 and max_redirects at least 0")

    @cached_property
    def networks(self) -> tuple[IPNetwork, ...]:
        return tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks)

    def host_allowed(self, host: str) -> bool:
        host = _normal_host(host)
        for pattern in self._patterns:
            if pattern.startswith("*."):
                if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                    return True
            elif host == pattern:
                return True
        return False


@dataclass(frozen=True)
class ParsedTarget:
    """A URL that passed check_url: the parsed object to fetch (the same one that was checked)
    and its parts. `origin` is (scheme, host, port), what a bearer token is bound to."""

    url: URL
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    @property
    def scrubbed(self) -> str:
        return scrub(self.url)

    @property
    def is_ip_literal(self) -> bool:
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return False
        return True


def not_allowed(url: str | URL, why: str, message: str) -> MediagateError:
    return MediagateError(ErrorReason.URL_NOT_ALLOWED, message, {"url": scrub(url), "why": why})


def check_url(url: str | URL, policy: FetchPolicy) -> ParsedTarget:
    """The URL's parts, or MediagateError(URL_NOT_ALLOWED) with metadata why: scheme,
    malformed, userinfo, host or port."""
    try:
        parsed = url if isinstance(url, URL) else URL(url)
        scheme = parsed.scheme.lower()
        host = parsed.raw_host
        port = parsed.port
    except (ValueError, TypeError, UnicodeError) as exc:
        raise not_allowed(str(url), "malformed", "the URL cannot be parsed") from exc
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if scheme not in schemes:
        raise not_allowed(parsed, "scheme", f"the URL's scheme must be {' or '.join(schemes)}")
    if not parsed.is_absolute() or not host or port is None:
        raise not_allowed(parsed, "malformed", "the URL has no host")
    if parsed.raw_user is not None or parsed.raw_password is not None:
        raise not_allowed(parsed, "userinfo", "the URL must not carry a user name or password")
    host = _normal_host(host)
    if not policy.host_allowed(host):
        raise not_allowed(parsed, "host", "the URL's host is not on the allow-list")
    if not policy.allow_http and port != 443:
        raise not_allowed(parsed, "port", "the URL's port must be 443")
    return ParsedTarget(url=parsed.with_fragment(None), scheme=scheme, host=host, port=port)


def check_address(ip: str | IPAddress, policy: FetchPolicy, *, url: str | URL = "") -> None:
    """Nothing if the fetcher may connect to `ip`, else MediagateError(URL_NOT_ALLOWED) with
    why=address. The message names the kind of address, never the address (a caller must not
    learn how internal names resolve)."""
    try:
        address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    except ValueError as exc:
        raise not_allowed(url, "address", "the URL's host resolved to no usable address") from exc
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%", 1)[0])
    inner = _embedded_v4(address)
    for network in policy.networks:
        if address in network or (inner is not None and inner in network):
            return
    if address in METADATA_ADDRESSES or inner in METADATA_ADDRESSES:
        raise not_allowed(url, "address", "the URL's host resolves to a cloud metadata address")
    if policy.allow_private:
        return
    if _forbidden(address):
        raise not_allowed(
            url, "address", "the URL's host resolves to a private or otherwise internal address"
        )


def scrub(url: str | URL) -> str:
    """The URL without userinfo, query or fragment: what logs and error metadata may carry."""
    try:
        parsed = url if isinstance(url, URL) else URL(url)
        return str(parsed.with_user(None).with_query(None).with_fragment(None))
    except (ValueError, TypeError, UnicodeError):
        text = str(url).split("#", 1)[0].split("?", 1)[0]
        scheme, sep, rest = text.partition("//")
        if sep:
            authority, slash, path = rest.partition("/")
            text = scheme + sep + authority.rpartition("@")[2] + slash + path
        return text


def _normal_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def _embedded_v4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for or tunnels to, if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _V4_COMPATIBLE or address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return None


def _forbidden(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv4Address):
        return (
            any(address in n for n in _FORBIDDEN_V4) or address.is_multicast or address.is_reserved
        )
    inner = _embedded_v4(address)
    if inner is not None:
        # IPv4-mapped/-compatible and NAT64 are that IPv4 host; 6to4 is routed to it.
        return _forbidden(inner)
    return (
        any(address in n for n in _FORBIDDEN_V6)
        or address.is_multicast
        or address.is_link_local
        or address.is_site_local
        or address.is_loopback
        or address.is_unspecified
        or address.is_reserved
    )
