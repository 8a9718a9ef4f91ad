// The command-centre wall: one module, no build step. Runs for weeks on an unattended PC, so
// every collection is bounded and every connection loss ends in a catch-up from the server.
/* global io, L */

const FEED_LIMIT = 200;          // rows in the feed
const MARKER_LIMIT = 2000;       // open tickets on the map
const TICKER_LIMIT = 30;         // escalations in the ticker
const MOVEMENT_LIMIT = 30;       // transfers and escalations in the province wall's feed of them
const MOVEMENT_ACTIONS = new Set(["transfer", "sla_escalated"]);
const SEEN_LIMIT = 5000;         // event ids remembered for de-duplication
const CATCHUP_PAGE = 500;
const POLL_MS = 30000;           // stats and counters re-read
const OPEN = new Set(["received", "triage", "assigned", "in_progress"]);
const TOKEN_KEY = "aduan.wall.token";
// The city's clock (TIMEZONE) and its name (WIB, WITA or WIT), from the page.
const TZ = document.body.dataset.timezone || "Asia/Jakarta";
const ZONE_LABEL = document.body.dataset.zoneLabel || "WIB";

const body = document.body;
const CONFIG = {
  map: JSON.parse(body.dataset.map),
  categories: JSON.parse(body.dataset.categories),
  opds: JSON.parse(body.dataset.opds),
  statuses: JSON.parse(body.dataset.statuses),
  channels: JSON.parse(body.dataset.channels),
  regionNames: JSON.parse(body.dataset.regionNames || "{}"),
};
const $ = (id) => document.getElementById(id);
// `/wall?region=CODE` (issue #16): that region's screen; a province's also ranks its cities.
const REGION = body.dataset.region || "";
// The regions this screen shows (none named: all the account hears). A transfer away is still
// shown on the screen it left, as the room it left hears it.
const SCREEN_REGIONS = body.dataset.regions ? new Set(body.dataset.regions.split(" ")) : null;
const onScreen = (payload) =>
  !SCREEN_REGIONS || SCREEN_REGIONS.has(payload.ticket.region) || SCREEN_REGIONS.has(payload.transfer?.from_region);
const regionQuery = (sep) => (REGION ? `${sep}region=${encodeURIComponent(REGION)}` : "");
// The region the page was drawn for (its OPD board, its names): the named one, else the default.
const HOME = body.dataset.home || "";
// A screen of several regions (a province's) names the region beside each agency.
const MULTI_REGION = Boolean(SCREEN_REGIONS && SCREEN_REGIONS.size > 1);

const state = {
  token: null,
  socket: null,
  lastEventId: 0,     // the newest event applied
  resumeFrom: null,   // lastEventId when the connection dropped: catch-up starts there
  countsAsOf: 0,      // counts below include every event up to this id
  seen: new Set(),    // event ids applied (insertion-ordered, trimmed from the oldest)
  tickets: new Map(), // ticket_number → {ticket, eventId, inFeed, created, order}; feed rows and open tickets only
  order: 0,           // arrival order, the tie-break between tickets filed in the same millisecond
  counts: { by_status: {}, by_opd: {} },
  today: null,
  day: null,
  stats: new Map(),   // "region:opd" → /api/v1/stats row
  cities: new Map(),  // region → the province's board row of a city (stats `regions`), moved live
  movements: new Map(), // event id → transfer or escalation payload (the province wall's feed)
  pollTimer: null,
  catchingUp: null,
};

