"""The client's address behind reverse proxies (login lockout, public report rate limit)."""

from django.test import RequestFactory

from zhifa.core.web import client_address

rf = RequestFactory()


def test_without_proxies_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.ZHIFA_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "203.0.113.7"


def test_behind_one_proxy_the_address_nginx_appended_counts(settings):
    settings.ZHIFA_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_a_forged_header_cannot_choose_the_address(settings):
    settings.ZHIFA_PROXY_COUNT = 1
    # The client sent "1.2.3.4" itself; nginx appended the address it really saw.
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert client_address(request) == "198.51.100.1"


def test_two_proxies_take_the_second_entry_from_the_right(settings):
    settings.ZHIFA_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1, 10.0.0.1")
    assert client_address(request) == "198.51.100.1"


def test_a_missing_header_falls_back_to_the_socket_address(settings):
    settings.ZHIFA_PROXY_COUNT = 1
    assert client_address(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
