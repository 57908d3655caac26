"""Documents on a case: upload, and download through the document policy (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from csphub.hub.access.policy import policy
from csphub.hub.access.rules import SCOPED, access
from csphub.hub.audit.context import audit_context
from csphub.hub.casework.forms import DocumentForm
from csphub.hub.casework.services import documents as services
from csphub.hub.casework.views.cases import _case, _opened


@access(SCOPED)
@require_http_methods(["GET", "POST"])
def document_add(request, pk):
    case = _case(request, pk, "case.update")
    if (asked := _opened(request, case)) is not None:
        return asked
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document = services.upload(
                audit_context(request),
                case,
                title=form.cleaned_data["title"],
                name=upload.name or "document",
                data=upload,
            )
        except services.UploadError as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(request, f"Document added: {document.filename}.")
            return redirect("case-detail", pk=case.pk)
    return render(request, "hub/casework/document_add.html", {"case": case, "form": form})


@access(SCOPED)
@require_safe
def document_download(request, pk):
    document = policy("document").get(request.user, pk)
    content = services.read(audit_context(request), document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
