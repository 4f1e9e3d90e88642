"""Files for the upload tests, made on the spot (real formats, written by real libraries)."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (400, 200), orientation: int = 1) -> bytes:
    """A JPEG whose EXIF carries GPS coordinates, a camera name and an orientation."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 4, size[1]))  # a blue band on the left
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    exif[ORIENTATION_TAG] = orientation
    exif[GPS_TAG] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>48,51.4N</exif:GPSLatitude></x:xmpmeta>'
    image.save(out, "JPEG", exif=exif, xmp=xmp, comment=b"SpyCam comment")
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (10, 120, 40)) -> bytes:
    """A plain PNG."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def gif_animation(frames: int = 3) -> bytes:
    """An animated GIF."""
    images = [Image.new("RGB", (40, 40), (i * 60 % 256, 200 - i * 30, 90)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def pdf(text: str = "Hello") -> bytes:
    """A tiny, valid PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def odt() -> bytes:
    """A minimal OpenDocument text (``mimetype`` first and stored, as the format requires)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


def docx() -> bytes:
    """The skeleton of an Office Open XML word document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip that is no document."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.exe", b"MZ" + b"\0" * 100)
    return out.getvalue()


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
                   b'<script>alert(document.cookie)</script></svg>')
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
#: A GIF header followed by HTML and script: browsers that sniff could run it.
GIF_HTML_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=1;<script>alert(1)</script>" + b"\0" * 20
