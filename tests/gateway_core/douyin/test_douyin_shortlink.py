"""Short link -> object_id: host allow-list before any request, redirects, decoding, host_map."""

from __future__ import annotations

import asyncio
from urllib.parse import quote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateway_core.douyin import (
    DouyinClient,
    DouyinUnavailable,
    NotAShortLink,
    RetryPolicy,
    ShortLinkDead,
    ShortLinkError,
    ShortLinkHostNotAllowed,
)
from gateway_core.douyin.shortlink import (
    MAX_HOPS,
    check_link,
    clean_link,
    dial_url,
    object_id_from,
    resolve_short_link,
)

OBJ = "I0ZwZEZpb2U1N0pjQVZxS2NJRTFSQW5WK1c4bmxvbnNWdUQ2Wk85Y1N0eHpRUFpMMmZwNTdFM2NKeWlFNDM2QT0"
LONG = (
    "https://www.iesdouyin.com/share/commerce/coupon/{obj}/?schema_type=13&object_id={obj}"
    "&utm_campaign=client_scan_share&app=aweme&utm_medium=ios&tt_from=scan_share&iid=&utm_source=scan_share"
)
ALLOWED = ("v.douyin.com",)
B64 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_", min_size=1, max_size=120)


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"location": location})


def run_resolve(url: str, handler, *, allowed=ALLOWED, host_map=None) -> tuple[str | Exception, list[str]]:
    """Resolve over httpx.MockTransport; returns (result or raised ShortLinkError/DouyinError, urls dialled)."""
    dialled: list[str] = []

    async def go() -> str:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:

            async def fetch(target: str) -> httpx.Response:
                dialled.append(target)
                return await http.get(target, follow_redirects=False)

            return await resolve_short_link(url, fetch, allowed_hosts=allowed, host_map=host_map)

    try:
        return asyncio.run(go()), dialled
    except (ShortLinkError, DouyinUnavailable) as exc:
        return exc, dialled


# -- through the client (respx) ------------------------------------------------------------------


@pytest.fixture
def link_client(make_client) -> DouyinClient:
    return make_client(retry=RetryPolicy(attempts=2, base_delay=0))


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_first_hop_location_gives_the_object_id(link_client, mock, status):
    route = mock.get("https://v.douyin.com/eHHc1ft/").mock(return_value=redirect(LONG.format(obj=OBJ), status))
    long_page = mock.get(host="www.iesdouyin.com")
    assert await link_client.resolve_short_link("https://v.douyin.com/eHHc1ft/") == OBJ
    assert route.call_count == 1
    assert long_page.call_count == 0  # the long link itself is never fetched
    request = route.calls.last.request
    assert request.method == "GET" and "access-token" not in request.headers


async def test_scanner_noise_around_the_link_is_stripped(link_client, mock):
    route = mock.get("https://v.douyin.com/eHHc1ft").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await link_client.resolve_short_link("\ufeff \t https://v.douyin.com/eHHc1ft\r\n\x1d\x00") == OBJ
    assert route.call_count == 1


async def test_a_long_link_without_slash_is_sent_as_is(link_client, mock):
    slug = "A" * 300 + "b-_~"
    route = mock.get(f"https://v.douyin.com/{slug}").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await link_client.resolve_short_link(f"https://v.douyin.com/{slug}") == OBJ
    assert route.calls.last.request.url.path == f"/{slug}"


async def test_encoded_object_id_is_decoded_once(link_client, mock):
    raw = "Cg+b/9Zz=="
    mock.get("https://v.douyin.com/x/").mock(
        return_value=redirect(f"https://www.iesdouyin.com/c/?a=1&object_id={quote(quote(raw, safe=''), safe='')}")
    )
    # double-encoded on the wire -> decoded exactly once: one level of escapes remains
    assert await link_client.resolve_short_link("https://v.douyin.com/x/") == quote(raw, safe="")


@pytest.mark.parametrize("status", [404, 410])
async def test_dead_links(link_client, mock, status):
    mock.get("https://v.douyin.com/gone/").mock(return_value=httpx.Response(status))
    with pytest.raises(ShortLinkDead):
        await link_client.resolve_short_link("https://v.douyin.com/gone/")


