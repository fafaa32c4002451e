"""Report operations: request, follow, list and download reports."""

from __future__ import annotations

import uuid
from typing import Any

from connexion.lifecycle import ConnexionResponse

from maintrac.api.operations import Handler, RequestContext
from maintrac.api.request_context import current_request_id
from maintrac.api.responses import one_response, page_response
from maintrac.core.reports import NewReport, ReportFormat, ReportKind
from maintrac.services import reports as service
from maintrac_contract import models


def create_report(ctx: RequestContext, body: dict[str, Any]) -> ConnexionResponse:
    data = models.ReportCreate.model_validate(body).root
    new = NewReport(
        kind=ReportKind(data.kind.value),
        format=ReportFormat(data.format.value),
        # Stored as sent (wire names): it is echoed back as the report's `parameters`.
        parameters=dict(body.get("parameters") or {}),
    )
    report = service.request_report(ctx.session, new, ctx.user_id)
    return one_response(report, models.Report, status=202, location=f"/v1/reports/{report.id}")


def get_report(ctx: RequestContext, report_id: str) -> ConnexionResponse:
    return one_response(service.get_report(ctx.session, uuid.UUID(report_id)), models.Report)


def list_reports(
    ctx: RequestContext, *, limit: int = 50, cursor: str | None = None
) -> ConnexionResponse:
    page = service.list_reports(ctx.session, limit=limit, cursor=cursor, codec=ctx.codec)
    return page_response(page, models.ReportPage)


def download_report(ctx: RequestContext, report_id: str) -> ConnexionResponse:
    report, chunks = service.ready_report(ctx.session, uuid.UUID(report_id))
    body = b"".join(service.read_chunk(ctx.session, report.id, seq) for seq in range(chunks))
    headers = {"Content-Disposition": f'attachment; filename="{report.file_name}"'}
    request_id = current_request_id()
    if request_id:
        headers["X-Request-Id"] = request_id
    return ConnexionResponse(
        status_code=200,
        mimetype=report.content_type.split(";")[0],
        content_type=report.content_type,
        body=body,
        headers=headers,
    )


HANDLERS: dict[str, Handler] = {
    "createReport": create_report,
    "getReport": get_report,
    "listReports": list_reports,
    "downloadReport": download_report,
}
