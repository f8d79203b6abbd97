"""One-click unsubscribe as mail clients read it: ``List-Unsubscribe: <https://…>`` (RFC 2369),
``List-Unsubscribe-Post`` (RFC 8058), and a DKIM signature over both when a key is set."""

from __future__ import annotations

import base64
import email.parser
import email.policy
import secrets
from pathlib import Path

import dkim
import pytest

from leads.followup import checkins
from leads.notify import messages, signing
from leads.notify.relay import send_pending
from tests.support.followup import adviser, silent
from tests.support.mail import smtp_server  # noqa: F401 (fixture)

LEADS_URLS = [
    "https://leads.westernbalkans-outsourcing.example",
    "https://invest.example.org/a/rather/long/prefix/for/the/live/application/behind/a/proxy",
]


@pytest.fixture
def app_overrides(request):
    return {"LEADS_URL": getattr(request, "param", LEADS_URLS[0])}


def mail_client_headers(raw: bytes):
    """Parse a message the way a mail client does (the default policy, from the raw bytes)."""
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)


def raw_line(raw: bytes, name: str) -> bytes:
    """Return a header as written in the bytes (with any folded continuation lines)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    found = [i for i, line in enumerate(head) if line.lower().startswith(name.lower() + b":")]
    assert len(found) == 1, name
    start = found[0]
    end = start + 1
    while end < len(head) and head[end][:1] in (b" ", b"\t"):
        end += 1
    return b"\r\n".join(head[start:end])


def check_in_bytes(app, lang="en") -> bytes:
    adviser()
    silent(f"{lang}@example.de", updates=True, days=22, lang=lang)
    checkins.queue_check_ins()
    send_pending()
    (path,) = Path(app.config["MAIL_FOLDER"]).glob("*-investor.check_in.eml")
    return path.read_bytes()


def assert_one_click(raw: bytes, leads_url: str) -> str:
    parsed = mail_client_headers(raw)
    value = str(parsed["List-Unsubscribe"])
    assert value.startswith("<https://"), value
    assert value.startswith(f"<{leads_url}/")
    assert value.endswith(">")
    assert "=?" not in value
    line = raw_line(raw, b"List-Unsubscribe")
    assert line.startswith(b"List-Unsubscribe: <https://")
    assert b"=?" not in line
    assert b"\r\n" not in line  # one line: no client has to unfold a URL
    assert str(parsed["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert raw_line(raw, b"List-Unsubscribe-Post") == (
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    )
    link = value[1:-1]
    assert "/unsubscribe/" in link
    assert link in parsed.get_content()
    return link


@pytest.mark.parametrize("app_overrides", LEADS_URLS, indirect=True)
@pytest.mark.parametrize("lang", ["en", "de", "sv"])
def test_the_check_in_carries_a_list_unsubscribe_link_in_angle_brackets(app, client, lang):
    raw = check_in_bytes(app, lang)
    link = assert_one_click(raw, app.config["LEADS_URL"])
    path = link.removeprefix(app.config["LEADS_URL"])
    if lang != "en":
        assert path.startswith(f"/{lang}/unsubscribe/")
    # The link a client posts to (RFC 8058: no cookies, no CSRF token) unsubscribes.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200


def test_the_same_headers_arrive_through_a_real_smtp_server(app, smtp_server):  # noqa: F811
    adviser()
    silent("yes@example.de", updates=True, days=22)
    checkins.queue_check_ins()
    send_pending()
    (raw,) = [e.content for e in smtp_server.envelopes if b"List-Unsubscribe" in e.content]
    assert_one_click(raw.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"), LEADS_URLS[0])


@pytest.mark.parametrize(
    "value", ["<https://x.example/u/" + "é" + ">", "<https://x.example/" + "a" * 1000 + ">"]
)
def test_a_list_header_that_cannot_be_one_ascii_line_is_refused(app, value):
    message = messages.new_message("Hello", "a@example.de", "Body")
    message["List-Unsubscribe"] = value
    with pytest.raises(messages.UnsafeMessageError):
        messages.serialise(message)


# -- DKIM ---------------------------------------------------------------------------------------
def _der_integer(n: int) -> bytes:
    body = n.to_bytes(n.bit_length() // 8 + 1, "big")
    return b"\x02" + _der_length(len(body)) + body


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(size)]) + size


def _der_sequence(*items: bytes) -> bytes:
    body = b"".join(items)
    return b"\x30" + _der_length(len(body)) + body


def _probable_prime(bits: int) -> int:
    while True:
        candidate = secrets.randbits(bits) | (3 << (bits - 2)) | 1  # n has all its bits
        if all(candidate % p for p in (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)) and all(
            pow(secrets.randbelow(candidate - 3) + 2, candidate - 1, candidate) == 1
            for _ in range(24)
        ):
            return candidate


def generate_rsa_key(bits: int = 1024) -> tuple[bytes, bytes]:
    """Return a fresh RSA key: the private key in PEM (PKCS#1), the public key as DER."""
    e = 65537
    while True:
        p, q = _probable_prime(bits // 2), _probable_prime(bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and phi % e:
            break
    n, d = p * q, pow(e, -1, phi)
    private = _der_sequence(
        *(_der_integer(v) for v in (0, n, e, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)))
    )
    pem = b"\n".join(
        [b"-----BEGIN RSA PRIVATE KEY-----"]
        + [
            base64.b64encode(private)[i : i + 64]
            for i in range(0, len(base64.b64encode(private)), 64)
        ]
        + [b"-----END RSA PRIVATE KEY-----", b""]
    )
    return pem, _der_sequence(_der_integer(n), _der_integer(e))


@pytest.fixture(scope="module")
def rsa_key():
    return generate_rsa_key()


@pytest.fixture
def dkim_dns(rsa_key):
    """A DNS answer for the selector, as dkim.verify asks for it (no network)."""
    _private, public = rsa_key
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    asked = []

    def dnsfunc(name, timeout=5):
        asked.append(name)
        return record if name == b"wbo2026._domainkey.westernbalkans-outsourcing.example." else None

    dnsfunc.asked = asked
    return dnsfunc


@pytest.fixture
def signing_app(app, tmp_path, rsa_key):
    key_path = tmp_path / "dkim.pem"
    key_path.write_bytes(rsa_key[0])
    app.config.update(
        DKIM_SELECTOR="wbo2026",
        DKIM_DOMAIN="westernbalkans-outsourcing.example",
        DKIM_PRIVATE_KEY_PATH=str(key_path),
    )
    return app


def signed_headers(raw: bytes) -> list[str]:
    parsed = mail_client_headers(raw)
    tags = dict(
        part.strip().split("=", 1)
        for part in str(parsed["DKIM-Signature"]).split(";")
        if "=" in part
    )
    return [name.strip().lower() for name in "".join(tags["h"].split()).split(":")]


def test_a_signed_check_in_verifies_and_covers_both_unsubscribe_headers(signing_app, dkim_dns):
    raw = check_in_bytes(signing_app)
    assert raw.startswith(b"DKIM-Signature: ")
    assert dkim.verify(raw, dnsfunc=dkim_dns)
    assert dkim_dns.asked == [b"wbo2026._domainkey.westernbalkans-outsourcing.example."]
    covered = signed_headers(raw)
    assert {"list-unsubscribe", "list-unsubscribe-post", "from", "to", "subject"} <= set(covered)
    assert_one_click(raw, signing_app.config["LEADS_URL"])


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x=y"),
        (b"List-Unsubscribe: <https://", b"List-Unsubscribe: <https://evil.example/?"),
    ],
)
def test_changing_either_unsubscribe_header_breaks_the_signature(
    signing_app, dkim_dns, header, value
):
    raw = check_in_bytes(signing_app)
    start = raw.index(header)
    end = raw.index(b"\r\n", start) if header.endswith(b"Click") else start + len(header)
    assert dkim.verify(raw, dnsfunc=dkim_dns)
    assert not dkim.verify(raw[:start] + value + raw[end:], dnsfunc=dkim_dns)


