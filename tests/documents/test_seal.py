"""The electronic seal: every stored document is sealed (PAdES) and carries its verification code; the
seal validates with pyHanko against the development CA, fails on any changed byte, reports a revoked or
expired certificate, keeps PDF/UA-1, and takes a timestamp from a timestamp authority when one is set."""

from __future__ import annotations

import asyncio
import datetime
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature

from careerbreak.documents import seal
from careerbreak.documents.codes import ALPHABET, new_code, normalize_code
from careerbreak.documents.models import Document
from careerbreak.documents.rendering import render_pdf
from careerbreak.documents.seal import SealVerdict, seal_check, seal_pdf
from careerbreak.documents.services import document_bytes, document_store, verification_url
from tests.documents.conftest import catalog, reader, structure_tags, text_of, xmp
from tests.documents.test_rendering import CONTEXT

TEMPLATE = "documents/employer_part.html"


@pytest.fixture(autouse=True)
def _fresh_signer() -> Iterator[None]:
    seal.forget_keys()
    yield
    seal.forget_keys()


def store(reference: str = "2026/00000001/51", version: int = 1, kind: str = "employer_part") -> Document:
    return document_store(
        kind=kind,
        reference=reference,
        version=version,
        language="fr",
        title=f"Employer part of request {reference}",
        template=TEMPLATE,
        context=CONTEXT,
    )


@pytest.fixture(scope="module")
def unsealed() -> bytes:
    return render_pdf(template=TEMPLATE, context=CONTEXT, language="fr", title="Employer part")


def _load(path: Path) -> Any:
    return x509.load_pem_x509_certificate(path.read_bytes())


def _ca() -> tuple[Any, Any]:
    pki = seal.development_pki()
    key = serialization.load_pem_private_key(pki.ca_key.read_bytes(), password=None)
    return _load(pki.ca_cert), key


def _asn1(cert: Any) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _signer_for(cert: Any, key: Any) -> Any:
    ca_cert, _ca_key = _ca()
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    pem_key = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_asn1(cert),
        signing_key=load_private_key_from_pemder_data(pem_key, passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(ca_cert)]),
    )


def _sealed_with(pdf: bytes, cert: Any, key: Any) -> bytes:
    seal._cache["signer"] = _signer_for(cert, key)
    try:
        return seal_pdf(pdf)
    finally:
        seal.forget_keys()


@pytest.mark.django_db
def test_a_stored_document_is_sealed_and_carries_its_code() -> None:
    document = store()
    content = document_bytes(document)  # the recorded SHA-256 is of the sealed bytes
    assert (
        document.verification_code
        and normalize_code(document.verification_code) == document.verification_code
    )
    text = text_of(content)
    assert document.verification_code in text
    assert "/verify/" in text
    # pyHanko's own validator, against the development CA, says intact, valid, trusted, whole file.
    reader = PdfFileReader(BytesIO(content))
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(signature, seal.validation_context())
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert _asn1(_ca()[0]).subject.native["common_name"] == seal.DEV_CA_NAME
    assert seal_check(content).verdict == SealVerdict.VALID


@pytest.mark.django_db
def test_each_document_version_gets_its_own_code() -> None:
    codes = {store(version=number).verification_code for number in (1, 2)}
    assert len(codes) == 2


def test_codes_are_random_unambiguous_and_forgiving() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 19 and code.count("-") == 3
        assert set(code.replace("-", "")) <= set(ALPHABET)
    code = "7KQ2-M9XD-4TRB-W1HE"
    assert normalize_code(" 7kq2 m9xd4trbw1he ") == code
    assert normalize_code("7KQ2-M9XD-4TRB-WIHE") == code  # I read as 1
    assert normalize_code("7KQ2-M9XD-4TRB-W1H") is None
    assert normalize_code("7KQ2-M9XD-4TRB-W1HU") is None  # U is not in the alphabet
    assert normalize_code("x" * 10_000) is None


