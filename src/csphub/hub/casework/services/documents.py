"""Documents on a case: uploads with size and type limits, stored outside any served
folder under a random name, read only through the document policy, every download
audited. The type is read from the file's first bytes, never from its name or from what
the browser says."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from csphub.hub import private_file, private_folder
from csphub.hub.access.policy import policy
from csphub.hub.audit.context import AuditContext
from csphub.hub.audit.events import Event
from csphub.hub.audit.service import record, snapshot
from csphub.hub.casework.models import Case, Document
from csphub.hub.casework.services.cases import _entry, subjects_of

#: What may be uploaded, by the bytes a file starts with: (content type, extension).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (
        b"PK\x03\x04",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadError(ValueError):
    """A file that is too big, empty or of a type the hub does not keep."""


def max_bytes() -> int:
    return int(getattr(settings, "CASEWORK_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))


def folder() -> Path:
    return private_folder(Path(settings.HUB_DIR) / "documents")


def sanitise(name: str, extension: str) -> str:
    """A display filename from the upload's name: no folders, no control or odd
    characters, at most 100 characters, ending in the extension its content shows."""
    base = unicodedata.normalize("NFKC", Path(name.replace("\\", "/")).name)
    stem = _UNSAFE.sub("_", base.rsplit(".", 1)[0]).strip(" ._") or "document"
    return f"{stem[:100]}.{extension}"


def sniff(head: bytes) -> tuple[str, str]:
    for prefix, content_type, extension in SIGNATURES:
        if head.startswith(prefix):
            return content_type, extension
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain", "txt"
    raise UploadError("The file must be a PDF, Word document (docx), PNG, JPEG or plain text")


def stored(case: Case, *, title: str, name: str, content: bytes, by: Any) -> Document:
    """Keep ``content`` as a document of ``case``: checked, written under a random name,
    and its row saved (the caller checks the right and writes the audit row). The file is
    removed again if the row cannot be saved."""
    limit = max_bytes()
    if not content:
        raise UploadError("The selected file is empty")
    if len(content) > limit:
        raise UploadError(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    content_type, extension = sniff(content[:4096])
    key = secrets.token_hex(16)
    document = Document(
        case=case,
        title=(title or name).strip()[:200] or "Document",
        filename=sanitise(name, extension),
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        storage_key=key,
        uploaded_by=by,
    )
    document.full_clean()
    path = private_file(folder() / key)
    try:
        path.write_bytes(content)
        document.save()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return document


@transaction.atomic
def upload(ctx: AuditContext, case: Case, *, title: str, name: str, data: IO[bytes]) -> Document:
    policy("case").require(ctx.actor, "case.update", case)
    document = stored(
        case, title=title, name=name, content=data.read(max_bytes() + 1), by=ctx.actor
    )
    _entry(ctx, case, "document", f"Document added: {document.title} ({document.filename}).")
    after = snapshot(document)
    record(Event.CREATE, document, ctx=ctx, after=after, subjects=subjects_of(case))
    return document


def read(ctx: AuditContext, document: Document) -> bytes:
    """The document's bytes for a download, which is recorded (``export``)."""
    policy("document").require(ctx.actor, "view", document)
    content = (folder() / document.storage_key).read_bytes()
    if hashlib.sha256(content).hexdigest() != document.sha256:
        raise UploadError("The stored file does not match its checksum; ask an administrator")
    record(
        Event.EXPORT,
        document,
        ctx=ctx,
        object_repr=f"download {document.filename}"[:300],
        subjects=subjects_of(document.case),
    )
    return content
