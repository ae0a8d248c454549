"""Uploaded files: limited in size, typed from their bytes, stored only once their record commits.

* :func:`check_upload` — the size limit (``ZHIFA_UPLOAD_MAX_BYTES``) and the type read from the
  file's first bytes (its "magic number"), never from the name or the browser's Content-Type. Forms
  use :class:`UploadField`, which runs it and names the field in Chinese.
* :class:`AfterCommitStorage` — the default storage. A file saved inside a transaction is written
  to ``MEDIA_ROOT/.pending/`` and moved to its place by ``transaction.on_commit``: a request that
  is refused or rolls back leaves nothing where files are served. Until then the storage still
  reads it from the pending folder, so code in the same transaction sees its own file.
* :func:`remove_orphans` (the periodic task ``core.remove_orphan_uploads``) deletes pending files
  older than an hour (their transaction never committed) and stored files no row names.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import connection, models, transaction

PENDING_DIR = ".pending"

#: Kinds a field may accept: each a Chinese label and the magic numbers (offset, bytes) it starts with.
KINDS: dict[str, tuple[str, tuple[tuple[int, bytes], ...]]] = {
    "jpeg": ("JPEG 图片", ((0, b"\xff\xd8\xff"),)),
    "png": ("PNG 图片", ((0, b"\x89PNG\r\n\x1a\n"),)),
    "gif": ("GIF 图片", ((0, b"GIF87a"), (0, b"GIF89a"))),
    "webp": ("WebP 图片", ((8, b"WEBP"),)),
    "heic": ("HEIC 图片", ((4, b"ftypheic"), (4, b"ftypheix"), (4, b"ftypmif1"))),
    "pdf": ("PDF 文件", ((0, b"%PDF-"),)),
    "xlsx": ("Excel 文件（.xlsx）", ((0, b"PK\x03\x04"),)),
    "mp4": ("MP4 视频", ((4, b"ftypisom"), (4, b"ftypmp42"), (4, b"ftypiso2"))),
    "mp3": ("MP3 录音", ((0, b"ID3"), (0, b"\xff\xfb"))),
}
IMAGES = ("jpeg", "png", "gif", "webp", "heic")
EVIDENCE = (*IMAGES, "pdf", "mp4", "mp3")


def sniff(head: bytes) -> str | None:
    """The kind of file whose first bytes are ``head``, or None."""
    for kind, (_label, signatures) in KINDS.items():
        if any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
            if kind == "webp" and not head.startswith(b"RIFF"):
                continue
            return kind
    return None


def check_upload(
    upload, kinds: tuple[str, ...] = IMAGES, *, max_bytes: int | None = None, field: str = "file"
) -> str:
    """The kind of ``upload`` if it is one of ``kinds`` and within the size limit; a
    ``ValidationError`` naming ``field`` otherwise."""
    limit = max_bytes or settings.ZHIFA_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size > limit:
        raise ValidationError(
            {field: ValidationError(f"文件过大：最多 {limit // (1024 * 1024)} MB", code="file_too_large")}
        )
    if size == 0:
        raise ValidationError({field: ValidationError("文件是空的", code="empty_file")})
    upload.seek(0)
    head = upload.read(32)
    upload.seek(0)
    kind = sniff(head)
    if kind not in kinds:
        allowed = "、".join(KINDS[k][0] for k in kinds)
        raise ValidationError({field: ValidationError(f"文件类型不符：只接受{allowed}", code="file_type")})
    return kind


class UploadField(forms.FileField):
    """A form file field that checks size and type from the bytes (:func:`check_upload`)."""

    def __init__(self, *args, kinds: tuple[str, ...] = IMAGES, max_bytes: int | None = None, **kwargs):
        self.kinds, self.max_bytes = kinds, max_bytes
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and hasattr(upload, "read"):
            try:
                check_upload(upload, self.kinds, max_bytes=self.max_bytes)
            except ValidationError as exc:
                raise ValidationError(
                    exc.error_dict["file"][0].message, code=exc.error_dict["file"][0].code
                ) from None
        return upload


class AfterCommitStorage(FileSystemStorage):
    """File system storage that, inside a transaction, writes to ``.pending/`` and moves the file
    to its name only when the transaction commits."""

    _pending: dict[str, str] = {}  # name → pending path, until the commit moves it

    def get_available_name(self, name, max_length=None):
        name = super().get_available_name(name, max_length)
        if connection.in_atomic_block:
            # The name is taken now but written later: make it unique now, so two transactions
            # cannot both be promised the same free name.
            root, ext = os.path.splitext(name)
            name = f"{root}_{secrets.token_hex(4)}{ext}"
        return name

    def _save(self, name, content):
        if not connection.in_atomic_block:
            return super()._save(name, content)
        pending_name = f"{PENDING_DIR}/{secrets.token_hex(16)}"
        super()._save(pending_name, content)
        pending_path = super().path(pending_name)
        self._pending[name] = pending_path
        final_path = super().path(name)

        def publish():
            Path(final_path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(pending_path, final_path)
            self._pending.pop(name, None)

        transaction.on_commit(publish)
        return name

    def path(self, name):
        pending = self._pending.get(name)
        if pending and os.path.exists(pending):
            return pending
        return super().path(name)

    def exists(self, name):
        return name in self._pending or super().exists(name)


def _stored_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                )
    return names


def remove_orphans(*, pending_age_s: int = 3600, stored_age_s: int = 3600) -> dict[str, int]:
    """Delete pending files of transactions that never committed and stored files no row names.
    Files younger than the given ages are left: their transaction may still be running."""
    root = Path(settings.MEDIA_ROOT)
    now = time.time()
    removed = {"pending": 0, "stored": 0}
    if not root.exists():
        return removed
    names = _stored_names()
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        age = now - path.stat().st_mtime
        if relative.startswith(PENDING_DIR + "/"):
            if age > pending_age_s and str(path) not in AfterCommitStorage._pending.values():
                path.unlink(missing_ok=True)
                removed["pending"] += 1
        elif age > stored_age_s and relative not in names:
            path.unlink(missing_ok=True)
            removed["stored"] += 1
    return removed
