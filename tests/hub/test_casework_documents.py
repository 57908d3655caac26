"""Documents on a case: what may be uploaded (by content, not by name), size limits,
filenames that can never reach the disk or the download header unsanitised, storage
outside any served folder under a random name, and downloads through the policy, each one
recorded. Expected names and limits are written here from the rules, not read back."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from csphub.hub.audit.models import AuditEvent
from csphub.hub.casework.models import Case, Document

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def capstan(partnership):
    return Case.objects.get(title="Noise, threats and damage, Capstan Court")


def _upload(client, case, name: str, content: bytes, title: str = "Letter"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(f"/cases/{case.pk}/documents/add/", {"title": title, "file": upload})


def test_a_pdf_is_kept_privately_under_a_random_name_and_downloaded_with_a_row(client_for, capstan):
    dave = client_for("dave")
    response = _upload(dave, capstan, "../../etc/Warning letter (final).PDF", PDF)
    assert response.status_code == 302
    doc = Document.objects.get(case=capstan, title="Letter")
    # No folders; odd characters become _, and the ends lose spaces, dots and _.
    assert doc.filename == "Warning letter _final.pdf"
    assert doc.content_type == "application/pdf" and doc.size == len(PDF)
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest()
    stored = Path(settings.HUB_DIR) / "documents" / doc.storage_key
    assert stored.read_bytes() == PDF
    assert len(doc.storage_key) == 32 and "Warning" not in doc.storage_key
    assert stored.stat().st_mode & 0o777 == 0o600
    assert (stored.parent.stat().st_mode & 0o777) == 0o700
    before = AuditEvent.objects.filter(action="export").count()
    got = client_for("priya").get(f"/documents/{doc.pk}/")  # police: shared with them
    assert got.status_code == 200 and got.content == PDF
    assert got["Content-Disposition"] == 'attachment; filename="Warning letter _final.pdf"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="export").count() == before + 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "The submitted file is empty"),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "must be a PDF"),
        ("page.html", b"<html>\x00</html>", "must be a PDF"),
    ],
)
def test_what_is_not_kept_is_refused_with_a_reason_and_nothing_written(
    client_for, capstan, name, content, message
):
    files = set((Path(settings.HUB_DIR) / "documents").glob("*"))
    response = _upload(client_for("dave"), capstan, name, content)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Document.objects.filter(case=capstan, title="Letter").exists()
    assert set((Path(settings.HUB_DIR) / "documents").glob("*")) == files


def test_a_file_over_the_limit_is_refused(client_for, capstan, settings):
    settings.CASEWORK_DOCUMENT_MAX_BYTES = 1024
    response = _upload(client_for("dave"), capstan, "big.pdf", PDF + b" " * 2000)
    assert "smaller than" in response.content.decode()
    assert not Document.objects.filter(case=capstan, title="Letter").exists()


def test_a_document_is_not_downloaded_by_those_who_cannot_open_the_case(client_for, capstan):
    doc = Document.objects.filter(case=capstan).first()  # the demo's diary sheet
    assert doc is not None
    for name in ("fiona", "ahmed", "jo", "morgan"):
        assert client_for(name).get(f"/documents/{doc.pk}/").status_code == 404, name
