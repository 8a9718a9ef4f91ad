"""End-to-end latency: WhatsApp webhook accepted → `ticket.routed` seen by a /wall client.

Signed Meta webhooks at a steady rate (default 50/s for 60 s, each from a new sender) go to the
production setup (bench.common.ProductionStack: gunicorn+gevent per core, PostgreSQL, Redis,
2 workers) while a python-socketio client on /wall notes when each ticket's `ticket.routed`
arrives. Latency = routed event seen − webhook answered 200.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import socketio

from bench.common import ProductionStack, machine, percentile, start_at_rate
from bench.whatsapp import message_delivery, signed, whatsapp_env

TEXTS = [
    "Jalan berlubang besar di Jl. Dhoho depan toko, bahaya untuk motor",
    "Lampu jalan mati di Jl. Veteran sejak tiga hari",
    "Sampah menumpuk di TPS Kelurahan Bandar Lor belum diangkut",
    "Air PDAM mati di Campurejo sejak pagi",
]


async def drive(stack: ProductionStack, token: str, rate: float, seconds: float) -> dict:
    accepted_at: dict[str, float] = {}
    routed_at: dict[str, float] = {}
    errors = 0
    wall = socketio.AsyncClient(reconnection=True)

    @wall.on("ticket.routed", namespace="/wall")
    async def on_routed(data):
        routed_at.setdefault(data["ticket"]["ticket_number"], time.perf_counter())

    await wall.connect(stack.urls[0], namespaces=["/wall"], auth={"token": token}, transports=["websocket"])
    total = int(rate * seconds)
    async with aiohttp.ClientSession() as session:

        async def send(i: int) -> None:
            nonlocal errors
            message_id = f"wamid.E2E{i:07d}"
            body, headers = signed(
                message_delivery(f"62813{i:08d}", message_id, f"{TEXTS[i % len(TEXTS)]} ({i})")
            )
            try:
                async with session.post(
                    stack.urls[i % len(stack.urls)] + "/webhooks/whatsapp", data=body, headers=headers
                ) as response:
                    await response.read()
                    if response.status == 200:
                        accepted_at[message_id] = time.perf_counter()
                    else:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1

        await asyncio.gather(*await start_at_rate(send, total, rate))
    deadline = time.perf_counter() + 60
    while len(routed_at) < len(accepted_at) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    await wall.disconnect()
    numbers = dict(
        stack.sql(
            "SELECT m.provider_message_id, t.ticket_number FROM inbound_messages m "
            "JOIN tickets t ON t.id = m.ticket_id"
        )
    )
    latencies = [
        (routed_at[numbers[mid]] - at) * 1000
        for mid, at in accepted_at.items()
        if mid in numbers and numbers[mid] in routed_at
    ]
    return {
        "sent": total,
        "accepted": len(accepted_at),
        "errors": errors,
        "routed_seen": len(latencies),
        "latencies": latencies,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"# machine: {machine()}")
    with ProductionStack(workers=args.workers, **whatsapp_env()) as stack:
        result = asyncio.run(drive(stack, stack.wall_token(), args.rate, args.seconds))
        print(
            f"setup: {stack.web_processes} gunicorn+gevent web processes, {args.workers} "
            f"workers, PostgreSQL, Redis"
        )
    latencies = result["latencies"]
    print(
        f"webhooks: {result['sent']} sent at {args.rate:.0f}/s, {result['accepted']} accepted, "
        f"{result['errors']} errors; routed events seen on /wall: {result['routed_seen']}"
    )
    print(
        f"webhook accepted -> ticket.routed on /wall: p50 {percentile(latencies, 50):.0f} ms, "
        f"p99 {percentile(latencies, 99):.0f} ms, max {max(latencies, default=float('nan')):.0f} ms"
        f" (target p99 < 500 ms)"
    )


if __name__ == "__main__":
    main()
