"""The data directory: where the SQLite database, the secret key and stored files live."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from chainproof.envreaders import ConfigError

DEFAULT_DATA_DIR = Path("chainproof-data")
CREATE_FLAG = "CHAINPROOF_CREATE_DATA_DIR"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)


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
    key_file = data_dir / SECRET_KEY_FILE
    if key_file.exists():
        try:
            key = key_file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the secret key in {key_file}: {exc}") from None
        if len(key) < 50:
            raise ConfigError(f"the secret key in {key_file} is too short (under 50 characters)")
        return key
    key = secrets.token_urlsafe(64)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return read_or_create_secret_key(data_dir)
    except OSError as exc:
        raise ConfigError(f"cannot write the secret key to {key_file}: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key
