"""Prometheus metrics of this process: requests by route and status, latency, jobs by task and
outcome, open live-event connections. Served at ``/metrics`` when ``[metrics] enabled``."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST


class _JobsCollector:
    """Job outcomes counted by :mod:`tisserand.jobs` in this process."""

    def collect(self) -> Any:
        from tisserand.jobs.common import OUTCOMES

        family = CounterMetricFamily("tisserand_jobs", "Finished job runs by task and outcome",
                                     labels=["task", "outcome"])
        for (task, outcome), count in sorted(OUTCOMES.items()):
            family.add_metric([task, outcome], count)
        yield family


class Metrics:
    """The process's metrics, in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("tisserand_http_requests", "HTTP requests by route, method and status",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("tisserand_http_request_duration_seconds", "Time to answer, by route",
                                 ["route"], registry=self.registry,
                                 buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.sse = Gauge("tisserand_sse_connections", "Open live-event connections",
                         registry=self.registry)
        self.registry.register(_JobsCollector())  # type: ignore[arg-type]

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def render(self) -> tuple[str, str]:
        """The text exposition format and its content type."""
        return generate_latest(self.registry).decode(), CONTENT_TYPE_LATEST


METRICS = Metrics()
