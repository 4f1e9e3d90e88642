"""The ASGI entry point for servers: ``uvicorn tisserand.web.asgi:app`` with
``TISSERAND_INSTANCE`` set to the instance folder."""

from __future__ import annotations

import os

from tisserand.site import Site
from tisserand.web.app import create_app

app = create_app(Site.load(os.environ.get("TISSERAND_INSTANCE", ".")))
