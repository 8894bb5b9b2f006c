"""The electronic seal (PAdES) of every PDF the service issues, and its validation (ADR 0023).

`seal_pdf(pdf)` appends an incremental update to a rendered PDF: an invisible signature field whose
signature (CMS, ETSI.CAdES.detached) covers every byte before it, signed with the organisation's seal
certificate and the signing time; PAdES-B-T when a timestamp authority is configured (SEAL_TSA_URL),
PAdES-B-B otherwise. The visible part of the seal (a line, the verification code and its QR code) is in
the rendered document itself (documents/seal_footer.html): the PDF/UA-1 structure WeasyPrint wrote stays
as it was, since an incremental update only adds objects.

Where the key lives (settings, docs/deployment.md): SEAL_CERT and SEAL_KEY (PEM, usually given as
SEAL_CERT_FILE / SEAL_KEY_FILE), with SEAL_CHAIN for the intermediate certificates; or a PKCS#11 module
(SEAL_PKCS11_MODULE and its labels). Production refuses to start without one of them. Outside
production, without either, a development certificate authority and a seal certificate are generated at
first use under CAREERBREAK_VAR_DIR/seal/ ("careerbreak DEVELOPMENT CA — not for production").

`seal_check(pdf)` validates the seal of a PDF with pyHanko against the trust roots (SEAL_TRUST_ROOTS, or
the development CA) and the certificate revocation lists it knows.
"""

from __future__ import annotations

import datetime
import enum
import functools
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings

from careerbreak.documents.rendering import RenderingError

logger = logging.getLogger(__name__)

DEV_CA_NAME = "careerbreak DEVELOPMENT CA — not for production"
DEV_SEAL_NAME = "careerbreak DEVELOPMENT seal — not for production"
FIELD_NAME = "CareerbreakSeal"
DEV_CRL_URL = "http://127.0.0.1/careerbreak-development-ca.crl"
# Room for the CMS object: the certificate chain and, with B-T, the timestamp token.
SIGNATURE_SIZE = 16_384


class SealError(RenderingError):
    """The seal could not be applied (key unusable, timestamp authority unreachable): the document could
    not be produced, as when it cannot be rendered; the caller may try again later."""


# The development certificate authority ---------------------------------------------------------------


@dataclass(frozen=True)
class DevelopmentPki:
    folder: Path

    @property
    def ca_cert(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.folder / "ca.key"

    @property
    def seal_cert(self) -> Path:
        return self.folder / "seal.pem"

    @property
    def seal_key(self) -> Path:
        return self.folder / "seal.key"

    @property
    def crl(self) -> Path:
        return self.folder / "crl.pem"


def _name(common_name: str) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "careerbreak (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _pem_key(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def issue_certificate(
    *,
    ca_cert: Any,
    ca_key: Any,
    common_name: str,
    not_before: datetime.datetime,
    not_after: datetime.datetime,
) -> tuple[Any, Any]:
    """A seal certificate (and its new key) issued by this CA: digital signature and non-repudiation."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        # A validator checks revocation only for a certificate that says where its CRL is. The development
        # CRL is never fetched (SEAL_REVOCATION_FETCH is off outside production): the page is given it.
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(DEV_CRL_URL)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def certificate_revocation_list(
    *, ca_cert: Any, ca_key: Any, revoked: list[Any], since: datetime.datetime | None = None
) -> Any:
    """A CRL of this CA listing `revoked` certificates (revoked now), issued at `since` (five minutes
    ago by default) and valid a year."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(since or now - datetime.timedelta(minutes=5))
        .next_update(now + datetime.timedelta(days=365))
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
    )
    for cert in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(cert.serial_number)
            .revocation_date(now - datetime.timedelta(minutes=1))
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256())