async def test_a_page_without_redirect_is_not_a_short_link(link_client, mock):
    mock.get("https://v.douyin.com/page/").mock(return_value=httpx.Response(200, html="<html>hi</html>"))
    with pytest.raises(NotAShortLink):
        await link_client.resolve_short_link("https://v.douyin.com/page/")


async def test_redirect_without_location(link_client, mock):
    mock.get("https://v.douyin.com/x/").mock(return_value=httpx.Response(302))
    with pytest.raises(ShortLinkError):
        await link_client.resolve_short_link("https://v.douyin.com/x/")


async def test_other_client_errors(link_client, mock):
    mock.get("https://v.douyin.com/x/").mock(return_value=httpx.Response(403))
    with pytest.raises(ShortLinkError) as info:
        await link_client.resolve_short_link("https://v.douyin.com/x/")
    assert type(info.value) is ShortLinkError


async def test_host_errors_are_retried_then_unavailable(link_client, mock):
    route = mock.get("https://v.douyin.com/x/").mock(return_value=httpx.Response(502))
    with pytest.raises(DouyinUnavailable):
        await link_client.resolve_short_link("https://v.douyin.com/x/")
    assert route.call_count == 2
    route.mock(side_effect=[httpx.ConnectError("down"), redirect(LONG.format(obj=OBJ))])
    assert await link_client.resolve_short_link("https://v.douyin.com/x/") == OBJ


async def test_follows_allowed_hops_then_stops(link_client, mock):
    mock.get("https://v.douyin.com/a/").mock(return_value=redirect("https://v.douyin.com/b/"))
    mock.get("https://v.douyin.com/b/").mock(return_value=redirect("/c/"))  # relative
    mock.get("https://v.douyin.com/c/").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await link_client.resolve_short_link("https://v.douyin.com/a/") == OBJ


async def test_at_most_three_hops(link_client, mock):
    routes = [
        mock.get(f"https://v.douyin.com/{i}/").mock(return_value=redirect(f"https://v.douyin.com/{i + 1}/"))
        for i in range(10)
    ]
    with pytest.raises(ShortLinkError):
        await link_client.resolve_short_link("https://v.douyin.com/0/")
    # the link itself plus three redirects, then it gives up (spec: at most 3 hops)
    assert [r.call_count for r in routes[:6]] == [1, 1, 1, 1, 0, 0]
    assert MAX_HOPS == 3


async def test_redirect_to_a_foreign_host_without_object_id_is_never_fetched(link_client, mock):
    mock.get("https://v.douyin.com/x/").mock(return_value=redirect("http://169.254.169.254/latest/meta-data/"))
    metadata = mock.get(host="169.254.169.254")
    with pytest.raises(ShortLinkError) as info:
        await link_client.resolve_short_link("https://v.douyin.com/x/")
    assert not isinstance(info.value, ShortLinkHostNotAllowed)
    assert metadata.call_count == 0


@pytest.mark.parametrize(
    "link",
    [
        "https://v.douyin.com.evil.com/x/",
        "https://evil.com/v.douyin.com/x/",
        "https://v.douyin.com@evil.com/x/",
        "https://evil.com@v.douyin.com/x/",
        "https://user:pw@v.douyin.com/x/",
        "https://evil.com\\@v.douyin.com/x/",
        "https://v.douyin.com\\.evil.com/x/",
        "https://xv.douyin.com/x/",
        "https://douyin.com/x/",
        "ftp://v.douyin.com/x/",
        "javascript://v.douyin.com/%0aalert(1)",
        "file://v.douyin.com/etc/passwd",
        "//v.douyin.com/x/",
        "v.douyin.com/x/",
        "https:v.douyin.com/x/",
        "https://v%2Edouyin.com/x/",
        "https://v.douyin.com./x/",
        "https://v．douyin.com/x/",
        "https://v.douyin.com:99999/x/",
        "https://v.douyin.com /x/",
        "https://v.douyin.com\t.evil.com/x/",
        "https://[::1]/x/",
        "https://127.0.0.1/x/",
        "104686126200130",
        "",
    ],
)
async def test_links_off_the_allow_list_are_refused_before_any_request(link_client, mock, link):
    anything = mock.route()
    with pytest.raises(ShortLinkHostNotAllowed):
        await link_client.resolve_short_link(link)
    assert anything.call_count == 0


