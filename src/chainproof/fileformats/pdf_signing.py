"""Signing a PDF with the organization's own certificate, and checking such a signature.

The signature is a PAdES baseline B-B signature (ETSI EN 319 142: a CMS signature with
the signer's certificate and a signed signing-time attribute, SHA-256), added by
pyHanko as an incremental update to the PDF, in an invisible field named "Signature1".
No timestamp authority is asked and nothing is fetched: signing and checking work
offline.

The certificate is a PKCS#12 bundle (.p12 / .pfx: a private key, its certificate and
possibly the certificates above it) protected by a password. An organization may bring
one from a certificate authority or generate a self-signed one here
(``signing_identity_generate``). Either way the check trusts the certificate the
signature carries and reports its SHA-256 fingerprint: whoever receives the PDF compares
that fingerprint with the one the organization published (``expected_fingerprint``),
which is what ties the signature to the organization, since a self-signed certificate
proves nothing by itself.

What the check establishes: the signed bytes still hash to the value that was signed
(``intact``), the signature was made by the certificate's key, and nothing was appended
to the file after signing (``covers_whole_file``). The certificate's validity is judged
at the signing time the signature states, so a package signed in time does not fail
the day its certificate expires.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "Signature1"


class SigningError(ValueError):
    """A certificate bundle or a PDF that cannot be used for signing, said in words."""


@dataclass(frozen=True)
class SigningIdentity:
    """The certificate inside a PKCS#12 bundle, as a person checks it."""

    subject: str  # RFC 4514, e.g. "CN=Jane Doe,O=Example Imports Inc."
    fingerprint_sha256: str  # lowercase hex of the SHA-256 of the DER certificate
    not_before: datetime
    not_after: datetime


@dataclass(frozen=True)
class SignatureCheck:
    """What a signed PDF says about itself; ``problem`` is empty when all is well."""

    signed: bool
    intact: bool  # the signed bytes still hash to the signed value
    covers_whole_file: bool  # nothing was appended after the signature
    signer: str
    fingerprint_sha256: str
    signed_at: datetime | None  # the signing time the signer stated
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


def signing_identity_generate(
    *, common_name: str, organization: str, days: int = 365, password: str
) -> bytes:
    """A new self-signed signing certificate and its ECDSA P-256 key (as strong as RSA-3072
    for a fraction of the time to load and sign: ETSI's PAdES profiles allow both), as a
    PKCS#12 bundle protected by ``password`` (AES-256, PBKDF2). Its key usage is digital
    signature and non-repudiation (content commitment), what document signing asks for."""
    if not password:
        raise SigningError("a password is required to protect the certificate bundle")
    if not common_name.strip():
        raise SigningError("the certificate needs a name (common name)")
    if days < 1:
        raise SigningError(f"the certificate must be valid for at least one day, not {days}")
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip())]
    if organization.strip():
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization.strip()))
    name = x509.Name(attributes)
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
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
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=common_name.strip().encode("utf-8"),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


def _load(
    p12: bytes, password: str
) -> tuple[pkcs12.PKCS12PrivateKeyTypes, x509.Certificate, list[x509.Certificate]]:
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(
            p12, password.encode("utf-8") if password else None
        )
    except ValueError:
        if not _is_pkcs12(p12):
            raise SigningError("the file is not a PKCS#12 certificate bundle") from None
        raise SigningError("the password does not open this certificate bundle") from None
    if key is None:
        raise SigningError("the certificate bundle holds no private key, so it cannot sign")
    if certificate is None:
        raise SigningError("the certificate bundle holds no certificate for its private key")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SigningError(
            f"the certificate's key is of a kind PDF signatures do not use ({type(key).__name__})"
        )
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise SigningError("the private key in the bundle does not belong to its certificate")
    return key, certificate, list(others)


def _public_der(key: Any) -> bytes:
    return bytes(
        key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )


def _is_pkcs12(data: bytes) -> bool:
    """Whether the bytes have the outer structure of a PKCS#12 bundle (a PFX whose
    content parses), so a wrong password can be told from a file that is something else."""
    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native in {
            "data",
            "signed_data",
        }
    except (ValueError, TypeError, KeyError):
        return False


def _fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def signing_identity_read(
    p12: bytes, password: str, *, at: datetime | None = None
) -> SigningIdentity:
    """The certificate of a PKCS#12 bundle that can sign now (or at ``at``): the
    password opens it, it holds the private key of its certificate, the certificate is
    within its dates and, when it states a key usage, allows signing. Raises
    ``SigningError`` saying which of these fails."""
    _, certificate, _ = _load(p12, password)
    moment = at or datetime.now(UTC)
    not_before = certificate.not_valid_before_utc
    not_after = certificate.not_valid_after_utc
    if moment > not_after:
        raise SigningError(f"the certificate expired on {not_after.date().isoformat()}")
    if moment < not_before:
        raise SigningError(f"the certificate is not valid before {not_before.date().isoformat()}")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningError(
            "the certificate is not allowed to sign documents (its key usage has neither "
            "digital signature nor non-repudiation)"
        )
    return SigningIdentity(
        subject=certificate.subject.rfc4514_string(),
        fingerprint_sha256=_fingerprint(certificate),
        not_before=not_before,
        not_after=not_after,
    )


