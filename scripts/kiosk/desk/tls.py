"""HTTPS for the desk on the center's network: a small certificate authority of the center and the desk's
certificate signed by it (both made by `kiosk desk init`), or a certificate the county issued.

    KIOSK_DESK_DATA/tls/ca.pem     the center's authority: install it once on each office PC's browser
    KIOSK_DESK_DATA/tls/cert.pem   the desk's certificate: the names and addresses staff type to reach it
    KIOSK_DESK_DATA/tls/key.pem    its private key (readable by its owner only)

Both carry subject and authority key identifiers: Python 3.13 verifies with VERIFY_X509_STRICT by default,
which refuses a chain without them. A kept authority made before them is replaced (install the new ca.pem).
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
VALID_DAYS = 825  # the longest browsers accept for a server certificate


@dataclass
class Certificate:
    cert: Path
    key: Path
    names: list[str]  # DNS names and IP addresses it is valid for
    not_after: datetime.datetime


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def lan_names() -> list[str]:
    """This machine's name and addresses on the network, where it has them."""
    names = [socket.gethostname()]
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
        names.append(probe.getsockname()[0])
        probe.close()
    except OSError:
        pass
    try:
        names += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    out = []
    for n in names:
        if n and n not in out and not is_loopback(n):
            out.append(n)
    return out


def make(folder: Path, names: list[str], center: str = "kiosk desk") -> Certificate:
    """A certificate authority (kept, when one is there) and a desk certificate for `names` signed by it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    ca_cert_path, ca_key_path = folder / "ca.pem", folder / "ca-key.pem"
    ca_cert = ca_key = None
    if ca_cert_path.is_file() and ca_key_path.is_file():
        ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
        ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), None)
        if not _has(ca_cert, x509.SubjectKeyIdentifier):  # made before key identifiers: strict checks refuse it
            ca_cert = ca_key = None
    if ca_cert is None:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{center} CA")])
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write(
            ca_key_path,
            ca_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            private=True,
        )
        _write(ca_cert_path, ca_cert.public_bytes(serialization.Encoding.PEM))
    key = ec.generate_private_key(ec.SECP256R1())
    alt = []
    for n in dict.fromkeys([*LOOPBACK_NAMES, *names]):
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            alt.append(x509.DNSName(n))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else "localhost")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write(
        folder / "key.pem",
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        private=True,
    )
    _write(
        folder / "cert.pem",
        cert.public_bytes(serialization.Encoding.PEM) + ca_cert.public_bytes(serialization.Encoding.PEM),
    )
    return read(folder / "cert.pem", folder / "key.pem")


def read(cert: Path, key: Path) -> Certificate:
    """The names and the end of validity of a certificate (PEM; the first one of a chain)."""
    from cryptography import x509

    c = x509.load_pem_x509_certificate(Path(cert).read_bytes())
    try:
        alt = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(v) for v in alt.get_values_for_type(x509.DNSName)] + [
            str(v) for v in alt.get_values_for_type(x509.IPAddress)
        ]
    except x509.ExtensionNotFound:
        names = []
    return Certificate(Path(cert), Path(key), names, c.not_valid_after_utc)


def strict_ready(path: Path) -> bool:
    """Whether every certificate of the PEM file carries key identifiers (strict verification wants them)."""
    from cryptography import x509

    return all(
        _has(c, x509.SubjectKeyIdentifier) and _has(c, x509.AuthorityKeyIdentifier)
        for c in x509.load_pem_x509_certificates(Path(path).read_bytes())
    )


def _has(cert, extension) -> bool:
    from cryptography import x509

    try:
        cert.extensions.get_extension_for_class(extension)
        return True
    except x509.ExtensionNotFound:
        return False


def host_names(names: list[str]) -> list[str]:
    """Certificate names as Django's ALLOWED_HOSTS writes them (an IPv6 address in brackets)."""
    out = []
    for n in names:
        try:
            out.append(f"[{n}]" if ipaddress.ip_address(n).version == 6 else n)
        except ValueError:
            out.append(n)
    return out


def _write(path: Path, data: bytes, private: bool = False) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
