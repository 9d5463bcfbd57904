"""A question's picture (issue 21): checked with Pillow and re-encoded from its pixels alone, so
nothing a camera or an editor wrote into the file (EXIF with GPS, comments, colour profiles,
thumbnails) reaches a student. Plain Python and Pillow, no Django: the admin's form and the
Moodle XML import share it."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_IMAGE_BYTES = 2 * 1024 * 1024
# A 2 MB file can still unpack to gigabytes (a decompression bomb): 25 megapixels is more
# than any phone camera a teacher uses, and far more than a question needs.
MAX_PIXELS = 25_000_000
# Pictures are scaled down to this on their longest side: sharp on a laptop, light on a phone.
MAX_SIDE = 1600
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SAVE_OPTIONS = {"JPEG": {"quality": 85}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}


class ImageProblem(ValueError):
    """Why a file cannot be a question's picture, in words for the teacher."""


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    extension: str
    width: int
    height: int


def clean_image(data: bytes) -> CleanImage:
    """The picture in `data` re-encoded in its own format from its pixels only, or ImageProblem."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageProblem("The picture is larger than 2 MB: save it smaller and try again.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = _open(data)
            pixels = _pixels(image)
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(_TOO_MANY_PIXELS) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageProblem("This file is damaged or is not a picture Pillow can read.") from error
    out = io.BytesIO()
    pixels.save(out, format=image.format, **SAVE_OPTIONS[image.format])
    return CleanImage(out.getvalue(), FORMATS[image.format], *pixels.size)


_TOO_MANY_PIXELS = "The picture has too many pixels: scale it down and try again."


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=None)
    if image.format not in FORMATS:
        raise ImageProblem("Choose a JPEG, PNG or WebP picture.")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageProblem(_TOO_MANY_PIXELS)
    Image.open(io.BytesIO(data)).verify()  # verify() leaves its image unusable: a second one
    return image


def _pixels(image: Image.Image) -> Image.Image:
    """A new image holding only `image`'s pixels (the first frame), turned upright as its EXIF
    orientation said, and no larger than MAX_SIDE."""
    image.load()
    upright = ImageOps.exif_transpose(image)
    alpha = "A" in upright.mode or "transparency" in upright.info
    mode = "RGBA" if alpha and image.format != "JPEG" else "RGB"
    if upright.mode == "L" and not alpha:
        mode = "L"
    converted = upright.convert(mode)
    bare = Image.frombytes(mode, converted.size, converted.tobytes())  # no info, no exif
    bare.thumbnail((MAX_SIDE, MAX_SIDE))
    return bare
