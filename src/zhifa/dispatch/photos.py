"""Photos attached to incidents: checked from their bytes (a picture of an allowed type, not too
large), then saved with the incident. Limits are data, not law."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 6
TYPES = frozenset({"JPEG", "PNG", "WEBP", "GIF"})


@dataclass(frozen=True)
class Photo:
    content: bytes
    sha256: str
    image_format: str


def clean_photos(uploads, field: str = "photos") -> list[Photo]:
    """The uploaded pictures, checked; a ValidationError naming ``field`` otherwise."""
    from PIL import Image, UnidentifiedImageError

    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            {field: ValidationError(f"最多上传 {MAX_PHOTOS} 张照片", code="too_many_photos")}
        )
    photos = []
    for upload in uploads:
        if (upload.size or 0) > MAX_BYTES:
            raise ValidationError(
                {
                    field: ValidationError(
                        f"每张照片不能超过 {MAX_BYTES // (1024 * 1024)} MB", code="photo_too_large"
                    )
                }
            )
        content = upload.read()
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            kind = None
        if kind not in TYPES:
            raise ValidationError(
                {field: ValidationError("照片须为 JPEG、PNG、WebP 或 GIF 图片", code="photo_not_image")}
            )
        photos.append(Photo(content, hashlib.sha256(content).hexdigest(), kind))
    return photos
