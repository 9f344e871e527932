"""The data directory: where the SQLite database, the secret key and stored files live."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from chainproof.envreaders import ConfigError

DEFAULT_DATA_DIR = Path("chainproof-data")
CREATE_FLAG = "CHAINPROOF_CREATE_DATA_DIR"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
AUDIT_KEY_FILE = "audit_key"
AUDIT_CHECKPOINT_FILE = "audit-checkpoints.jsonl"


def prepare_data_dir(path: Path, *, explicit: bool) -> Path:
    """Return a usable data directory or raise ConfigError saying why it is not.

    The default directory is created on first use. A directory named explicitly by
    CHAINPROOF_DATA_DIR is created only by ``chainproof init``/``start``: a mistyped
    path must not silently start a new, empty chainproof beside the real one.
    """
    if not path.exists():
        if explicit and os.environ.get(CREATE_FLAG) != "1":
            raise ConfigError(
                f"CHAINPROOF_DATA_DIR={path} does not exist. Run `chainproof init` to create "
                "it, or correct the path."
            )
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise ConfigError(f"cannot create the data directory {path}: {exc.strerror}") from None
    if not path.is_dir():
        raise ConfigError(f"the data directory {path} is not a directory")
    if not os.access(path, os.R_OK | os.W_OK | os.X_OK):
        raise ConfigError(f"the data directory {path} is not readable and writable by this user")
    return path


def read_or_create_secret_key(data_dir: Path) -> str:
    """Read the secret key kept in the data directory, generating it on first use."""
    return _read_or_create_key(data_dir / SECRET_KEY_FILE, "the secret key")


def read_or_create_audit_key(data_dir: Path) -> str:
    """The key of the audit chain's HMAC, kept outside the database (mode 0600)."""
    return _read_or_create_key(data_dir / AUDIT_KEY_FILE, "the audit key")


def _read_or_create_key(key_file: Path, what: str) -> str:
    if key_file.exists():
        try:
            key = key_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {what} in {key_file}: {exc}") from None
        if len(key) < 50:
            raise ConfigError(f"{what} in {key_file} is too short (under 50 characters)")
        return key
    # Two processes starting at once (server and worker) may both find no key: each
    # writes its own to a private temporary file and publishes it with link(), which
    # fails if the other won. A reader therefore never sees a half-written key.
    key = secrets.token_urlsafe(64)
    temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            return _read_or_create_key(key_file, what)
    except OSError as exc:
        raise ConfigError(f"cannot write {what} to {key_file}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return key
