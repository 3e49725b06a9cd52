"""Ed25519 keys and signatures: the county signs each release's manifest, a hall signs the status it reports.

    KEYDIR/<name>.key   the private key (PKCS#8 PEM), 0600 in a 0700 folder; never in a release
    KEYDIR/<name>.pub   the public key (SubjectPublicKeyInfo PEM), to install where the other side checks

A signature is over the exact bytes of a document, written beside it as one line of base64. A key is named
in messages by its fingerprint: the first 16 hex digits of the SHA-256 of its 32 raw bytes, short enough to
read out over the phone and compare.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..exceptions import PublishError
from ..problems import message


def init(folder: Path, name: str = "county", force: bool = False) -> tuple[Path, Path]:
    """Make a key pair in `folder` as `<name>.key` and `<name>.pub`; refuse to overwrite a key unless `force`."""
    folder = Path(folder)
    private, public = folder / f"{name}.key", folder / f"{name}.pub"
    if private.exists() and not force:
        raise PublishError(message("key_exists", path=private))
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = private.with_name(private.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # never readable by others, not for a moment
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.replace(tmp, private)
    public.write_bytes(public_pem(key.public_key()))
    return private, public


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_private(path: Path) -> Ed25519PrivateKey:
    """The private key at `path`; refused when others may read it (the key would no longer be the county's)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
        data = path.read_bytes()
    except OSError as e:
        raise PublishError(message("key_unreadable", path=path, detail=e.strerror or e)) from e
    if mode & 0o077:
        raise PublishError(message("key_too_open", path=path, mode=oct(mode & 0o777)))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise PublishError(message("key_not_a_key", path=path)) from e
    if not isinstance(key, Ed25519PrivateKey):
        raise PublishError(message("key_not_a_key", path=path))
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PublishError(message("key_unreadable", path=path, detail=e.strerror or e)) from e
    return public_from(data, str(path))


def public_from(data: bytes, where: str) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as e:
        raise PublishError(message("key_not_a_key", path=where)) from e
    if not isinstance(key, Ed25519PublicKey):
        raise PublishError(message("key_not_a_key", path=where))
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    """The signature of `data` as one line of base64 (what is written beside the document)."""
    return base64.b64encode(key.sign(data)) + b"\n"


def verifies(key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature.strip(), validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