def test_a_byte_changed_anywhere_breaks_the_seal(unsealed: bytes) -> None:
    sealed = seal_pdf(unsealed)
    assert sealed.startswith(unsealed)  # an incremental update: the rendering's bytes untouched
    signature_at = sealed.index(b"/Contents <") + 20
    for position in (10, len(unsealed) // 2, len(unsealed) - 5, signature_at, len(sealed) - 40):
        altered = bytearray(sealed)
        altered[position] ^= 0x01
        assert seal_check(bytes(altered)).verdict != SealVerdict.VALID, position
    assert seal_check(sealed + b"\n% one more line\n").verdict != SealVerdict.VALID


def test_an_unsealed_or_unreadable_file_has_no_seal(unsealed: bytes) -> None:
    assert seal_check(unsealed).verdict == SealVerdict.NONE
    assert seal_check(b"%PDF-1.7 garbage").verdict == SealVerdict.NONE
    assert seal_check(b"").verdict == SealVerdict.NONE


def _issued_by_the_development_ca(name: str, *, valid_from: int, valid_to: int) -> tuple[Any, Any]:
    """A seal certificate from the development CA, valid from/to that many days from now."""
    ca_cert, ca_key = _ca()
    now = datetime.datetime.now(datetime.UTC)
    return seal.issue_certificate(
        ca_cert=ca_cert,
        ca_key=ca_key,
        common_name=name,
        not_before=now + datetime.timedelta(days=valid_from),
        not_after=now + datetime.timedelta(days=valid_to),
    )


def test_a_revoked_seal_certificate_is_reported(unsealed: bytes) -> None:
    cert, key = _issued_by_the_development_ca("revoked seal", valid_from=-1, valid_to=30)
    sealed = _sealed_with(unsealed, cert, key)
    ca_cert, ca_key = _ca()
    crl = seal.certificate_revocation_list(ca_cert=ca_cert, ca_key=ca_key, revoked=[cert])
    context = seal.validation_context(crls=[crl.public_bytes(serialization.Encoding.DER)])
    assert seal_check(sealed, context=context).verdict == SealVerdict.REVOKED
    # The same seal with the development CA's own CRL (nothing revoked) is valid.
    assert seal_check(sealed).verdict == SealVerdict.VALID


def test_an_expired_seal_certificate_is_reported(unsealed: bytes) -> None:
    cert, key = _issued_by_the_development_ca("expired seal", valid_from=-60, valid_to=-1)
    sealed = _sealed_with(unsealed, cert, key)
    assert seal_check(sealed).verdict == SealVerdict.EXPIRED


def _certificate_hash(sealed: bytes) -> bytes:
    """The SHA-256 the seal's signing-certificate-v2 attribute gives for the certificate that sealed."""
    (signature,) = PdfFileReader(BytesIO(sealed)).embedded_signatures
    (attribute,) = [
        attr
        for attr in signature.signer_info["signed_attrs"]
        if attr["type"].native == "signing_certificate_v2"
    ]
    (cert_id,) = attribute["values"][0]["certs"]
    assert cert_id["hash_algorithm"]["algorithm"].native == "sha256"
    return bytes(cert_id["cert_hash"].native)


def test_the_seal_names_the_certificate_that_sealed(unsealed: bytes) -> None:
    # The attribute is encoded once per signer (seal._seal_signer_class): each signer names its own
    # certificate, on every document it seals.
    cert, key = _issued_by_the_development_ca("second seal", valid_from=-1, valid_to=30)
    plain = _signer_for(cert, key)
    second = seal._seal_signer_class()(
        signing_cert=plain.signing_cert, signing_key=plain.signing_key, cert_registry=plain.cert_registry
    )
    for signer in (seal.signer(), second):
        seal._cache["signer"] = signer
        expected = hashes.Hash(hashes.SHA256())
        expected.update(signer.signing_cert.dump())
        digest = expected.finalize()
        for _ in range(2):
            sealed = seal_pdf(unsealed)
            assert _certificate_hash(sealed) == digest
            assert seal_check(sealed).verdict == SealVerdict.VALID
    # pyHanko's own SimpleSigner writes the same for that certificate; the development seal differs.
    seal.forget_keys()
    assert _certificate_hash(_sealed_with(unsealed, cert, key)) == digest
    assert _certificate_hash(seal_pdf(unsealed)) != digest


def test_a_seal_from_another_ca_is_not_trusted(unsealed: bytes) -> None:
    other_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "someone else")])
    other = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(other_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(other_key, hashes.SHA256())
    )
    cert, key = seal.issue_certificate(
        ca_cert=other,
        ca_key=other_key,
        common_name="forged seal",
        not_before=now - datetime.timedelta(days=1),
        not_after=now + datetime.timedelta(days=30),
    )
    sealed = _sealed_with(unsealed, cert, key)
    assert seal_check(sealed).verdict == SealVerdict.UNTRUSTED