@pytest.mark.parametrize("link", ["HTTPS://V.DOUYIN.COM/x/", "http://v.douyin.com/x/", "https://v.douyin.com:443/x/"])
async def test_case_scheme_and_port_variants_are_accepted(link_client, mock, link):
    mock.get(host="v.douyin.com").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await link_client.resolve_short_link(link) == OBJ


async def test_host_map_dials_the_mapped_base_keeping_path_and_query(make_client, mock):
    client = make_client(host_map={"v.douyin.com": "http://127.0.0.1:5123"})
    route = mock.get("http://127.0.0.1:5123/eHHc1ft/").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await client.resolve_short_link("https://v.douyin.com/eHHc1ft/?s=1&t=a%2Bb") == OBJ
    assert route.calls.last.request.url.raw_path == b"/eHHc1ft/?s=1&t=a%2Bb"


async def test_host_map_does_not_widen_the_allow_list(make_client, mock):
    client = make_client(host_map={"evil.com": "http://127.0.0.1:5123"})
    anything = mock.route()
    with pytest.raises(ShortLinkHostNotAllowed):
        await client.resolve_short_link("https://evil.com/x/")
    with pytest.raises(ShortLinkHostNotAllowed):
        await client.resolve_short_link("http://127.0.0.1:5123/x/")
    assert anything.call_count == 0


async def test_configured_hosts_replace_the_default(make_client, mock):
    client = make_client(short_link_hosts=("S.Example.CN",))
    mock.get("https://s.example.cn/x").mock(return_value=redirect(LONG.format(obj=OBJ)))
    assert await client.resolve_short_link("https://s.example.cn/x") == OBJ
    with pytest.raises(ShortLinkHostNotAllowed):
        await client.resolve_short_link("https://v.douyin.com/x")


# -- pure parts and properties (hypothesis) ------------------------------------------------------


def test_clean_link():
    assert clean_link(" \u200b\thttps://v.douyin.com/a\r\n\x00") == "https://v.douyin.com/a"
    assert clean_link("https://v.douyin.com/a") == "https://v.douyin.com/a"


def test_dial_url_keeps_the_link_when_unmapped():
    parts = check_link("https://v.douyin.com/a?b=%2B#frag", ALLOWED)
    assert dial_url(parts, {}) == "https://v.douyin.com/a?b=%2B"
    assert dial_url(check_link("https://v.douyin.com", ALLOWED), {}) == "https://v.douyin.com/"


def encodings(value: str) -> st.SearchStrategy[str]:
    """The same value as a redirect might carry it: raw, fully encoded, or any mix per character."""
    mixed = st.lists(st.booleans(), min_size=len(value), max_size=len(value)).map(
        lambda flags: "".join(quote(ch, safe="") if f else ch for ch, f in zip(value, flags, strict=True))
    )
    return st.one_of(st.just(value), st.just(quote(value, safe="")), mixed)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), obj=B64)
def test_object_id_round_trips_however_it_is_encoded(data, obj):
    wire = data.draw(encodings(obj))
    before = data.draw(st.lists(st.sampled_from(["schema_type=13", "iid=", "a=b%2Bc", "x"]), max_size=3))
    after = data.draw(st.lists(st.sampled_from(["utm_source=scan_share", "app=aweme", "y=+"]), max_size=3))
    query = "&".join([*before, f"object_id={wire}", *after])
    host = data.draw(st.sampled_from(["www.iesdouyin.com", "v.douyin.com", "a.b"]))
    assert object_id_from(f"https://{host}/share/commerce/coupon/{wire}/?{query}#frag") == obj


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obj=B64, data=st.data())
def test_resolve_returns_the_exact_object_id(obj, data):
    wire = data.draw(encodings(obj))
    result, dialled = run_resolve(
        "https://v.douyin.com/Zx9/",
        lambda request: redirect(f"https://www.iesdouyin.com/s/?schema_type=13&object_id={wire}&app=aweme"),
    )
    assert result == obj
    assert dialled == ["https://v.douyin.com/Zx9/"]