def test_every_mail_is_signed_when_a_key_is_set(signing_app, dkim_dns):
    from tests.support.mail import submit_inquiry

    submit_inquiry("eva@example.at", full_name="Александр Сергеевич Пушкин")
    send_pending()
    files = list(Path(signing_app.config["MAIL_FOLDER"]).glob("*.eml"))
    assert len(files) >= 2
    for path in files:
        raw = path.read_bytes()
        assert dkim.verify(raw, dnsfunc=dkim_dns), path.name
        assert "list-unsubscribe" not in signed_headers(raw)  # only headers that are there


def test_without_the_settings_nothing_is_signed(app):
    raw = check_in_bytes(app)
    assert b"DKIM-Signature" not in raw


@pytest.mark.parametrize("missing", ["DKIM_SELECTOR", "DKIM_DOMAIN", "DKIM_PRIVATE_KEY_PATH"])
def test_half_configured_signing_sends_nothing_unsigned(signing_app, missing):
    signing_app.config[missing] = None
    with pytest.raises(signing.SigningError, match=missing):
        signing.configured_key(signing_app.config)
    adviser()
    silent("yes@example.de", updates=True, days=22)
    checkins.queue_check_ins()
    result = send_pending()
    assert result.failed >= 1
    assert not list(Path(signing_app.config["MAIL_FOLDER"]).glob("*-investor.check_in.eml"))


def test_an_unreadable_key_file_is_an_error_not_unsigned_mail(signing_app, tmp_path):
    signing_app.config["DKIM_PRIVATE_KEY_PATH"] = str(tmp_path / "missing.pem")
    with pytest.raises(signing.SigningError, match="cannot be read"):
        signing.configured_key(signing_app.config)
