"""``/admin/jobs``: queued, running and failed background jobs, and the periodic ones."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from tisserand.jobs import all_jobs, queue_backend
from tisserand.web.pages.common import render, require_admin, site_of


async def jobs_page(request: Request) -> Response:
    """What the workers have to do, are doing and could not do (with the last error)."""
    require_admin(request)
    site = site_of(request)
    rows = await site.jobs.list_jobs()
    return await render(request, "admin/jobs.html", {
        "tab": "jobs", "backend": queue_backend(site),
        "failed": [j for j in rows if j.status == "failed"],
        "active": [j for j in rows if j.status != "failed"],
        "periodic": sorted(all_jobs(site).values(), key=lambda j: j.name)})
