"""Flood day: 10,000 WhatsApp webhooks in 60 s from 3,000 senders, 10% delivered twice.

Against the production setup (bench.common.ProductionStack). Each sender's messages arrive
minutes apart in real life; here they are spread evenly through the minute, so a sender's
second and third messages fall inside the 10-minute follow-up window and join that sender's
ticket, as the conversation rules say. So the unique complaints are the senders, and:
  inbound rows stored  == unique message ids     (nothing lost, redeliveries not stored)
  tickets created      == senders               (one per complaint, none doubled)
Reports accepted/s, the time until every ticket is routed (backlog drained), and duplicates.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from bench.common import ProductionStack, machine, percentile
from bench.whatsapp import message_delivery, signed, whatsapp_env

TEXTS = [
    "Banjir setinggi lutut di Jl. Semeru, air sungai meluap masuk rumah warga",
    "Jalan di depan rumah tergenang, saluran air tersumbat sampah",
    "Pohon tumbang menutup jalan di Jl. Hayam Wuruk setelah hujan deras",
    "Air PDAM keruh sekali setelah banjir, tidak bisa dipakai",
    "Lampu jalan mati total di Kelurahan Ngronggo, gelap sekali",
]


async def flood(urls: list[str], messages: int, senders: int, duplicate_share: float, seconds: float) -> dict:
    rng = random.Random(7)
    plan = [(i, f"62857{i % senders:07d}") for i in range(messages)]
    deliveries = [(i, s) for i, s in plan]
    deliveries += [(i, s) for i, s in rng.sample(plan, int(messages * duplicate_share))]
    # Redeliveries arrive a little later than the original, as providers retry.
    deliveries.sort(key=lambda d: d[0] + (rng.random() * 50))
    latencies, errors = [], 0
    connector = aiohttp.TCPConnector(limit=64)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def send(index: int, sender: str, slot: int):
            nonlocal errors
            text = TEXTS[index % len(TEXTS)] if index < senders else f"tambahan info ke-{index}"
            body, headers = signed(message_delivery(sender, f"wamid.FLOOD{index:07d}", text))
            started = time.perf_counter()
            try:
                async with session.post(
                    urls[slot % len(urls)] + "/webhooks/whatsapp", data=body, headers=headers
                ) as response:
                    await response.read()
                    if response.status == 200:
                        latencies.append((time.perf_counter() - started) * 1000)
                    else:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1

        begun = time.perf_counter()
        tasks = []
        for slot, (index, sender) in enumerate(deliveries):
            delay = begun + slot * seconds / len(deliveries) - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(index, sender, slot)))
        await asyncio.gather(*tasks)
        took = time.perf_counter() - begun
    return {
        "deliveries": len(deliveries),
        "unique": messages,
        "accepted": len(latencies),
        "errors": errors,
        "took": took,
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=3_000)
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    senders = min(args.senders, args.messages)
    print(f"# machine: {machine()}")
    with ProductionStack(workers=args.workers, **whatsapp_env(), CHANNEL_SENDER_LIMIT="0") as stack:
        result = asyncio.run(flood(stack.urls, args.messages, senders, args.duplicates, args.seconds))
        end_of_burst = time.perf_counter()
        while True:
            pending = stack.sql("SELECT count(*) FROM tickets WHERE status = 'received'")[0][0]
            if pending == 0 or time.perf_counter() - end_of_burst > 600:
                break
            time.sleep(0.5)
        drained = time.perf_counter() - end_of_burst
        inbound = stack.sql("SELECT count(*) FROM inbound_messages")[0][0]
        tickets = stack.sql("SELECT count(*) FROM tickets")[0][0]
        doubled = stack.sql(
            "SELECT count(*) FROM (SELECT reporter_phone FROM tickets GROUP BY "
            "reporter_phone HAVING count(*) > 1) d"
        )[0][0]
        routed_twice = stack.sql(
            "SELECT count(*) FROM (SELECT ticket_id FROM ticket_events "
            "WHERE type = 'ticket.routed' GROUP BY ticket_id "
            "HAVING count(*) > 1) r"
        )[0][0]
        print(
            f"setup: {stack.web_processes} gunicorn+gevent web processes, {args.workers} "
            f"workers, PostgreSQL, Redis (per-sender rate limit off for the flood)"
        )
    print(
        f"deliveries: {result['deliveries']} ({result['unique']} unique + "
        f"{result['deliveries'] - result['unique']} redelivered) from {senders} senders in "
        f"{result['took']:.1f} s: {result['accepted'] / result['took']:.0f} accepted/s, "
        f"{result['errors']} errors, webhook p50 {result['p50']:.0f} ms p99 {result['p99']:.0f} ms"
    )
    print(f"backlog drained (every ticket routed) {drained:.1f} s after the burst (target < 120 s)")
    print(
        f"inbound messages stored: {inbound} (unique ids {result['unique']}; lost "
        f"{result['unique'] - inbound})"
    )
    print(
        f"tickets created: {tickets} (unique complaints = senders {senders}); senders with "
        f"two tickets: {doubled}; tickets routed twice: {routed_twice}"
    )


if __name__ == "__main__":
    main()
