"""The always-on guard: tests can reach this machine and nothing else."""

import socket

import pytest

from tests.support.network_guard import NetworkBlockedError


def test_connecting_to_a_remote_address_fails_before_any_packet_is_sent():
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(NetworkBlockedError),
    ):
        sock.connect(("203.0.113.10", 443))


def test_resolving_a_remote_name_fails():
    with pytest.raises(NetworkBlockedError):
        socket.getaddrinfo("api.hubapi.com", 443)


def test_loopback_stays_reachable():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