def _write_development_pki(folder: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    now = datetime.datetime.now(datetime.UTC)
    # Valid from well before any document: tests that freeze the clock in the past still validate.
    since = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(DEV_CA_NAME)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(since)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    seal_cert, seal_key = issue_certificate(
        ca_cert=ca_cert,
        ca_key=ca_key,
        common_name=DEV_SEAL_NAME,
        not_before=since,
        not_after=now + datetime.timedelta(days=3 * 365),
    )
    # Issued at the same date: a CRL issued after a validation's time is "too recent" for pyHanko, so
    # one issued today failed the tests that freeze the clock earlier when it was generated first.
    crl = certificate_revocation_list(ca_cert=ca_cert, ca_key=ca_key, revoked=[], since=since)
    pki = DevelopmentPki(folder)
    pki.ca_key.write_bytes(_pem_key(ca_key))
    pki.ca_cert.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    pki.seal_key.write_bytes(_pem_key(seal_key))
    pki.seal_cert.write_bytes(seal_cert.public_bytes(serialization.Encoding.PEM))
    pki.crl.write_bytes(crl.public_bytes(serialization.Encoding.PEM))


def development_pki(folder: Path | None = None) -> DevelopmentPki:
    """The development CA and seal certificate under `folder` (SEAL_DEV_DIR), generated the first time.

    Written to a temporary folder then renamed into place: two processes starting at once (the test
    workers) each generate one, the first rename wins, and both use the winner's.
    """
    folder = Path(folder or settings.SEAL_DEV_DIR)
    pki = DevelopmentPki(folder)
    if pki.crl.is_file():
        return pki
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".seal-", dir=folder.parent))
    try:
        _write_development_pki(scratch)
        os.rename(scratch, folder)
        logger.warning("generated the development seal CA under %s (%s)", folder, DEV_CA_NAME)
    except OSError:
        if not pki.crl.is_file():
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return pki


# Signing ---------------------------------------------------------------------------------------------


def _load_cert(pem: str | bytes) -> Any:
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509 as asn1_x509

    data = pem.encode() if isinstance(pem, str) else pem
    return [asn1_x509.Certificate.load(der) for _type, _headers, der in asn1_pem.unarmor(data, multiple=True)]


def _configured_signer() -> Any:
    """The signer the settings describe: PKCS#11, PEM key and certificate, or the development one."""
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if settings.SEAL_PKCS11_MODULE:
        return _pkcs11_signer()
    if settings.SEAL_CERT and settings.SEAL_KEY:
        certs = _load_cert(settings.SEAL_CERT)
        chain = _load_cert(settings.SEAL_CHAIN) if settings.SEAL_CHAIN else []
        passphrase = settings.SEAL_KEY_PASSPHRASE.encode() if settings.SEAL_KEY_PASSPHRASE else None
        key = load_private_key_from_pemder_data(settings.SEAL_KEY.encode(), passphrase=passphrase)
    else:
        if settings.PRODUCTION:  # pragma: no cover - the settings refuse to start without keys
            raise SealError("No seal key is configured.")
        pki = development_pki()
        certs = _load_cert(pki.seal_cert.read_bytes())
        chain = _load_cert(pki.ca_cert.read_bytes())
        key = load_private_key_from_pemder_data(pki.seal_key.read_bytes(), passphrase=None)
    return _seal_signer_class()(
        signing_cert=certs[0],
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([*certs[1:], *chain]),
    )


