"""A local SMTP sink for the benchmark: accepts every message, counts them (and how many each
address got), and writes the counts as JSON to the given file when stopped (SIGTERM)."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections import Counter
from typing import Any

from aiosmtpd.controller import Controller


class Counting:
    """Counts messages and recipients."""

    def __init__(self) -> None:
        self.messages = 0
        self.connections = 0
        self.bytes = 0
        self.recipients: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        if not getattr(session, "counted", False):  # first message of an SMTP connection
            session.counted = True
            self.connections += 1
        self.bytes += len(envelope.content)
        self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def main() -> None:
    port, out = int(sys.argv[1]), sys.argv[2]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print("ready", flush=True)
    done.wait()
    controller.stop()
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"messages": handler.messages, "connections": handler.connections, "bytes": handler.bytes,
                   "distinct_recipients": len(handler.recipients),
                   "max_per_recipient": max(handler.recipients.values(), default=0)}, handle)


if __name__ == "__main__":
    main()