def _outside_event_loop(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``function`` (pyHanko's synchronous API runs ``asyncio.run`` inside) directly,
    or in a worker thread when this thread already runs an event loop (an async view, a
    test driving a browser), where ``asyncio.run`` refuses to start."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def pdf_sign(
    pdf: bytes,
    *,
    p12: bytes,
    password: str,
    reason: str,
    location: str = "",
    signer_name: str = "",
) -> bytes:
    """``pdf`` with a PAdES signature by the bundle's certificate appended (an incremental
    update: the original bytes are kept unchanged at the start of the result).

    Raises ``SigningError`` when the bundle cannot sign (see ``signing_identity_read``),
    the bytes are not a PDF, or the PDF already has a signature field "Signature1"."""
    signing_identity_read(p12, password)
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            p12, other_certs=[], passphrase=password.encode("utf-8") if password else None
        )
    except ValueError as error:  # already opened once above; kept for safety
        raise SigningError(f"the certificate bundle could not be used: {error}") from None
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as error:  # pyHanko raises several kinds for a damaged file
        raise SigningError(f"the file is not a readable PDF ({error})") from None
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        reason=reason or None,
        location=location or None,
        name=signer_name or None,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    output = io.BytesIO()
    try:
        _outside_event_loop(
            signers.PdfSigner(metadata, signer=signer).sign_pdf, writer, output=output
        )
    except Exception as error:  # a PDF pyHanko cannot update, an existing signature
        raise SigningError(f"the PDF could not be signed: {error}") from None
    return output.getvalue()


def _unsigned(problem: str, *, signed: bool = False) -> SignatureCheck:
    return SignatureCheck(
        signed=signed,
        intact=False,
        covers_whole_file=False,
        signer="",
        fingerprint_sha256="",
        signed_at=None,
        problem=problem,
    )


def pdf_signature_check(pdf: bytes, *, expected_fingerprint: str | None = None) -> SignatureCheck:
    """Check the last signature of ``pdf`` (the one that can cover the whole file).

    Never raises for bad input: a file that is not a PDF, an unsigned PDF, changed bytes
    or a signature pyHanko cannot evaluate are all reported in ``problem``. When
    ``expected_fingerprint`` is given (hex, colons and case ignored), a signature by any
    other certificate is a problem too."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # pyHanko raises several kinds for a damaged file
        return _unsigned("the file is not a readable PDF")
    if not signatures:
        return _unsigned("the PDF is not signed")
    embedded = signatures[-1]
    try:
        certificate = x509.load_der_x509_certificate(embedded.signer_cert.dump())
        signer = certificate.subject.rfc4514_string()
        fingerprint = _fingerprint(certificate)
        stated = embedded.self_reported_timestamp
    except Exception as error:
        return _unsigned(f"the signature cannot be read ({error})", signed=True)
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(certificate.public_bytes(_DER))],
        allow_fetching=False,
        moment=stated,
    )
    try:
        status = _outside_event_loop(validate_pdf_signature, embedded, context)
    except Exception as error:  # a hash or structure pyHanko cannot evaluate
        return SignatureCheck(
            signed=True,
            intact=False,
            covers_whole_file=False,
            signer=signer,
            fingerprint_sha256=fingerprint,
            signed_at=stated,
            problem=f"the signature could not be checked ({error})",
        )
    covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problem = _problem(
        intact=status.intact,
        valid=status.valid,
        covers=covers,
        trusted=status.trusted,
        fingerprint=fingerprint,
        expected=expected_fingerprint,
        signed_at=stated,
        certificate=certificate,
    )
    return SignatureCheck(
        signed=True,
        intact=status.intact,
        covers_whole_file=covers,
        signer=signer,
        fingerprint_sha256=fingerprint,
        signed_at=status.signer_reported_dt or stated,
        problem=problem,
    )


_DER = serialization.Encoding.DER


def _problem(
    *,
    intact: bool,
    valid: bool,
    covers: bool,
    trusted: bool,
    fingerprint: str,
    expected: str | None,
    signed_at: datetime | None,
    certificate: x509.Certificate,
) -> str:
    if not intact:
        return "the PDF was changed after it was signed (the signed bytes no longer match)"
    if not valid:
        return "the signature was not made by the key of the certificate it carries"
    if not covers:
        return "the PDF was changed after it was signed (content was added after the signature)"
    if expected is not None:
        wanted = expected.replace(":", "").strip().lower()
        if wanted != fingerprint:
            return (
                f"the PDF is signed by another certificate (fingerprint {fingerprint[:16]}…, "
                f"expected {wanted[:16]}…)"
            )
    if signed_at is None:
        return "the signature states no signing time"
    if not trusted:
        start = certificate.not_valid_before_utc
        end = certificate.not_valid_after_utc
        if not start <= signed_at <= end:
            return (
                f"the certificate was not valid when the PDF was signed on "
                f"{signed_at.date().isoformat()} (valid {start.date().isoformat()} to "
                f"{end.date().isoformat()})"
            )
        return "the signer's certificate is not allowed to sign documents"
    return ""