@functools.cache
def _seal_signer_class() -> Any:
    """pyHanko's SimpleSigner, with the signing-certificate-v2 attribute (RFC 5035: the hash, issuer and
    serial number of the seal certificate, which every PAdES signature carries) encoded once per process.

    pyHanko builds that attribute again for every signature, and asn1crypto encodes the issuer's name in
    pure Python each time: 3-5 ms, a third of a seal. The attribute depends only on the certificate, so
    its DER is kept and each signature reads a fresh copy of it (the bytes signed are the same).
    """
    from asn1crypto import cms
    from pyhanko.sign import attributes, signers
    from pyhanko.sign.signers.pdf_cms import SignedAttributeProviderSpec

    class CertificateAttribute(attributes.CMSAttributeProvider):
        attribute_type = "signing_certificate_v2"

        def __init__(self, der: bytes) -> None:
            self.der = der

        async def get_attribute(self, dry_run: bool = False) -> Any:
            return cms.CMSAttribute.load(self.der)

    class CachedCertificateAttribute(SignedAttributeProviderSpec):
        def __init__(self, spec: Any, der: bytes) -> None:
            self.spec = spec
            self.der = der

        def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str) -> Any:
            for provider in self.spec.signed_attr_providers(
                data_digest=data_digest, digest_algorithm=digest_algorithm
            ):
                if isinstance(provider, attributes.SigningCertificateV2Provider):
                    yield CertificateAttribute(self.der)
                else:
                    yield provider

    class SealSigner(signers.SimpleSigner):
        _certificate_attribute: bytes | None = None

        def _signed_attr_provider_spec(self, *args: Any, **kwargs: Any) -> Any:
            spec = super()._signed_attr_provider_spec(*args, **kwargs)
            if self._certificate_attribute is None:
                from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute

                value = as_signing_certificate_v2(self.signing_cert)
                self._certificate_attribute = simple_cms_attribute("signing_certificate_v2", value).dump()
            return CachedCertificateAttribute(spec, self._certificate_attribute)

    return SealSigner


def _pkcs11_signer() -> Any:
    """pyHanko's PKCS#11 signer on the configured module (an HSM in production). Needs pyHanko's pkcs11
    extra (python-pkcs11), which the project does not install: production installs it with its HSM."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    session = pkcs11.open_pkcs11_session(
        settings.SEAL_PKCS11_MODULE,
        token_criteria=TokenCriteria(label=settings.SEAL_PKCS11_TOKEN_LABEL or None),
        user_pin=settings.SEAL_PKCS11_PIN or None,
    )
    return pkcs11.PKCS11Signer(
        session,
        cert_label=settings.SEAL_PKCS11_CERT_LABEL or None,
        key_label=settings.SEAL_PKCS11_KEY_LABEL or None,
    )


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def signer() -> Any:
    """The process's signer, built once."""
    with _lock:
        if "signer" not in _cache:
            _cache["signer"] = _configured_signer()
        return _cache["signer"]


def forget_keys() -> None:
    """Drops the cached signer and trust roots (tests that change the settings; a rotated key)."""
    with _lock:
        _cache.clear()


def sealed_by() -> str:
    """Who seals: the organisation (or common name) of the seal certificate, for the printed line."""
    cert = signer().signing_cert
    subject = cert.subject.native
    return str(subject.get("organization_name") or subject.get("common_name") or "")


# Where the visible stamp of a sealed copy goes (`stamp_text`): the bottom margin of the last page, which
# the documents' stylesheet leaves empty (20 mm), in PDF points from the bottom left corner of an A4 page.
STAMP_BOX = (51, 8, 544, 50)


