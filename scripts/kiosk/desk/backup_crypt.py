"""Encrypted backups: `kiosk desk backup FILE --passphrase` and their restore.

A backup holds every record, the complainants and the staff's password hashes, so one that leaves the PC
is encrypted with a passphrase. The format is small and fixed:

    header  magic "KDESKENC" | version 1 | log2(N), r, p of scrypt | salt (16) | nonce prefix (7) | check (32)
    chunks  AES-256-GCM of 1 MiB of the backup each (the last one shorter), 16-byte tag each

- The key is scrypt(passphrase, salt) with N = 2**17, r = 8, p = 1 (128 MiB, about half a second): slow
  enough that guessing passphrases of a stolen file is costly. scrypt gives 64 bytes: the first 32 are the
  AES key, the last 32 are stored as `check`, so a wrong passphrase is told apart from a damaged file
  (the check costs an attacker as much as trying the key, so it gives nothing away).
- Chunked AEAD (the STREAM construction, as age and Tink use it) rather than one AES-GCM blob: memory stays
  at one chunk for a backup of any size. Each chunk's 12-byte nonce is the random prefix, the chunk's
  number (4 bytes) and a final flag (1 byte), so chunks cannot be reordered, dropped, or the file cut at a
  chunk boundary or extended without a tag failing. The whole header is each chunk's associated data, so
  an altered header fails as well.
- Decryption writes to a file only the caller uses after `decrypt` returned, i.e. after every tag and the
  final flag were checked: a wrong, cut or altered file restores nothing.
"""

from __future__ import annotations

import hmac
import os
import struct

MAGIC = b"KDESKENC"
VERSION = 1
SCRYPT = (17, 8, 1)  # log2(N), r, p
MAX_LOG2_N = 20  # an altered header must not make us spend gigabytes on scrypt
CHUNK = 1 << 20
TAG = 16
_HEAD = struct.Struct(">8sBBBB16s7s32s")
MIN_PASSPHRASE = 8


class Failed(Exception):
    """The file cannot be decrypted; `key` is the message key (wrong passphrase, damaged, unknown version)."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    out = Scrypt(salt=salt, length=64, n=1 << log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return out[:32], out[32:]


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if final else 0)


def encrypt(source, target, passphrase: str) -> None:
    """Encrypt the open binary file `source` into the open binary file `target`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, prefix = os.urandom(16), os.urandom(7)
    key, check = _derive(passphrase, salt, *SCRYPT)
    header = _HEAD.pack(MAGIC, VERSION, *SCRYPT, salt, prefix, check)
    target.write(header)
    aead = AESGCM(key)
    counter, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        target.write(aead.encrypt(_nonce(prefix, counter, not following), chunk, header))
        if not following:
            return
        counter, chunk = counter + 1, following


def decrypt(source, target, passphrase: str) -> None:
    """Decrypt the open binary file `source` into `target`; raises Failed unless every chunk is intact."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header = source.read(_HEAD.size)
    if len(header) < _HEAD.size or not header.startswith(MAGIC):
        raise Failed("desk_backup_damaged")
    magic, version, log2_n, r, p, salt, prefix, check = _HEAD.unpack(header)
    if version != VERSION:
        raise Failed("desk_backup_version", version=version)
    if not (10 <= log2_n <= MAX_LOG2_N and 1 <= r <= 32 and 1 <= p <= 16):
        raise Failed("desk_backup_damaged")
    key, expected = _derive(passphrase, salt, log2_n, r, p)
    if not hmac.compare_digest(check, expected):
        raise Failed("desk_backup_wrong_passphrase")
    aead = AESGCM(key)
    counter, chunk = 0, source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG)
        try:
            target.write(aead.decrypt(_nonce(prefix, counter, not following), chunk, header))
        except InvalidTag:  # altered, cut short, extended or reordered
            raise Failed("desk_backup_damaged") from None
        if not following:
            return
        counter, chunk = counter + 1, following
