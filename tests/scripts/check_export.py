"""Check an `icc export` (JSON lines) without the product: standard library only.

Usage: python check_export.py EXPORT.jsonl [--partial]
(--partial for one incident's export: each event is checked against the link
before it, without requiring the events to follow each other in the chain.)
"""

import base64
import hashlib
import json
import sys

previous = None
with open(sys.argv[1], encoding="utf-8") as export:
    lines = export.readlines()
for number, line in enumerate(lines, start=1):
    event = json.loads(line)
    before = bytes.fromhex(event["previous"])
    if "--partial" not in sys.argv and before != (previous or bytes(32)):
        sys.exit(f"line {number}, position {event['position']}: the chain is broken before it")
    digest = hashlib.sha256(before)
    fields = (event["position"], event["originator_id"], event["version"], event["topic"])
    digest.update("".join(f"{field}\n" for field in fields).encode())
    digest.update(base64.b64decode(event["state"]))
    if digest.hexdigest() != event["link"]:
        sys.exit(f"line {number}, position {event['position']}: the event differs from its link")
    previous = digest.digest()
print(f"intact; head {previous.hex() if previous else bytes(32).hex()}")