def seal_pdf(pdf: bytes, *, stamp_text: str | None = None) -> bytes:
    """`pdf` with the seal appended as an incremental update (the bytes before it unchanged).

    PAdES-B-T with a timestamp from SEAL_TSA_URL when it is set, PAdES-B-B otherwise. Raises SealError
    when the key or the timestamp authority fails. A document rendered by the service prints its seal
    line itself (invisible signature field); `stamp_text` makes the field visible with that text instead,
    for a copy of a document rendered before the seal existed (its content cannot change).
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    timestamper = timestamps.HTTPTimeStamper(settings.SEAL_TSA_URL) if settings.SEAL_TSA_URL else None
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Electronic seal of the issuing service",
        use_pades_lta=False,
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        pdf_signer = signers.PdfSigner(
            metadata,
            signer=signer(),
            timestamper=timestamper,
            new_field_spec=(
                fields.SigFieldSpec(sig_field_name=FIELD_NAME, on_page=-1, box=STAMP_BOX)
                if stamp_text
                else fields.SigFieldSpec(sig_field_name=FIELD_NAME)
            ),
            stamp_style=TextStampStyle(stamp_text=stamp_text.replace("%", "%%")) if stamp_text else None,
        )
        out = BytesIO()
        pdf_signer.sign_pdf(
            writer,
            output=out,
            bytes_reserved=SIGNATURE_SIZE,
        )
    except SealError:
        raise
    except Exception as exc:
        logger.error("the seal could not be applied: %r", exc)
        raise SealError(f"The seal could not be applied: {exc.__class__.__name__}") from exc
    return out.getvalue()


# Validation ------------------------------------------------------------------------------------------


class SealVerdict(enum.StrEnum):
    VALID = "valid"
    NONE = "none"  # no seal at all, or not a PDF pyHanko can read
    ALTERED = "altered"  # the signed bytes changed, or something was added after the seal
    REVOKED = "revoked"
    EXPIRED = "expired"
    UNTRUSTED = "untrusted"  # not issued under our trust roots, or otherwise invalid


@dataclass(frozen=True)
class SealCheck:
    verdict: SealVerdict
    signed_at: datetime.datetime | None = None
    timestamped: bool = False


def trust_roots() -> list[Any]:
    """SEAL_TRUST_ROOTS; else the self-signed certificates of SEAL_CHAIN; else the development CA."""
    if settings.SEAL_TRUST_ROOTS:
        return _load_cert(settings.SEAL_TRUST_ROOTS)
    if settings.SEAL_CERT or settings.SEAL_PKCS11_MODULE:
        chain = _load_cert(settings.SEAL_CHAIN) if settings.SEAL_CHAIN else []
        return [cert for cert in chain if cert.self_signed == "maybe" or cert.self_signed == "yes"]
    return _load_cert(development_pki().ca_cert.read_bytes())


def known_crls() -> list[bytes]:
    """The CRLs given to the validator (DER): the development CA's outside production, and SEAL_CRLS."""
    from asn1crypto import pem as asn1_pem

    blobs: list[bytes] = []
    if settings.SEAL_CRLS:
        blobs.append(settings.SEAL_CRLS.encode())
    if not (settings.SEAL_CERT or settings.SEAL_PKCS11_MODULE):
        blobs.append(development_pki().crl.read_bytes())
    crls = []
    for blob in blobs:
        if asn1_pem.detect(blob):
            crls += [der for _type, _headers, der in asn1_pem.unarmor(blob, multiple=True)]
        else:
            crls.append(blob)
    return crls


def validation_context(*, roots: list[Any] | None = None, crls: list[bytes] | None = None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=trust_roots() if roots is None else roots,
        crls=known_crls() if crls is None else crls,
        allow_fetching=bool(settings.SEAL_REVOCATION_FETCH),
        revocation_mode="soft-fail",
    )


def seal_check(pdf: bytes, *, context: Any = None) -> SealCheck:
    """The verdict on the last seal of `pdf`: valid only if it covers the whole file, is intact and
    chains to a trust root, with its certificate neither revoked nor expired. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        seals = [sig for sig in reader.embedded_signatures if sig.field_name == FIELD_NAME]
    except Exception:
        return SealCheck(SealVerdict.NONE)
    if not seals:
        return SealCheck(SealVerdict.NONE)
    try:
        status = validate_pdf_signature(seals[-1], context or validation_context())
    except Exception as exc:  # a malformed signature: whatever pyHanko raises, the answer is "altered"
        logger.info("a seal could not be validated: %r", exc)
        return SealCheck(SealVerdict.ALTERED)
    signed_at = status.signer_reported_dt
    timestamped = status.timestamp_validity is not None
    if not status.intact or not status.valid:
        return SealCheck(SealVerdict.ALTERED, signed_at, timestamped)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(SealVerdict.ALTERED, signed_at, timestamped)
    if status.revoked:
        return SealCheck(SealVerdict.REVOKED, signed_at, timestamped)
    if not status.trusted:
        problem = str(getattr(status, "trust_problem_indic", "") or "")
        verdict = SealVerdict.EXPIRED if "EXPIRED" in problem or "OUT_OF_BOUNDS" in problem else None
        return SealCheck(verdict or SealVerdict.UNTRUSTED, signed_at, timestamped)
    return SealCheck(SealVerdict.VALID, signed_at, timestamped)
