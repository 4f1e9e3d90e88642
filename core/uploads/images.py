"""Images, re-encoded by Pillow once at upload (run it in a thread: it is CPU work).

The original is decoded and written again: metadata (EXIF, GPS above all, XMP, comments) is
dropped, the EXIF orientation is applied to the pixels, and anything hidden after or inside
the image data (a polyglot's HTML or script) does not survive. A display copy and a thumbnail
are made when the image is larger than them. Images larger than the pixel limit are refused
before their pixels are decoded (decompression bombs).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

#: Pillow's format name for each accepted type, and the format its copies are written in.
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
MAX_FRAMES = 300


class ImageRefused(ValueError):
    """The file is not an image we can take; ``reason`` is ``broken``, ``too_many_pixels``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ProcessedImage:
    """The clean original (``path``), its size, and the smaller copies made (name → path)."""

    path: Path
    width: int
    height: int
    copies: dict[str, Path] = field(default_factory=dict)


def _save(image: Image.Image, path: Path, fmt: str, **extra: object) -> None:
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(path, "JPEG", quality=85, **extra)
    elif fmt == "WEBP":
        image.save(path, "WEBP", quality=82, **extra)
    else:
        image.save(path, fmt, **extra)


def _shrink(image: Image.Image, size: int, path: Path, fmt: str) -> Path | None:
    """Shrink ``image`` in place to fit ``size`` and write it; None when it is small already."""
    if max(image.size) <= size:
        return None
    image.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
    _save(image, path, "PNG" if fmt == "GIF" else fmt)
    return path


def process_image(source: Path, mime: str, work_dir: Path, *, max_pixels: int,
                  display_size: int, thumbnail_size: int) -> ProcessedImage:
    """Decode ``source``, check it, and write the clean original and its copies into
    ``work_dir``. Raises :class:`ImageRefused`."""
    fmt = FORMATS[mime]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source, formats=[fmt]) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1)
                if width * height > max_pixels or width < 1 or height < 1:
                    raise ImageRefused("too_many_pixels")
                if frames > MAX_FRAMES or width * height * frames > max_pixels * 4:
                    raise ImageRefused("too_many_pixels")
                return _process(image, fmt, frames, work_dir, display_size, thumbnail_size)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            if isinstance(exc, ImageRefused):
                raise
            raise ImageRefused("broken") from None


def _process(image: Image.Image, fmt: str, frames: int, work_dir: Path, display_size: int,
             thumbnail_size: int) -> ProcessedImage:
    extension = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}[fmt]
    original = work_dir / f"original.{extension}"
    icc = image.info.get("icc_profile")
    extra: dict[str, object] = {"icc_profile": icc} if icc and fmt != "GIF" else {}
    image.load()
    if frames > 1:
        # Animations keep their frames; orientation tags are rare there and ignored.
        _save(image, original, fmt, save_all=True, **extra)
        image.seek(0)
        work = image.copy()
    else:
        ImageOps.exif_transpose(image, in_place=True)
        transparency = image.info.get("transparency")
        # Nothing read from the file travels on: no EXIF (GPS), XMP, comments or text chunks.
        image.info = {}
        if transparency is not None:
            extra["transparency"] = transparency
        _save(image, original, fmt, **extra)
        work = image
    result = ProcessedImage(original, work.size[0], work.size[1])
    if work.mode == "P":
        work = work.convert("RGBA")
    copy_extension = "png" if fmt == "GIF" else extension
    for name, size in (("display", display_size), ("thumb", thumbnail_size)):
        made = _shrink(work, size, work_dir / f"{name}.{copy_extension}", fmt)
        if made is not None:
            result.copies[name] = made
    return result