// ---- formatting ------------------------------------------------------------------------
const timeFormat = new Intl.DateTimeFormat("id-ID", { timeZone: TZ, hour: "2-digit", minute: "2-digit" });
const clockFormat = new Intl.DateTimeFormat("id-ID", {
  timeZone: TZ, weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
});
const dateTimeFormat = new Intl.DateTimeFormat("id-ID", {
  timeZone: TZ, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
});
const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: TZ });  // YYYY-MM-DD, a key only
const localDay = (date) => dayFormat.format(date);
const hhmm = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");
// A deadline on another day says which day: "tenggat 14.00" for a ticket late since Monday lies.
const whenDue = (iso) => {
  const due = new Date(iso);
  return localDay(due) === localDay(new Date()) ? timeFormat.format(due) : dateTimeFormat.format(due);
};
// Indonesian number formats: 1.234 and 2,5.
const integerFormat = new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat("id-ID", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const fmtCount = (value) => integerFormat.format(value || 0);
const fmtHours = (value) => (value == null ? "–" : value < 10 ? decimalFormat.format(value) : integerFormat.format(Math.round(value)));
const fmtPercent = (value) => (value == null ? "–" : `${integerFormat.format(Math.round(value * 100))}%`);
// Names are keyed "region:code": codes repeat across regions (Kediri's PUPR, Blitar's PUPR).
const regionName = (code) => CONFIG.regionNames[code] || code;
const categoryName = (code, region) => CONFIG.categories[`${region || HOME}:${code}`] || code;
const opdName = (code, region) => CONFIG.opds[`${region || HOME}:${code}`] || code;
// The region is said beside the agency on a province's screen, and for a ticket of another
// region (one transferred away): two cities both have a PUPR.
const showsPlace = (region) => Boolean(region) && (MULTI_REGION || region !== HOME);
// "Kota Kediri · Dinas …", the region first so a cut-off line still says where; once only.
function placedName(code, region) {
  const name = opdName(code, region);
  const place = regionName(region);
  return name.toLowerCase().includes(place.toLowerCase()) ? name : `${place} · ${name}`;
}

// The region and the agency as two parts of one line: the region never gives way.
function whereNode(className, region, opd, label) {
  const node = el("span", `${className} where`);
  node.append(el("span", "where-region", regionName(region)), el("span", "where-sep", " · "));
  node.append(el("span", "where-opd", opd ? opdName(opd, region) : label));
  return node;
}

function isOverdue(ticket) {
  if (!OPEN.has(ticket.status)) return false;
  return Boolean(ticket.overdue) || (ticket.sla_due_at != null && new Date(ticket.sla_due_at) < new Date());
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

// ---- authentication ----------------------------------------------------------------------
function readToken() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    localStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete("token");
    // The token must not stay in the address bar, the history or a bookmark.
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
  return localStorage.getItem(TOKEN_KEY);
}

function showLogin(message) {
  stop();
  localStorage.removeItem(TOKEN_KEY);
  state.token = null;
  $("login-error").textContent = message || "";
  $("login").hidden = false;
  $("logout").hidden = true;
  setConnection("offline", "Belum masuk");
  $("username").focus();
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector("button");
  button.disabled = true;
  $("login-error").textContent = "";
  try {
    const response = await fetch("/api/v1/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      $("login-error").textContent = response.status === 429
        ? "Terlalu banyak percobaan. Coba lagi sebentar lagi."
        : "Nama pengguna atau kata sandi salah.";
      return;
    }
    if (!["wall", "operator", "admin"].includes(data.role)) {
      $("login-error").textContent = "Akun ini tidak boleh membuka layar pusat komando.";
      return;
    }
    localStorage.setItem(TOKEN_KEY, data.access_token);
    form.password.value = "";
    start(data.access_token);
  } catch (error) {
    $("login-error").textContent = "Server tidak dapat dihubungi.";
  } finally {
    button.disabled = false;
  }
}

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${state.token}` } });
  if (response.status === 401 || response.status === 403) {
    showLogin("Sesi berakhir. Silakan masuk lagi.");
    throw new Error("unauthorized");
  }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// ---- connection ----------------------------------------------------------------------------
function setConnection(kind, label) {
  const node = $("connection");
  node.className = `connection is-${kind}`;
  node.dataset.state = kind;
  $("connection-label").textContent = label;
}

async function start(token) {
  state.token = token;
  $("login").hidden = true;
  $("logout").hidden = false;
  setConnection("reconnecting", "Menghubungkan…");
  // A plain /wall opens the account's own screen (issue #16): a province's account its province
  // wall, a city's its city's. The default city's accounts stay (screen_region null).
  if (!REGION && (await screenRegion()) !== null) return;
  const socket = io("/wall", {
    auth: REGION ? { token, region: REGION } : { token },
    transports: ["websocket", "polling"],
    tryAllTransports: true,          // proxies that block WebSocket still get long-polling
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10000,     // exponential backoff, capped, with jitter
    randomizationFactor: 0.5,
    timeout: 10000,
  });
  state.socket = socket;
  socket.on("connect", () => setConnection("reconnecting", "Menyinkronkan…"));
  socket.on("snapshot", (snapshot) => onSnapshot(snapshot));
  for (const name of ["ticket.created", "ticket.routed", "ticket.updated"]) {
    socket.on(name, (payload) => applyEvent(payload));
  }
  for (const name of ["incident.proposed", "incident.created", "incident.updated"]) {
    socket.on(name, (payload) => applyIncident(payload.incident, false));
  }
  socket.on("disconnect", (reason) => {
    if (state.resumeFrom === null) state.resumeFrom = state.lastEventId;
    setConnection("reconnecting", "Terputus · menyambung ulang…");
    // A server-side disconnect is not retried by the client itself.
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
  });
  socket.io.on("reconnect_attempt", (attempt) => setConnection("reconnecting", `Menyambung ulang (${attempt})…`));
  socket.on("connect_error", () => {
    setConnection("reconnecting", "Terputus · menyambung ulang…");
    // Refused (bad token) is not retried by the client; a dead server is. Tell them apart.
    if (socket.active) return;
    const retry = () => setTimeout(() => state.socket === socket && socket.connect(), 5000);
    verifyToken().then(retry, (error) => error.message !== "unauthorized" && retry());
  });
  schedulePolls();
}

function stop() {
  if (state.socket) {
    state.socket.removeAllListeners();
    state.socket.io.removeAllListeners();
    state.socket.disconnect();
    state.socket = null;
  }
  clearInterval(state.pollTimer);
  state.pollTimer = null;
}

async function screenRegion() {
  try {
    const summary = await api("/wall/summary");
    if (!summary.screen_region || summary.screen_region === REGION) return null;
    window.location.replace(`/wall?region=${encodeURIComponent(summary.screen_region)}`);
    return summary.screen_region;
  } catch (error) {
    // Refused: the login form is showing. A server away: connect as before; the socket retries.
    return error.message === "unauthorized" ? "" : null;
  }
}

async function verifyToken() {
  await api(`/wall/summary${regionQuery("?")}`);
}

async function onSnapshot(snapshot) {
  // Counts are the server's truth as of snapshot.last_event_id.
  state.counts = snapshot.counts;
  state.countsAsOf = snapshot.last_event_id;
  if (snapshot.today) setToday(snapshot.today);
  if (state.lastEventId === 0) {
    // First connection of this page: the snapshot fills the feed and the map.
    for (const ticket of [...snapshot.tickets].reverse()) remember(ticket, 0, true);
    state.lastEventId = snapshot.last_event_id;
  }
  // Every open overdue ticket, however old: the strip and the map must show them all, on a
  // fresh page and after a reconnect alike. They are not "new", so they stay out of the feed.
  for (const ticket of snapshot.overdue_tickets || []) {
    if (!state.tickets.has(ticket.ticket_number)) remember(ticket, 0, false);
  }
  // Active incidents and proposals: the map layer and the head of the feed (issue #18).
  for (const incident of snapshot.incidents || []) applyIncident(incident, true);
  for (const payload of snapshot.movements || []) addMovement(payload);
  renderMovements();
  renderFeed();
  renderMarkersAll();
  renderTicker();
  renderBoardCounts();
  const since = state.resumeFrom ?? state.lastEventId;
  if (await catchUp(since)) state.resumeFrom = null;
  setConnection("live", "Langsung");
  pollStats();
}

async function catchUp(since) {
  // Events that happened while this screen was away, oldest first, page by page. The cursor
  // is our own: live events arriving meanwhile must not make a page get skipped.
  while (state.catchingUp) await state.catchingUp;
  let done = false;
  state.catchingUp = (async () => {
    try {
      let cursor = since;
      for (;;) {
        const page = await api(`/api/v1/events?since=${cursor}&limit=${CATCHUP_PAGE}`);
        for (const payload of page.items) applyEvent(payload);
        cursor = page.last_event_id;
        if (page.items.length < CATCHUP_PAGE) break;
      }
      done = true;
    } catch (error) {
      console.warn("catch-up failed", error);
    } finally {
      state.catchingUp = null;
    }
  })();
  await state.catchingUp;
  return done;
}

// ---- events --------------------------------------------------------------------------------
function markSeen(eventId) {
  state.seen.add(eventId);
  if (state.seen.size > SEEN_LIMIT) state.seen.delete(state.seen.values().next().value);
}

function applyEvent(payload) {
  const id = payload.event_id;
  if (state.seen.has(id)) return;
  // Anything older than the oldest id still remembered was handled long ago.
  if (state.seen.size >= SEEN_LIMIT && id < state.seen.values().next().value) return;
  markSeen(id);
  state.lastEventId = Math.max(state.lastEventId, id);
  if (!onScreen(payload)) return;  // the events feed answers for every region the account reads
  if (MOVEMENT_ACTIONS.has(payload.action) && addMovement(payload)) renderMovements();
  const ticket = payload.ticket;
  const known = state.tickets.get(ticket.ticket_number);
  if (known && known.eventId > id) return; // an older state arriving late
  if (id > state.countsAsOf) updateCounts(payload, known ? known.ticket : null);
  if (ticket.incident && (!known || known.ticket.incident !== ticket.incident)) countIntoIncident(ticket.incident);
  remember(ticket, id, payload.type === "ticket.created");
  updateTicker(ticket, payload.action === "sla_escalated");
  renderFeed(ticket.ticket_number);
  renderMarker(ticket);
  renderBoardCounts();
}

function remember(ticket, eventId, filed) {
  // `inFeed`: filed while this screen watched, or among the newest of the snapshot. A change
  // to any other ticket (an old one going overdue) updates the map and the strip, not the feed.
  const known = state.tickets.get(ticket.ticket_number);
  const entry = {
    ticket, eventId,
    inFeed: Boolean(filed || known?.inFeed),
    created: Date.parse(ticket.created_at) || 0,
    order: known ? known.order : (state.order += 1),
  };
  state.tickets.delete(ticket.ticket_number);  // re-insert: Map order is recency order
  state.tickets.set(ticket.ticket_number, entry);
  trimTickets();
}

const newestFirst = (a, b) => b.created - a.created || b.order - a.order;
const shownInFeed = (entry) => entry.inFeed && entry.ticket.status !== "rejected";

function feedEntries() {
  // "Aduan terbaru": the newest filed complaints, by when they were filed; rejected ones leave.
  return [...state.tickets.values()].filter(shownInFeed).sort(newestFirst).slice(0, FEED_LIMIT);
}

function trimTickets() {
  // Keep the feed's rows, plus open ones for the map up to MARKER_LIMIT.
  if (state.tickets.size <= FEED_LIMIT) return;
  const inFeed = new Set(feedEntries().map((entry) => entry.ticket.ticket_number));
  let openKept = 0;
  const entries = [...state.tickets.entries()].reverse();
  for (const [number, entry] of entries) {
    const open = OPEN.has(entry.ticket.status);
    if (open) openKept += 1;
    if (!inFeed.has(number) && (!open || openKept > MARKER_LIMIT)) {
      state.tickets.delete(number);
      removeMarker(number);
    }
  }
}

function bump(bucket, key, delta) {
  bucket[key] = Math.max(0, (bucket[key] || 0) + delta);
}

function contribution(ticket) {
  // What one ticket adds to the board: open and overdue counts of its OPD ("-" = none yet).
  // An incident's report counts once, as the incident (at its lead OPD: applyIncident).
  if (!ticket || !OPEN.has(ticket.status) || ticket.incident) return null;
  // A ticket transferred out of this screen's regions no longer counts here.
  if (SCREEN_REGIONS && ticket.region && !SCREEN_REGIONS.has(ticket.region)) return null;
  return { region: ticket.region, opd: ticket.opd || "-", status: ticket.status, overdue: Boolean(ticket.overdue) };
}

function opdCounts(opd) {
  return state.counts.by_opd[opd] || (state.counts.by_opd[opd] = { open: 0 });
}

function regionOpdCounts(region, opd) {
  // Per region too (issue #16): the province's DISHUB is not its cities' DISHUB.
  const byRegion = state.counts.by_region;
  if (!byRegion || !region) return null;
  const regionRow = byRegion[region] || (byRegion[region] = {});
  return regionRow[opd] || (regionRow[opd] = { open: 0 });
}

function boardCounts(region, opd) {
  // Counts of one board row: its region's, when the server says them per region.
  const byRegion = state.counts.by_region;
  if (byRegion) return (byRegion[region || HOME] || {})[opd] || {};
  return state.counts.by_opd[opd] || {};
}

function updateCounts(payload, previous) {
  const ticket = payload.ticket;
  if (!previous) {
    // Unknown before: infer from the event type what it was a moment ago.
    if (payload.type === "ticket.created") previous = null;
    else if (payload.type === "ticket.routed") previous = { ...ticket, status: "received", opd: null, overdue: false };
    else if (payload.transfer) {
      // Moved between regions: it counted where it came from.
      previous = { ...ticket, region: payload.transfer.from_region, opd: payload.transfer.from_opd };
    } else previous = { ...ticket, overdue: payload.action === "sla_escalated" ? false : ticket.overdue };
  }
  const before = contribution(previous);
  const after = contribution(ticket);
  const apply = (part, sign) => {
    if (!part) return;
    for (const row of [opdCounts(part.opd), regionOpdCounts(part.region, part.opd)]) {
      if (!row) continue;
      bump(row, "open", sign);
      if (part.overdue) bump(row, "overdue", sign);
    }
    bump(state.counts.by_status, part.status, sign);
  };
  apply(before, -1);
  apply(after, +1);
  // The province's board of its cities moves with the same events; the 30-s poll re-reads it.
  const citiesMoved = [moveCity(before, -1), moveCity(after, +1)];  // both, whatever the first did
  if (citiesMoved.some(Boolean)) renderCities();
  // Waiting on outside bodies (PLN, BPJN…): counted apart from the city's backlog.
  const external = state.counts.external || (state.counts.external = { total: 0, by_body: {} });
  if (payload.action === "forward_external") external.total += 1;
  if (payload.action === "recall_external" || payload.action === "external_done") {
    external.total = Math.max(0, external.total - 1);
  }

  if (!state.today || localDay(new Date(payload.at)) !== state.day) return;
  const today = state.today;
  if (payload.type === "ticket.created") {
    today.received += 1;
    bump(today.by_channel, ticket.channel, 1);
  }
  if (payload.type === "ticket.routed" && ticket.status === "assigned") today.routed_auto += 1;
  if (ticket.status === "resolved" && (!previous || previous.status !== "resolved")) today.resolved += 1;
  today.triage = state.counts.by_status.triage || 0;
  renderToday();
}

// ---- rendering ----------------------------------------------------------------------------
function opdLabel(ticket) {
  if (ticket.opd) return showsPlace(ticket.region) ? placedName(ticket.opd, ticket.region) : opdName(ticket.opd);
  return ticket.status === "received" ? "Sedang dirutekan" : ticket.status === "triage" ? "Triase operator" : "–";
}

function feedRow(ticket) {
  const li = el("li", `feed-item status-${ticket.status}`);
  li.dataset.ticket = ticket.ticket_number;
  const entry = state.tickets.get(ticket.ticket_number);
  li.dataset.created = entry ? entry.created : 0;
  li.dataset.order = entry ? entry.order : 0;
  const overdue = isOverdue(ticket);
  if (overdue) li.classList.add("is-overdue");
  const top = el("div", "feed-top");
  top.append(el("span", "feed-number", ticket.ticket_number));
  top.append(el("span", "feed-status", CONFIG.statuses[ticket.status] || ticket.status));
  if (overdue) top.append(el("span", "feed-overdue", "TERLAMBAT"));
  top.append(el("span", "feed-time", hhmm(ticket.updated_at || ticket.created_at)));
  const meta = el("div", "feed-meta");
  if (ticket.opd && showsPlace(ticket.region)) meta.append(el("span", "feed-region", regionName(ticket.region)));
  meta.append(el("span", "feed-opd", ticket.opd ? opdName(ticket.opd, ticket.region) : opdLabel(ticket)));
  meta.append(el("span", "feed-category", ticket.category ? categoryName(ticket.category, ticket.region) : "Belum dikategorikan"));
  meta.append(el("span", "feed-channel", CONFIG.channels[ticket.channel] || ticket.channel));
  li.append(top, meta, el("div", "feed-summary", ticket.summary));
  return li;
}

function renderFeed(changedNumber) {
  const list = $("feed");
  if (changedNumber) {
    // The row changes where it stands: the feed is ordered by filing, not by the last change.
    const old = list.querySelector(`[data-ticket="${CSS.escape(changedNumber)}"]`);
    const entry = state.tickets.get(changedNumber);
    if (entry && shownInFeed(entry)) {
      const row = feedRow(entry.ticket);
      if (old) old.replaceWith(row);
      else {
        const after = [...list.children].find((li) => newestFirst(entry, {
          created: Number(li.dataset.created), order: Number(li.dataset.order) }) < 0);
        if (after) list.insertBefore(row, after);
        else if (list.children.length < FEED_LIMIT) list.append(row);
      }
    } else if (old) old.remove();
    while (list.children.length > FEED_LIMIT) list.lastElementChild.remove();
  } else {
    list.replaceChildren(...feedEntries().map((entry) => feedRow(entry.ticket)));
  }
  $("feed-empty").hidden = list.children.length > 0;
}

function renderBoardCounts() {
  for (const row of $("board").querySelectorAll("tr[data-opd]")) {
    const counts = boardCounts(row.dataset.region, row.dataset.opd);
    const open = counts.open || 0;
    const overdue = counts.overdue || 0;
    row.querySelector('[data-field="open"]').textContent = fmtCount(open);
    const overdueCell = row.querySelector('[data-field="overdue"]');
    overdueCell.textContent = fmtCount(overdue);
    overdueCell.classList.toggle("is-alert", overdue > 0);
    row.classList.toggle("is-idle", open === 0);
  }
  // The true totals, every OPD and the not-yet-routed included (the map holds at most 2,000).
  const byOpd = Object.values(state.counts.by_opd);
  $("open-total").textContent = fmtCount(Object.values(state.counts.by_status).reduce((a, b) => a + (b || 0), 0));
  $("overdue-total").textContent = fmtCount(byOpd.reduce((sum, row) => sum + (row.overdue || 0), 0));
  $("external-total").textContent = fmtCount((state.counts.external || {}).total || 0);
  if (state.today) {
    state.today.triage = state.counts.by_status.triage || 0;
    renderToday();
  }
}

function renderStats() {
  for (const row of $("board").querySelectorAll("tr[data-opd]")) {
    const stats = state.stats.get(`${row.dataset.region || HOME}:${row.dataset.opd}`);
    row.querySelector('[data-field="median_hours_to_accept"]').textContent = fmtHours(stats?.median_hours_to_accept);
    row.querySelector('[data-field="median_hours_to_resolve"]').textContent = fmtHours(stats?.median_hours_to_resolve);
    const sla = row.querySelector('[data-field="sla_compliance"]');
    sla.textContent = fmtPercent(stats?.sla_compliance);
    sla.classList.toggle("is-alert", stats?.sla_compliance != null && stats.sla_compliance < 0.8);
    sla.classList.toggle("is-good", stats?.sla_compliance != null && stats.sla_compliance >= 0.95);
  }
}

function moveCity(part, sign) {
  // One ticket into (+1) or out of (-1) a city's open and overdue on the province's board.
  const city = part && state.cities.get(part.region);
  if (!city) return false;
  city.open = Math.max(0, (city.open || 0) + sign);
  if (part.overdue) city.overdue = Math.max(0, (city.overdue || 0) + sign);
  return true;
}

function renderCities(rows) {
  // The province's board of its cities: open and overdue now, first response, SLA kept. `rows`
  // (a stats poll) replace what is known; without them the live counts are drawn again.
  const board = $("city-board");
  if (!board) return;
  if (rows) state.cities = new Map(rows.map((row) => [row.region, { ...row }]));
  for (const row of board.querySelectorAll("tr[data-region]")) {
    const city = state.cities.get(row.dataset.region);
    row.querySelector('[data-field="open"]').textContent = fmtCount(city?.open);
    const overdue = row.querySelector('[data-field="overdue"]');
    overdue.textContent = fmtCount(city?.overdue);
    overdue.classList.toggle("is-alert", (city?.overdue || 0) > 0);
    row.querySelector('[data-field="median_hours_to_accept"]').textContent = fmtHours(city?.median_hours_to_accept);
    const sla = row.querySelector('[data-field="sla_compliance"]');
    sla.textContent = fmtPercent(city?.sla_compliance);
    sla.classList.toggle("is-alert", city?.sla_compliance != null && city.sla_compliance < 0.8);
  }
}

function setToday(today) {
  state.today = { ...today, by_channel: { ...today.by_channel } };
  state.day = localDay(new Date());
  renderToday();
}

function renderToday() {
  const today = state.today;
  $("today-received").textContent = fmtCount(today.received);
  $("today-routed").textContent = fmtCount(today.routed_auto);
  $("today-triage").textContent = fmtCount(today.triage);
  $("today-resolved").textContent = fmtCount(today.resolved);
  for (const code of Object.keys(CONFIG.channels)) {
    $(`today-channel-${code}`).textContent = fmtCount(today.by_channel[code]);
  }
}

function tickerItem(ticket) {
  const item = el("span", "ticker-item");
  item.dataset.ticket = ticket.ticket_number;
  item.append(el("strong", null, ticket.ticket_number));
  item.append(` ${opdLabel(ticket)} · ${ticket.category ? categoryName(ticket.category, ticket.region) : ""}`);
  if (ticket.sla_due_at) item.append(el("span", "ticker-due", ` tenggat ${whenDue(ticket.sla_due_at)}`));
  return item;
}

function renderTicker() {
  // Every open overdue ticket known, the longest overdue first.
  const late = [...state.tickets.values()].map((entry) => entry.ticket)
    .filter((ticket) => isOverdue(ticket))
    .sort((a, b) => Date.parse(a.sla_due_at || 0) - Date.parse(b.sla_due_at || 0))
    .slice(0, TICKER_LIMIT);
  const track = $("ticker");
  track.replaceChildren(...late.map(tickerItem));
  track.classList.toggle("is-empty", track.children.length === 0);
}

function updateTicker(ticket, escalated) {
  const track = $("ticker");
  const old = track.querySelector(`[data-ticket="${CSS.escape(ticket.ticket_number)}"]`);
  if (!(OPEN.has(ticket.status) && (escalated || isOverdue(ticket)))) {
    if (old) old.remove();
    track.classList.toggle("is-empty", track.children.length === 0);
    return;
  }
  if (old) old.remove();
  track.prepend(tickerItem(ticket));
  while (track.children.length > TICKER_LIMIT) track.lastElementChild.remove();
  track.classList.toggle("is-empty", track.children.length === 0);
}

// ---- transfers and escalations (issue #16) ------------------------------------------------
// The province wall's own feed: tickets moved between its regions and tickets that went past
// their deadline in any of them, newest first, from the snapshot and then live. Bounded.
function addMovement(payload) {
  if (state.movements.has(payload.event_id)) return false;
  state.movements.set(payload.event_id, payload);
  if (state.movements.size > MOVEMENT_LIMIT) {
    const oldest = Math.min(...state.movements.keys());
    state.movements.delete(oldest);
    if (oldest === payload.event_id) return false;
  }
  return true;
}

function movementRow(payload) {
  const ticket = payload.ticket;
  const transfer = payload.transfer;
  const li = el("li", `movement movement-${transfer ? "transfer" : "escalation"}`);
  li.dataset.ticket = ticket.ticket_number;
  li.dataset.event = payload.event_id;
  li.dataset.action = payload.action;
  const top = el("div", "feed-top");
  const label = transfer ? (transfer.returned ? "DIKEMBALIKAN" : "DIALIHKAN") : "ESKALASI";
  top.append(el("span", "movement-label", label));
  top.append(el("span", "feed-number", ticket.ticket_number));
  top.append(el("span", "feed-time", hhmm(payload.at)));
  li.append(top);
  // From where to where, a line each (an escalation: where it went late).
  if (transfer) {
    const from = el("div", "movement-line");
    from.append(el("span", "movement-dir", "dari"), whereNode("movement-from", transfer.from_region, transfer.from_opd, "Triase"));
    const to = el("div", "movement-line");
    to.append(el("span", "movement-dir", "ke"), whereNode("movement-to", transfer.to_region, transfer.to_opd, "Triase"));
    li.append(from, to);
  } else {
    const where = el("div", "movement-line");
    where.append(whereNode("movement-to", ticket.region, ticket.opd, "Triase"));
    li.append(where);
  }
  return li;
}

function renderMovements() {
  const list = $("movements");
  if (!list) return;  // a city's screen has the escalation strip only
  const rows = [...state.movements.values()].sort((a, b) => b.event_id - a.event_id).map(movementRow);
  list.replaceChildren(...rows);
  $("movements-empty").hidden = rows.length > 0;
}

// ---- map ----------------------------------------------------------------------------------
const markers = new Map();
let map = null;
let cluster = null;

function setupMap() {
  const settings = CONFIG.map;
  map = L.map("map", { zoomControl: false, attributionControl: true, preferCanvas: false })
    .setView(settings.center, settings.zoom);
  if (settings.tile_url) {
    // When tiles fail (no network), the dark map background and the points remain.
    L.tileLayer(settings.tile_url, { maxZoom: 18, attribution: settings.attribution }).addTo(map);
  }
  cluster = L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
    // A cluster hiding an overdue ticket turns red: lateness must not disappear when zoomed out.
    iconCreateFunction: (group) => {
      const count = group.getChildCount();
      const late = group.getAllChildMarkers().some((marker) => marker.options.overdue);
      const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      return L.divIcon({
        html: `<div><span>${fmtCount(count)}</span></div>`,
        className: `marker-cluster marker-cluster-${size}${late ? " is-late" : ""}`,
        iconSize: L.point(Math.round(40 * screenScale()), Math.round(40 * screenScale())),
      });
    },
  });
  map.addLayer(cluster);
}

// Pins and clusters grow with the screen as the text does (1rem is 10 px at 1080p).
const screenScale = () => parseFloat(getComputedStyle(document.documentElement).fontSize) / 10 || 1;

function markerIcon(ticket) {
  const overdue = isOverdue(ticket);
  const size = Math.round(18 * screenScale());
  return L.divIcon({
    className: `pin status-${ticket.status}${overdue ? " is-overdue" : ""}`,
    iconSize: [size, size],
  });
}

function removeMarker(number) {
  const marker = markers.get(number);
  if (marker) {
    cluster.removeLayer(marker);
    markers.delete(number);
  }
}

function renderMarker(ticket, batch) {
  if (!cluster) return;
  removeMarker(ticket.ticket_number);
  if (!OPEN.has(ticket.status) || !ticket.location) return;
  const marker = L.marker([ticket.location.lat, ticket.location.lon], {
    icon: markerIcon(ticket), keyboard: false, title: ticket.ticket_number, overdue: isOverdue(ticket),
  });
  markers.set(ticket.ticket_number, marker);
  if (batch) batch.push(marker);
  else cluster.addLayer(marker);
  while (markers.size > MARKER_LIMIT) removeMarker(markers.keys().next().value);
  if (!batch) $("map-count").textContent = `(${fmtCount(markers.size)} titik)`;
}

function renderMarkersAll() {
  if (!cluster) return;
  const batch = [];
  for (const { ticket } of state.tickets.values()) renderMarker(ticket, batch);
  cluster.addLayers(batch);
  $("map-count").textContent = `(${fmtCount(markers.size)} titik)`;
}

// ---- polling -------------------------------------------------------------------------------
async function pollStats() {
  if (!state.token) return;
  try {
    const stats = await api(`/api/v1/stats${regionQuery("?")}`);
    // One row per region and OPD (issue #16); a row without `region` is the page's region's.
    state.stats = new Map(stats.opds.map((row) => [`${row.region || HOME}:${row.opd}`, row]));
    renderStats();
    renderCities(stats.regions || []);
  } catch (error) {
    console.warn("stats poll failed", error);
  }
}

async function pollSummary() {
  if (!state.token || !state.socket?.connected) return;
  try {
    const summary = await api(`/wall/summary${regionQuery("?")}`);
    // The server's counts as of summary.last_event_id; later events are applied on top as
    // they come. (One landing between the server's read and this answer is off by one until
    // the next poll.)
    state.counts = summary.counts;
    state.countsAsOf = summary.last_event_id;
    setToday(summary.today);
    renderBoardCounts();
    // Overdue marks flip with time, not only with events: refresh the visible rows.
    renderFeed();
  } catch (error) {
    console.warn("summary poll failed", error);
  }
}

function schedulePolls() {
  clearInterval(state.pollTimer);
  state.pollTimer = setInterval(() => {
    pollStats();
    pollSummary();
  }, POLL_MS);
}

function tickClock() {
  const text = clockFormat.format(new Date());
  $("clock").textContent = `${text.charAt(0).toUpperCase()}${text.slice(1)} ${ZONE_LABEL}`;
}

// ---- incidents (issue #18) ---------------------------------------------------------------------
// Active incidents lead the feed and are drawn on the map (area, report count, age); spike
// proposals show dashed until an operator declares or dismisses them. Bounded like the rest.
const INCIDENT_LIMIT = 50;
const incidents = new Map();  // id → {incident, layer}
const incidentLabels = { proposed: "USULAN INSIDEN", active: "INSIDEN" };

function incidentAge(incident) {
  const since = Date.parse(incident.declared_at || incident.created_at) || Date.now();
  const minutes = Math.max(0, Math.round((Date.now() - since) / 60000));
  return minutes < 60 ? `${minutes} mnt` : `${Math.floor(minutes / 60)} j ${minutes % 60} mnt`;
}

function incidentShape(incident) {
  const area = incident.area;
  const style = incident.status === "active"
    ? { color: "#ff4d4f", weight: 3, fillOpacity: 0.15 }
    : { color: "#ffa940", weight: 3, dashArray: "8 6", fillOpacity: 0.08 };
  const layer = area.polygon
    ? L.polygon(area.polygon, style)
    : L.circle([area.lat, area.lon], { ...style, radius: area.radius_m });
  layer.bindTooltip(`${incident.title} · ${fmtCount(incident.report_count)} laporan · ${incidentAge(incident)}`,
    { permanent: true, direction: "top", className: "incident-tip" });
  return layer;
}

function applyIncident(incident, fromSnapshot) {
  const known = incidents.get(incident.id);
  const wasActive = known?.incident.status === "active";
  const isActive = incident.status === "active";
  if (!fromSnapshot && wasActive !== isActive && incident.lead_opd) {
    // The board counts an incident once, at its lead OPD (the server's board_counts).
    for (const row of [opdCounts(incident.lead_opd), regionOpdCounts(incident.region, incident.lead_opd)]) {
      if (row) bump(row, "open", isActive ? 1 : -1);
    }
  }
  if (known?.layer && map) map.removeLayer(known.layer);
  incidents.delete(incident.id);
  if (incident.status === "active" || incident.status === "proposed") {
    const layer = map ? incidentShape(incident).addTo(map) : null;
    incidents.set(incident.id, { incident, layer });
  }
  while (incidents.size > INCIDENT_LIMIT) {
    const [oldest, entry] = incidents.entries().next().value;
    if (entry.layer && map) map.removeLayer(entry.layer);
    incidents.delete(oldest);
  }
  renderIncidents();
  renderBoardCounts();
}

function countIntoIncident(id) {
  const entry = incidents.get(id);
  if (!entry) return;
  entry.incident = { ...entry.incident, report_count: (entry.incident.report_count || 0) + 1 };
  applyIncident(entry.incident, true);
}

function renderIncidents() {
  let list = $("incident-feed");
  if (!list) {
    list = el("ol", "incident-feed");
    list.id = "incident-feed";
    $("feed").before(list);
  }
  const rows = [...incidents.values()].map((entry) => entry.incident)
    .sort((a, b) => (a.status === "active" ? 0 : 1) - (b.status === "active" ? 0 : 1) || b.id - a.id)
    .map((incident) => {
      const li = el("li", `incident-item incident-${incident.status}`);
      li.dataset.incident = incident.id;
      const top = el("div", "feed-top");
      top.append(el("span", "incident-label", incidentLabels[incident.status] || incident.status));
      top.append(el("span", "incident-count", `${fmtCount(incident.report_count)} laporan`));
      top.append(el("span", "feed-time", incidentAge(incident)));
      const meta = el("div", "feed-meta");
      if (incident.lead_opd && showsPlace(incident.region)) meta.append(el("span", "feed-region", regionName(incident.region)));
      if (incident.lead_opd) meta.append(el("span", "feed-opd", opdName(incident.lead_opd, incident.region)));
      meta.append(el("span", "feed-category", incident.categories.map((c) => categoryName(c, incident.region)).join(", ")));
      li.append(top, el("div", "feed-summary incident-title", incident.title), meta);
      return li;
    });
  list.replaceChildren(...rows);
}

setInterval(() => { for (const entry of incidents.values()) applyIncident(entry.incident, true); }, 60000);

// ---- boot ----------------------------------------------------------------------------------
$("login-form").addEventListener("submit", login);
$("logout").addEventListener("click", () => showLogin(""));
tickClock();
setInterval(tickClock, 15000);
setupMap();
const token = readToken();
if (token) start(token);
else showLogin("");
