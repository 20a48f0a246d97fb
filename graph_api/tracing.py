"""OpenTelemetry tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set, absent otherwise.

Off, nothing of OpenTelemetry is imported and the store's hook is one `is None` test per
query. On, the OTLP exporter (HTTP/protobuf) is configured by the standard OTEL_*
variables; the packages are the optional extra `graph-api[tracing]`.
"""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger(__name__)

ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"

# The tracer spans are made with; None while tracing is off.
tracer: Any = None


def configure_tracing(service_name: str = "graph-api") -> bool:
    """Sets up tracing if an OTLP endpoint is configured; True when it is on."""
    global tracer
    if tracer is not None:
        return True
    if not os.environ.get(ENDPOINT_VARIABLE):
        return False
    try:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        log.error(
            "%s is set but OpenTelemetry is not installed (pip install 'graph-api[tracing]'): "
            "tracing stays off (%s)",
            ENDPOINT_VARIABLE,
            exc,
        )
        return False
    name = os.environ.get("OTEL_SERVICE_NAME") or service_name
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    use_tracer(trace.get_tracer("graph_api"))
    log.info("tracing on: spans exported by OTLP to %s", os.environ[ENDPOINT_VARIABLE])
    return True


def use_tracer(new: Any) -> None:
    """Makes the store's query spans go to `new` (None: off); tests give their own."""
    global tracer
    tracer = new
