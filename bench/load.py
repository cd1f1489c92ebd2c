"""A cheap HTTP/1.1 load tool for `bench/commands.py`: keep-alive POSTs, back to back.

Raw asyncio streams, no HTTP library: each of N connections writes a prebuilt
request, reads the headers up to the blank line, then Content-Length bytes of
body, and sends the next one at once. A short warm-up is not counted; then
every answer that arrives within the measured window counts, and its latency
(request written -> body read) is kept.

Reads a JSON spec on standard input, writes a JSON result on standard output:
  {"port": 8000, "connections": 64, "warmup": 1, "seconds": 10,
   "targets": [{"path": "/api/incidents", "headers": {...}, "body": "... {n} ..."}]}
Connection i sends to targets[i % len(targets)]; `{n}` in a body becomes a
running number. Exits 1 if any answer was not 2xx or a connection failed.
"""

import asyncio
import itertools
import json
import resource
import sys
import time
from collections import Counter

HOST = "127.0.0.1"


class Load:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.numbers = itertools.count(1)
        self.statuses: Counter[int] = Counter()
        self.samples: dict[int, str] = {}  # the first body seen per non-2xx status
        self.errors: list[str] = []
        self.latencies: list[float] = []
        self.start = self.end = 0.0

    async def client(self, target: dict, ready: asyncio.Event) -> None:
        head = f"POST {target['path']} HTTP/1.1\r\nHost: {HOST}\r\n"
        for name, value in target.get("headers", {}).items():
            head += f"{name}: {value}\r\n"
        head_bytes = (head + "Content-Type: application/json\r\nContent-Length: ").encode()
        prefix, _, suffix = target["body"].encode().partition(b"{n}")
        numbered = b"{n}" in target["body"].encode()
        try:
            reader, writer = await asyncio.open_connection(HOST, self.spec["port"])
        except OSError as error:
            self.errors.append(f"connect: {error!r}")
            return
        await ready.wait()
        try:
            while True:
                sent = time.perf_counter()
                if sent >= self.end:
                    break
                body = prefix + str(next(self.numbers)).encode() + suffix if numbered else prefix
                writer.write(head_bytes + str(len(body)).encode() + b"\r\n\r\n" + body)
                answer_head = await reader.readuntil(b"\r\n\r\n")
                status = int(answer_head[9:12])
                lowered = answer_head.lower()
                at = lowered.find(b"\r\ncontent-length:")
                if at < 0:
                    raise ValueError(f"no Content-Length in {answer_head!r}")
                length = int(lowered[at + 17 : lowered.index(b"\r\n", at + 2)])
                answer = await reader.readexactly(length)
                arrived = time.perf_counter()
                self.statuses[status] += 1
                if not 200 <= status < 300:
                    self.samples.setdefault(status, answer[:300].decode(errors="replace"))
                elif self.start <= arrived <= self.end:
                    self.latencies.append(arrived - sent)
        except Exception as error:  # a closed or broken connection makes the figure invalid
            self.errors.append(repr(error))
        finally:
            writer.close()

    async def run(self) -> dict:
        targets = self.spec["targets"]
        ready = asyncio.Event()
        self.end = float("inf")
        clients = [
            asyncio.create_task(self.client(targets[i % len(targets)], ready))
            for i in range(self.spec["connections"])
        ]
        await asyncio.sleep(0.2)  # let the connections open
        self.start = time.perf_counter() + self.spec["warmup"]
        self.end = self.start + self.spec["seconds"]
        cpu_before = _cpu()
        ready.set()
        await asyncio.gather(*clients)
        latencies = sorted(self.latencies)
        ms = [x * 1000 for x in latencies] or [float("nan")]
        return {
            "rate": len(latencies) / self.spec["seconds"],
            "answers": len(latencies),
            "p50_ms": ms[len(ms) // 2],
            "p99_ms": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "samples": {str(k): v for k, v in self.samples.items()},
            "errors": self.errors[:5],
            "error_count": len(self.errors),
            # share of one core the load tool used over warm-up + window
            "cpu": (_cpu() - cpu_before) / (self.spec["warmup"] + self.spec["seconds"]),
        }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    result = asyncio.run(Load(json.load(sys.stdin)).run())
    print(json.dumps(result, ensure_ascii=False))
    failed = result["error_count"] or any(not k.startswith("2") for k in result["statuses"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
