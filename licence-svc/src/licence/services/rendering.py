"""The rendering of a licence (版式文件): a one-page PDF, the same bytes for the same licence.

Written directly (no PDF library in the stack): the text uses Adobe's STSong-Light with the
UniGB-UCS2-H encoding, one of the standard Chinese fonts every conforming PDF reader supplies, so
nothing is embedded and the file stays a few kilobytes. No timestamp or random id goes in, so its
SHA-256 (what is signed) depends only on what the licence says.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [6 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
)


def _hex(text: str) -> str:
    # UCS-2: characters outside the Basic Multilingual Plane (rare in names) become a full-width ？.
    return "".join(f"{ord(c):04X}" if ord(c) <= 0xFFFF else "FF1F" for c in text)


def _content(lines: list[tuple[int, str]]) -> bytes:
    ops = ["BT"]
    y = 780
    for size, text in lines:
        ops.append(f"/F1 {size} Tf 1 0 0 1 60 {y} Tm <{_hex(text)}> Tj")
        y -= size + 14
    ops.append("ET")
    return "\n".join(ops).encode()


def _pdf(content: bytes) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        *_FONT,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def render_pdf(
    *,
    type_name: str,
    number: str,
    holder_name: str,
    holder_identifier: str | None,
    issuing_unit_name: str,
    valid_from: date,
    valid_until: date | None,
    data: dict[str, Any],
) -> bytes:
    """The licence's one-page PDF."""
    until = f"{valid_until:%Y年%m月%d日}" if valid_until else "长期"
    lines: list[tuple[int, str]] = [
        (22, type_name),
        (12, f"证照编号：{number}"),
        (12, f"持证主体：{holder_name}"),
    ]
    if holder_identifier:
        lines.append((12, f"持证主体代码：{holder_identifier}"))
    lines += [(12, f"{key}：{value}") for key, value in data.items()]  # as the issuer ordered them
    lines += [
        (12, f"有效期：{valid_from:%Y年%m月%d日} 至 {until}"),
        (12, f"颁证单位：{issuing_unit_name}"),
        (9, "本电子证照的版式文件摘要（SHA-256）由证照库签名，可凭公布的公钥核验。"),
    ]
    return _pdf(_content(lines))


def sha256_hex(rendering: bytes) -> str:
    """The rendering's SHA-256 as hex (what is signed)."""
    return hashlib.sha256(rendering).hexdigest()
