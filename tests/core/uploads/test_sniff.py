"""The type of a file is read from its content, never from its name or the sender's header."""

import pytest

from tests.core.uploads import samples
from tisserand.uploads import clean_name, sniff


def sniffed(tmp_path, data: bytes, name: str = "file.bin"):
    path = tmp_path / "incoming"
    path.write_bytes(data)
    return sniff(path, name)


@pytest.mark.parametrize(("data", "mime"), [
    (samples.png(), "image/png"),
    (samples.jpeg_with_gps(), "image/jpeg"),
    (samples.gif_animation(), "image/gif"),
    (samples.pdf(), "application/pdf"),
    (samples.odt(), "application/vnd.oasis.opendocument.text"),
    (samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("Bonjour, ça va ?\nLigne 2\n".encode(), "text/plain"),
])
def test_accepted_types_are_recognised_whatever_the_name(tmp_path, data, mime):
    found = sniffed(tmp_path, data, "misleading.exe")
    assert found is not None and found.mime == mime


def test_csv_is_text_named_csv(tmp_path):
    assert sniffed(tmp_path, b"a,b\n1,2\n", "table.csv").mime == "text/csv"
    assert sniffed(tmp_path, b"a,b\n1,2\n", "table.txt").mime == "text/plain"


@pytest.mark.parametrize("data", [
    samples.SVG_WITH_SCRIPT,
    samples.HTML_PAGE,
    b"   \n<html><script>x</script>",
    b"hello\x00world",
    b"MZ\x90\x00\x03" + b"\0" * 50,
    samples.plain_zip(),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,  # legacy binary Office (OLE)
    b"\xff\xfe\x00\x00garbage",
    b"",
])
def test_refused_types(tmp_path, data):
    assert sniffed(tmp_path, data, "photo.png") is None


def test_a_png_name_does_not_make_html_a_png(tmp_path):
    assert sniffed(tmp_path, samples.HTML_PAGE, "cat.png") is None


def test_names_are_cleaned_and_take_the_real_extension():
    assert clean_name("../../etc/passwd", "txt") == "passwd.txt"
    assert clean_name("..\\..\\windows\\evil.exe", "png") == "evil.png"
    assert clean_name("photo.html", "png") == "photo.png"
    assert clean_name("\x00\x1f<script>.pdf", "pdf") == "script.pdf"
    assert clean_name("", "pdf") == "file.pdf"
    assert clean_name("...", "pdf") == "file.pdf"
    assert len(clean_name("a" * 500 + ".pdf", "pdf")) <= 120
