"""Flood day (issue #18): 2,000 reports of one flood from 1,500 senders over 10 minutes, through
the real webhooks (WhatsApp Cloud API, the SMS gateway) and the web API, against the production
setup (bench.common.ProductionStack: PostgreSQL, Redis, gunicorn+gevent, RQ workers).

Every sender reports once; 500 chat senders write a second message later (a follow-up). A
/wall Socket.IO client watches. Measured:
  - time from the 8th report to `incident.proposed` on /wall (target < 60 s);
  - the operator declares the proposal at once (as an operator would, through the API); from
    then on: reports standing alone (not in the incident) = 0, reports lost = 0;
  - two public updates at the end: each chat citizen acknowledged once and updated once per
    update, counted in the outbox;
  - webhook accepted -> `ticket.routed` seen on /wall, p50/p99 (a tag in each text finds it).

`python bench/flood_day.py [--reports 2000 --senders 1500 --seconds 600]`; a shorter run
scales all three (say so in BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import socketio

from bench.common import ProductionStack, machine, percentile
from bench.whatsapp import message_delivery, signed, whatsapp_env

GATEWAY_SECRET = "bench-gateway-secret"
# Bandar Lor (config/areas): chat reports name the kelurahan, web reports carry a point near it.
CENTRE = (-7.8080, 112.0000)
TEXTS = [
    "Banjir di Kelurahan Bandar Lor sudah sepinggang, air masuk rumah warga",
    "Air banjir masuk rumah di Bandar Lor, tolong segera dibantu",
    "banjir di bandar lor makin tinggi, warga mengungsi ke masjid",
    "Banjir merendam rumah warga di Bandar Lor, butuh perahu karet",
    "Kelurahan Bandar Lor kebanjiran, air setinggi lutut",
]
FOLLOW_UPS = ["air makin naik", "tolong cepat, ada lansia", "listrik sudah padam", "sudah setinggi dada"]


def gateway_signed(document: dict) -> tuple[bytes, dict]:
    body = json.dumps(document).encode()
    stamp = str(int(time.time()))
    digest = hmac.new(GATEWAY_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {
        "Content-Type": "application/json",
        "X-Aduan-Timestamp": stamp,
        "X-Aduan-Signature": f"sha256={digest}",
    }


def plan(reports: int, senders: int, seed: int = 18) -> list[dict]:
    """Who sends what, in order: first reports of every sender, follow-ups later in the run."""
    rng = random.Random(seed)
    web_share, sms_share = 0.2, 0.33
    people = []
    for i in range(senders):
        roll = i / senders
        channel = "web" if roll < web_share else "sms" if roll < web_share + sms_share else "whatsapp"
        people.append({"id": i, "channel": channel, "phone": f"62858{i:07d}"})
    rng.shuffle(people)
    items = [{"person": p, "first": True} for p in people]
    chat = [p for p in people if p["channel"] != "web"]
    extra = [{"person": p, "first": False} for p in rng.sample(chat, min(len(chat), reports - senders))]
    # A follow-up comes after its sender's first report: keep order, interleave from a third on.
    ordered = items[: senders // 3]
    rest = items[senders // 3 :] + extra
    rng.shuffle(rest)
    seen = {p["person"]["id"] for p in ordered}
    pending = []
    for item in rest:
        if item["first"] or item["person"]["id"] in seen:
            ordered.append(item)
            seen.add(item["person"]["id"])
            ordered.extend(x for x in pending if x["person"]["id"] in seen)
            pending = [x for x in pending if x["person"]["id"] not in seen]
        else:
            pending.append(item)
    ordered.extend(pending)
    return ordered


def user_token(stack: ProductionStack, username: str, role: str) -> str:
    import subprocess

    import requests

    flask = str(Path(sys.executable).parent / "flask")
    command = [
        flask,
        "--app",
        "wsgi",
        "create-user",
        "--username",
        username,
        "--password",
        "bench-pass-1",
        "--role",
        role,
    ]
    subprocess.run(
        command, env=stack.env, check=True, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL
    )
    answer = requests.post(
        stack.urls[0] + "/api/v1/auth/token",
        json={"username": username, "password": "bench-pass-1"},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


class Wall:
    """A /wall client: when each ticket.routed (by its text's tag) and incident.* arrived."""

    def __init__(self):
        self.client = socketio.AsyncClient(reconnection=True)
        self.routed: dict[str, float] = {}
        self.incidents: list[tuple[str, float, dict]] = []

        @self.client.on("ticket.routed", namespace="/wall")
        async def routed(payload):
            summary = payload["ticket"]["summary"] or ""
            if "[r" in summary:
                tag = summary.rsplit("[r", 1)[1].split("]", 1)[0]
                self.routed.setdefault(tag, time.perf_counter())

        for name in ("incident.proposed", "incident.created", "incident.updated"):
            self.client.on(name, self._incident(name), namespace="/wall")

    def _incident(self, name):
        async def handler(payload):
            self.incidents.append((name, time.perf_counter(), payload["incident"]))

        return handler

    def first(self, name: str):
        return next(((at, incident) for event, at, incident in self.incidents if event == name), None)


def request_for(index: int, item: dict, rng: random.Random) -> tuple[str, bytes, dict]:
    """(path, body, headers) of one report, as its channel's provider (or browser) sends it."""
    person = item["person"]
    text = f"{rng.choice(TEXTS) if item['first'] else rng.choice(FOLLOW_UPS)} [r{index}]"
    if person["channel"] == "whatsapp":
        body, headers = signed(message_delivery(person["phone"], f"wamid.FLOODDAY{index:06d}", text))
        return "/webhooks/whatsapp", body, headers
    if person["channel"] == "sms":
        document = {"id": f"gw-{index}", "from": "+" + person["phone"], "to": "1234", "text": text}
        body, headers = gateway_signed(document)
        return "/webhooks/sms/gateway", body, headers
    point = {"lat": CENTRE[0] + rng.uniform(-0.003, 0.003), "lon": CENTRE[1] + rng.uniform(-0.003, 0.003)}
    body = json.dumps({"description": text, "location": point}).encode()
    return "/api/v1/complaints", body, {"Content-Type": "application/json"}


async def declare_when_proposed(session, stack, wall: Wall, token: str, declared: dict) -> None:
    """The operator declares the proposal the moment the wall shows it."""
    while wall.first("incident.proposed") is None:
        await asyncio.sleep(0.05)
    _, proposal = wall.first("incident.proposed")
    area = {"lat": proposal["area"]["lat"], "lon": proposal["area"]["lon"], "radius_m": 1500}
    async with session.post(
        f"{stack.urls[0]}/api/v1/incidents/{proposal['id']}/declare",
        # A flood's reports read as disasters or as drainage, over more than 500 m: the operator
        # widens both as they declare it.
        json={
            "kind": "flood",
            "title": "Banjir Bandar Lor",
            "lead_opd": "BPBD",
            "categories": ["bencana", "drainase"],
            "area": area,
        },
        headers={"Authorization": f"Bearer {token}"},
    ) as response:
        declared.update(
            status=response.status,
            incident=await response.json(),
            at=time.perf_counter(),
            wall_clock=time.time(),
        )


async def post_updates(session, stack, token: str, declared: dict) -> list:
    """Once every report is routed: two public updates, as the operator would send them."""
    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        if stack.sql("SELECT count(*) FROM tickets WHERE status = 'received'")[0][0] == 0:
            break
        await asyncio.sleep(0.5)
    updates = []
    if not declared.get("incident"):
        return updates
    for message in ("Tim BPBD dan perahu karet sudah di lokasi.", "Pompa air bekerja, air mulai surut."):
        async with session.post(
            f"{stack.urls[0]}/api/v1/incidents/{declared['incident']['id']}/updates",
            json={"message": message},
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            updates.append((response.status, await response.json()))
    return updates


async def run(stack: ProductionStack, args, operator_token: str, wall_token: str) -> dict:
    wall = Wall()
    await wall.client.connect(
        stack.urls[0], namespaces=["/wall"], auth={"token": wall_token}, transports=["websocket"]
    )
    items = plan(args.reports, args.senders)
    accepted: dict[str, float] = {}
    errors = []
    sent_at: list[float] = []
    rng = random.Random(7)
    declared: dict = {}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:

        async def send(index: int, item: dict):
            path, body, headers = request_for(index, item, rng)
            url = stack.urls[index % len(stack.urls)] + path
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    if response.status in (200, 201):
                        accepted[str(index)] = time.perf_counter()
                    else:
                        errors.append(response.status)
            except aiohttp.ClientError as exc:
                errors.append(type(exc).__name__)

        watcher = asyncio.create_task(declare_when_proposed(session, stack, wall, operator_token, declared))
        begun = time.perf_counter()
        tasks = []
        for index, item in enumerate(items):
            delay = begun + index * args.seconds / len(items) - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at.append(time.perf_counter())
            tasks.append(asyncio.create_task(send(index, item)))
        await asyncio.gather(*tasks)
        took = time.perf_counter() - begun
        try:
            await asyncio.wait_for(watcher, timeout=120)
        except TimeoutError:
            pass
        updates = await post_updates(session, stack, operator_token, declared)
        await asyncio.sleep(2)
    await wall.client.disconnect()
    latencies = [(wall.routed[tag] - at) * 1000 for tag, at in accepted.items() if tag in wall.routed]
    return {
        "items": items,
        "accepted": accepted,
        "errors": len(errors),
        "took": took,
        "sent_at": sent_at,
        "wall": wall,
        "declared": declared,
        "updates": updates,
        "latencies": latencies,
        "begun": begun,
    }


def database_counts(stack: ProductionStack, incident_id, declared_clock) -> dict:
    one = lambda query, *params: stack.sql(query, *params)[0][0]  # noqa: E731 - a local shorthand
    after = declared_clock or 0
    return {
        "inbound": one("SELECT count(*) FROM inbound_messages"),
        "tickets": one("SELECT count(*) FROM tickets"),
        "web_tickets": one("SELECT count(*) FROM tickets WHERE channel = 'web'"),
        "in_incident": one("SELECT count(*) FROM tickets WHERE incident_id = %s", incident_id),
        "alone_after": one(
            "SELECT count(*) FROM tickets WHERE incident_id IS NULL AND created_at > to_timestamp(%s)", after
        ),
        "acks": Counter(
            dict(
                stack.sql(
                    "SELECT recipient, count(*) FROM outbox_messages "
                    "WHERE kind IN ('ack', 'incident_ack') GROUP BY recipient"
                )
            )
        ),
        "followup_replies": one(
            "SELECT count(*) FROM outbox_messages WHERE kind = 'reply' AND created_at > to_timestamp(%s)",
            after,
        ),
        "updates": Counter(
            dict(
                stack.sql(
                    "SELECT recipient, count(*) FROM outbox_messages "
                    "WHERE kind = 'incident_update' GROUP BY recipient"
                )
            )
        ),
        "linked_chat": one(
            "SELECT count(DISTINCT reporter_phone) FROM tickets WHERE incident_id = %s AND channel <> 'web'",
            incident_id,
        ),
    }


def report(args, result: dict, counts: dict) -> None:
    items, wall, declared = result["items"], result["wall"], result["declared"]
    chat_items = [i for i in items if i["person"]["channel"] != "web"]
    chat_people = {i["person"]["phone"] for i in chat_items}
    channels = Counter(i["person"]["channel"] for i in items)
    print(
        f"reports: {len(items)} from {args.senders} senders over {result['took']:.0f} s ({dict(channels)}); "
        f"accepted {len(result['accepted'])}, errors {result['errors']}"
    )
    proposal = wall.first("incident.proposed")
    eighth = result["sent_at"][7] if len(result["sent_at"]) >= 8 else None
    if proposal and eighth:
        print(f"8th report -> incident.proposed on /wall: {proposal[0] - eighth:.1f} s (target < 60 s)")
    else:
        print("no incident proposed")
    if declared.get("at") and proposal:
        print(f"declared (API {declared['status']}) {declared['at'] - proposal[0]:.2f} s after the proposal")
    web_sent = channels["web"]
    print(
        f"inbound chat messages stored {counts['inbound']} of {len(chat_items)} sent (lost "
        f"{len(chat_items) - counts['inbound']}); web tickets {counts['web_tickets']} of {web_sent}"
    )
    print(
        f"tickets {counts['tickets']}; in the incident {counts['in_incident']}; filed after the "
        f"declaration and standing alone: {counts['alone_after']} (target 0)"
    )
    acks = counts["acks"]
    once = sum(1 for c in acks.values() if c == 1)
    more = sum(1 for c in acks.values() if c > 1)
    print(
        f"chat citizens {len(chat_people)}: acknowledged exactly once {once}, more than once {more}, "
        f"never {len(chat_people) - len(acks)}; follow-up confirmations after the declaration "
        f"{counts['followup_replies']}"
    )
    sent = len(result["updates"])
    told = counts["updates"]
    exact = sum(1 for c in told.values() if c == sent)
    print(
        f"public updates {sent} (API {[status for status, _ in result['updates']]}): chat citizens linked "
        f"{counts['linked_chat']}, told exactly {sent} times {exact}, other counts "
        f"{sorted(c for c in told.values() if c != sent)}"
    )
    lat = result["latencies"]
    print(
        f"webhook accepted -> ticket.routed on /wall: {len(lat)} seen, p50 {percentile(lat, 50):.0f} ms, "
        f"p99 {percentile(lat, 99):.0f} ms, max {max(lat) if lat else float('nan'):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=1500)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"# machine: {machine()}")
    # No category question before routing (issue 20's CHAT_PICK_CANDIDATES): a flood's citizens
    # are not asked to pick a category, the incident takes their reports.
    env = {
        **whatsapp_env(),
        "SMS_GATEWAY_SECRET": GATEWAY_SECRET,
        "CHANNEL_SENDER_LIMIT": "0",
        "CHAT_PICK_CANDIDATES": "0",
    }
    with ProductionStack(workers=args.workers, **env) as stack:
        wall_token = stack.wall_token()
        operator_token = user_token(stack, "bench-operator", "operator")
        result = asyncio.run(run(stack, args, operator_token, wall_token))
        incident_id = (result["declared"].get("incident") or {}).get("id")
        counts = database_counts(stack, incident_id, result["declared"].get("wall_clock"))
        print(
            f"setup: {stack.web_processes} gunicorn+gevent web processes, {args.workers} workers, "
            "PostgreSQL, Redis; outbound in log mode (the outbox rows are what is counted)"
        )
    report(args, result, counts)


if __name__ == "__main__":
    main()
