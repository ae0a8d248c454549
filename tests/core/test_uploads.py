"""Uploads: size and type from the bytes; stored only when the record commits; orphans removed."""

import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhifa.core import uploads
from zhifa.core.uploads import AfterCommitStorage, UploadField

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64


def test_type_is_read_from_the_bytes_not_the_name():
    assert uploads.check_upload(SimpleUploadedFile("a.pdf", JPEG)) == "jpeg"
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(
            SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
        )
    assert exc.value.error_dict["file"][0].code == "file_type"


def test_size_limit(settings):
    settings.ZHIFA_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        uploads.check_upload(SimpleUploadedFile("a.jpg", JPEG + b"0" * 200))
    assert exc.value.error_dict["file"][0].code == "file_too_large"


def test_form_field_names_the_problem_in_chinese():
    field = UploadField(kinds=("pdf",))
    assert field.clean(SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(ValidationError, match="只接受PDF"):
        field.clean(SimpleUploadedFile("a.pdf", JPEG))


@pytest.fixture
def storage(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    return AfterCommitStorage(location=tmp_path)


def test_file_saved_in_a_transaction_appears_only_on_commit(
    storage, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            name = storage.save("docs/a.pdf", ContentFile(PDF))
            assert not (tmp_path / name).exists()  # not where files are served yet
            assert storage.open(name).read() == PDF  # but readable by its own transaction
    assert (tmp_path / name).read_bytes() == PDF


def test_rolled_back_upload_leaves_nothing_served_and_the_sweep_removes_it(storage, tmp_path):
    with pytest.raises(RuntimeError), transaction.atomic():
        name = storage.save("docs/b.pdf", ContentFile(PDF))
        raise RuntimeError("refused")
    assert not (tmp_path / name).exists()
    pending = list((tmp_path / uploads.PENDING_DIR).iterdir())
    assert len(pending) == 1
    AfterCommitStorage._pending.pop(name, None)
    old = time.time() - 7200
    os.utime(pending[0], (old, old))
    assert uploads.remove_orphans()["pending"] == 1
    assert not pending[0].exists()


def test_sweep_removes_stored_files_no_row_names(storage, tmp_path, db):
    stray = tmp_path / "cases" / "evidence" / "stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(PDF)
    fresh = tmp_path / "cases" / "evidence" / "fresh.pdf"
    fresh.write_bytes(PDF)
    old = time.time() - 7200
    os.utime(stray, (old, old))
    assert uploads.remove_orphans()["stored"] == 1
    assert not stray.exists() and fresh.exists()  # a young file may belong to a running transaction
