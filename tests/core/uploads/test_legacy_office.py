"""Legacy binary Office files (.doc, .xls, .ppt: OLE compound files) are refused with a 415
that says why and what to send instead, in the reader's language; nothing is stored."""

import struct

import pytest

from tests.core.uploads.conftest import upload
from tisserand.models import Upload


def ole_file(sectors: int = 2) -> bytes:
    """A tiny OLE compound file as Word 97, Excel 97 and PowerPoint 97 write them: the 512-byte
    header (signature, version 3, little-endian byte order, 512-byte sectors, one FAT sector,
    the directory at sector 1) followed by its sectors."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff" * (109 * 4 - 4)  # DIFAT: FAT in sector 0
    assert len(header) == 512
    fat = struct.pack("<II", 0xFFFFFFFD, 0xFFFFFFFE) + b"\xff" * (512 - 8)
    directory = "Root Entry".encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 22) + b"\x05"
    directory = directory.ljust(512, b"\0")
    return header + fat + directory + b"\0" * 512 * max(0, sectors - 2)


@pytest.mark.parametrize(("name", "mime"), [
    ("compte-rendu.doc", "application/msword"),
    ("budget.xls", "application/vnd.ms-excel"),
    ("présentation.ppt", "application/vnd.ms-powerpoint"),
    ("renamed.pdf", "application/pdf"),  # the name and the header do not matter: the bytes do
])
async def test_legacy_office_files_are_refused_with_a_clear_415(site, client, factory, name, mime):
    await client.login_as(await factory.member(locale="en"))
    response = await upload(client, ole_file(), name, mime)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_type"
    assert "Old binary Office files (.doc, .xls, .ppt) are not accepted" in error["message"]
    assert "malware" in error["message"] and ".docx" in error["message"] and ".odt" in error["message"]
    assert await Upload.all().count() == 0


async def test_the_refusal_is_in_french_for_a_french_reader(site, client, factory):
    await client.login_as(await factory.member(locale="fr"))
    response = await upload(client, ole_file(), "budget.xls", "application/vnd.ms-excel")
    assert response.status_code == 415
    message = response.json()["error"]["message"]
    assert "Les anciens fichiers Office binaires (.doc, .xls, .ppt) ne sont pas acceptés" in message
    assert "\u00a0:" in message  # French typography: a no-break space before the colon


async def test_a_docx_is_still_welcome(site, client, factory):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    await client.login_as(await factory.member())
    response = await upload(client, buffer.getvalue(), "compte-rendu.docx")
    assert response.status_code == 201, response.text