def test_literal_plus_stays_plus():
    assert object_id_from("https://x.y/?object_id=ab+cd/ef==") == "ab+cd/ef=="
    assert object_id_from("https://x.y/?object_id=ab%2Bcd%2Fef%3D%3D") == "ab+cd/ef=="
    assert object_id_from("https://x.y/?other=1") is None
    assert object_id_from("https://x.y/?object_id=&object_id=zz") == "zz"


HOST_LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
HOSTS = st.one_of(
    st.sampled_from(["v.douyin.com", "V.Douyin.COM", "v.douyin.com.", "douyin.com", "www.iesdouyin.com"]),
    st.builds(lambda a, b: f"{a}.{b}", HOST_LABEL, HOST_LABEL),
    st.builds(lambda a: f"v.douyin.com.{a}", HOST_LABEL),
    st.builds(lambda a: f"{a}v.douyin.com", HOST_LABEL),
    st.builds(lambda a: f"{a}.v.douyin.com", HOST_LABEL),
)
TRICK = st.sampled_from(["", "user@", "v.douyin.com@", "a:b@", "v.douyin.com\\@", "%40"])
SUFFIX = st.sampled_from(["", ":443", ":8080", "@evil.com", "\\@evil.com", "#@evil.com", "?@evil.com", ".", " "])


@settings(max_examples=300, deadline=None)
@given(scheme=st.sampled_from(["http", "https", "HTTPS", "ftp", "ws", ""]), trick=TRICK, host=HOSTS, suffix=SUFFIX)
def test_host_check_accepts_exactly_the_allowed_host(scheme, trick, host, suffix):
    url = f"{scheme}://{trick}{host}{suffix}/slug"
    try:
        parts = check_link(url, ALLOWED)
    except ShortLinkHostNotAllowed:
        accepted = False
    else:
        accepted = True
        assert parts.hostname == "v.douyin.com"
    expected = (
        scheme.lower() in {"http", "https"}
        and trick == ""
        and host.lower() == "v.douyin.com"
        and suffix in {"", ":443", ":8080", "#@evil.com", "?@evil.com"}
    )
    assert accepted is expected, url


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60))
def test_anything_accepted_is_on_the_allow_list_for_both_parsers(text):
    for candidate in (text, f"https://{text}", f"https://v.douyin.com{text}", f"https://{text}v.douyin.com/x"):
        try:
            parts = check_link(candidate, ALLOWED)
        except ShortLinkHostNotAllowed:
            continue
        assert parts.hostname == "v.douyin.com"
        assert urlsplit(candidate).hostname == "v.douyin.com"
        url = httpx.URL(candidate)
        assert url.host == "v.douyin.com" and url.userinfo == b""


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(host=HOSTS, trick=TRICK)
def test_refused_links_make_no_request(host, trick):
    url = f"https://{trick}{host}/slug/"
    result, dialled = run_resolve(url, lambda request: redirect(LONG.format(obj=OBJ)))
    if trick == "" and host.lower() == "v.douyin.com":
        assert result == OBJ
    else:
        assert isinstance(result, ShortLinkHostNotAllowed)
        assert dialled == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(host=HOSTS)
def test_redirects_are_followed_only_on_allowed_hosts(host):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/start/":
            return redirect(f"https://{host}/next/")
        return redirect(LONG.format(obj=OBJ))

    result, dialled = run_resolve("https://v.douyin.com/start/", handler)
    if host.lower() == "v.douyin.com":
        assert result == OBJ and len(dialled) == 2
    else:
        assert isinstance(result, ShortLinkError) and not isinstance(result, ShortLinkHostNotAllowed)
        assert dialled == ["https://v.douyin.com/start/"]