@pytest.mark.django_db
def test_the_sealed_document_is_still_pdf_ua_1() -> None:
    content = document_bytes(store())
    root = catalog(content)
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert 'pdfuaid:part="1"' in xmp(content)
    tags = structure_tags(content)
    # The QR code is a figure with its text alternative; the seal's line is text like any other.
    assert "Figure" in tags
    assert "Figure" in tags[-8:]  # at the end: the seal footer


@pytest.mark.django_db
def test_the_qr_code_is_a_small_image_drawn_unsmoothed() -> None:
    # One pixel per module (documents/services.py), shown at 22 mm: /Interpolate false keeps the modules
    # square at any zoom. The code it holds is the document's verification address.
    import segno

    document = store()
    content = document_bytes(document)
    images = [
        xobject
        for page in reader(content).pages
        for xobject in (page["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object()["/Subtype"] == "/Image"
    ]
    (image,) = [xobject.get_object() for xobject in images]
    expected = segno.make(verification_url(document.verification_code or ""), error="m")
    assert (image["/Width"], image["/Height"]) == expected.symbol_size(scale=1, border=0)
    assert image["/Interpolate"] is False or image["/Interpolate"].value is False


@pytest.fixture
def timestamp_authority() -> Iterator[str]:
    """A local RFC 3161 timestamp server (pyHanko's DummyTimeStamper behind HTTP) on a free port."""
    ca_cert, ca_key = _ca()
    now = datetime.datetime.now(datetime.UTC)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # the dummy TSA signs RSA only
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "careerbreak test TSA")]))
        .issuer_name(ca_cert.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    pem_key = tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(tsa_cert),
        tsa_key=load_private_key_from_pemder_data(pem_key, passphrase=None),
        certs_to_embed=[_asn1(ca_cert)],
    )
    requests: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = tsp.TimeStampReq.load(body)
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            requests.append(len(body))
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
        assert requests, "the timestamp authority was never asked"
    finally:
        server.shutdown()
        server.server_close()


def test_with_a_timestamp_authority_the_seal_is_pades_b_t(
    settings: Any, timestamp_authority: str, unsealed: bytes
) -> None:
    settings.SEAL_TSA_URL = timestamp_authority
    sealed = seal_pdf(unsealed)
    check = seal_check(sealed)
    assert check.verdict == SealVerdict.VALID
    assert check.timestamped
    # Without it: PAdES-B-B, no timestamp.
    settings.SEAL_TSA_URL = ""
    assert not seal_check(seal_pdf(unsealed)).timestamped


def test_an_unreachable_timestamp_authority_stops_the_seal(settings: Any, unsealed: bytes) -> None:
    settings.SEAL_TSA_URL = "http://127.0.0.1:9/tsa"
    with pytest.raises(seal.SealError):
        seal_pdf(unsealed)


def test_the_development_ca_is_generated_once_and_named_as_such(tmp_path: Path) -> None:
    pki = seal.development_pki(tmp_path / "seal")
    first = pki.ca_cert.read_bytes()
    assert seal.development_pki(tmp_path / "seal").ca_cert.read_bytes() == first
    assert _load(pki.ca_cert).subject.rfc4514_string().count("DEVELOPMENT CA") == 1
    assert "not for production" in _load(pki.seal_cert).subject.rfc4514_string()
