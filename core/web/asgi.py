"""The ASGI entry point for servers: ``uvicorn tisserand.web.asgi:app`` with
``TISSERAND_INSTANCE`` set to the instance folder."""

from __future__ import annotations

import os

from tisserand.logs import configure_logging
from tisserand.site import Site
from tisserand.web.app import create_app

_site = Site.load(os.environ.get("TISSERAND_INSTANCE", "."))
configure_logging(_site.settings)
app = create_app(_site)
