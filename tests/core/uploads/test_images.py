"""Images are decoded and written again: no EXIF (no GPS), upright, copies made once, bombs refused."""

import io

import pytest
from PIL import Image

from tests.core.uploads import samples
from tisserand.uploads.images import ImageRefused, process_image


def run(tmp_path, data: bytes, mime: str, **limits):
    source = tmp_path / "incoming"
    source.write_bytes(data)
    options = {"max_pixels": 40_000_000, "display_size": 1600, "thumbnail_size": 320, **limits}
    return process_image(source, mime, tmp_path, **options)


def test_gps_and_camera_are_removed_and_orientation_applied(tmp_path):
    # Orientation 6: the camera was turned; the stored pixels must be rotated upright.
    result = run(tmp_path, samples.jpeg_with_gps((400, 200), orientation=6), "image/jpeg")
    with Image.open(result.path) as image:
        exif = image.getexif()
        assert samples.GPS_TAG not in exif and 0x010F not in exif and samples.ORIENTATION_TAG not in exif
        stored = result.path.read_bytes()
        assert b"SpyCam" not in stored and b"GPSLatitude" not in stored and b"xmpmeta" not in stored
        assert image.size == (200, 400) == (result.width, result.height)
        # The blue band that was on the left is now on top.
        assert image.getpixel((100, 20))[2] > 150


def test_copies_are_made_for_large_images_only(tmp_path):
    large = run(tmp_path, samples.png((2000, 1000)), "image/png", display_size=800, thumbnail_size=100)
    assert set(large.copies) == {"display", "thumb"}
    with Image.open(large.copies["thumb"]) as thumb:
        assert thumb.size == (100, 50)
    small = run(tmp_path, samples.png((50, 50)), "image/png")
    assert small.copies == {}


def test_animations_keep_their_frames(tmp_path):
    result = run(tmp_path, samples.gif_animation(4), "image/gif")
    with Image.open(result.path) as image:
        assert image.n_frames == 4


def test_decompression_bomb_is_refused_before_decoding(tmp_path):
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 Mpx, a few kB on disk
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ImageRefused) as refused:
        run(tmp_path, out.getvalue(), "image/png")
    assert refused.value.reason == "too_many_pixels"


def test_polyglot_content_after_the_image_does_not_survive(tmp_path):
    data = samples.png() + b"<script>alert(1)</script><html>"
    result = run(tmp_path, data, "image/png")
    assert b"<script>" not in result.path.read_bytes()


@pytest.mark.parametrize("data", [samples.GIF_HTML_POLYGLOT, b"\x89PNG\r\n\x1a\n<html>not a png</html>"])
def test_broken_images_are_refused(tmp_path, data):
    mime = "image/gif" if data.startswith(b"GIF") else "image/png"
    with pytest.raises(ImageRefused):  # broken, or absurd sizes read from the script text
        run(tmp_path, data, mime)
