"""The organization's certificate for signing evidence packages: uploaded as a PKCS#12
bundle by an admin, or generated self-signed for trials. The bundle's password is kept
sealed (Fernet) under a key derived from the installation's secret key, so a copy of the
database alone does not give the signing key."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from chainproof.audit.services import audit_record
from chainproof.cases.models import SigningCertificate
from chainproof.fileformats.pdf_signing import (
    SigningError,
    signing_identity_generate,
    signing_identity_read,
)

MAX_BUNDLE_BYTES = 1024 * 1024
TOO_LARGE = "The certificate file is larger than 1 MB; expected a PKCS#12 (.p12 or .pfx) bundle."


def _fernet() -> Fernet:
    digest = hashlib.sha256(
        b"chainproof signing certificate\0" + settings.SECRET_KEY.encode()
    ).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise SigningError(
            "the signing certificate's password cannot be read with this installation's "
            "secret key (was SECRET_KEY changed?); upload the certificate again"
        ) from None


def active_certificate(organization_id: int) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(organization_id=organization_id, active=True).first()


def _store(
    *, organization_id: int, actor: Any, bundle: bytes, password: str, self_signed: bool
) -> SigningCertificate:
    try:
        identity = signing_identity_read(bundle, password)
    except SigningError as exc:
        raise ValidationError({"bundle": f"The certificate is refused: {exc}."}) from None
    previous = active_certificate(organization_id)
    if previous is not None:
        previous.active = False
        previous.save(update_fields=["active"])
    certificate = SigningCertificate.objects.create(
        organization_id=organization_id,
        bundle=bundle,
        password_sealed=seal(password),
        subject=identity.subject[:300],
        fingerprint=identity.fingerprint_sha256,
        not_after=identity.not_after,
        self_signed=self_signed,
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="cases.signing_certificate_added",
        actor=actor,
        organization=organization_id,
        obj=certificate,
        before={"fingerprint": previous.fingerprint} if previous else None,
        after={
            "subject": certificate.subject,
            "fingerprint": certificate.fingerprint,
            "not_after": certificate.not_after,
            "self_signed": self_signed,
        },
    )
    return certificate


def certificate_upload(
    *, organization: Any, actor: Any, bundle: bytes, password: str
) -> SigningCertificate:
    if len(bundle) > MAX_BUNDLE_BYTES:
        raise ValidationError({"bundle": TOO_LARGE})
    if not bundle:
        raise ValidationError({"bundle": "Expected a PKCS#12 (.p12 or .pfx) file, found nothing."})
    return _store(
        organization_id=int(getattr(organization, "pk", organization)),
        actor=actor,
        bundle=bundle,
        password=password,
        self_signed=False,
    )


def certificate_generate(*, organization: Any, actor: Any, days: int = 365) -> SigningCertificate:
    """A self-signed certificate in the organization's name, for trials (CBP and counsel can
    still check that nothing changed after signing; they cannot check who signed)."""
    org = int(getattr(organization, "pk", organization))
    from chainproof.accounts.models import Organization

    name = Organization.objects.get(pk=org).name
    password = secrets.token_urlsafe(24)
    # X.509 allows 64 characters in a common name and an organization name.
    short = name if len(name) <= 40 else name[:39].rstrip() + "…"
    try:
        bundle = signing_identity_generate(
            common_name=f"{short} evidence packages",
            organization=name[:64],
            days=days,
            password=password,
        )
    except (SigningError, ValueError) as exc:
        raise ValidationError(f"A signing certificate could not be made: {exc}.") from None
    return _store(
        organization_id=org, actor=actor, bundle=bundle, password=password, self_signed=True
    )


def signing_material(organization_id: int, actor: Any) -> tuple[SigningCertificate, bytes, str]:
    """The active certificate, its bundle and password; a self-signed one is made first
    when the organization has none, or when its certificate expired."""
    certificate = active_certificate(organization_id)
    expired = certificate is not None and certificate.not_after <= timezone.now()
    if expired and not certificate.self_signed:  # type: ignore[union-attr]
        raise ValidationError(
            f"The organization's signing certificate expired on "
            f"{certificate.not_after:%Y-%m-%d}; an admin uploads a new one under "  # type: ignore[union-attr]
            "Cases, Signing certificate."
        )
    if certificate is None or expired:
        certificate = certificate_generate(organization=organization_id, actor=actor)
    return certificate, bytes(certificate.bundle), unseal(certificate.password_sealed)
