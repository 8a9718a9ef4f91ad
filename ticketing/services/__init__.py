"""Business logic: plain functions that take and return models and own the transaction.

The only code that writes to the database; events are published after the commit. An index:

Tickets
    intake          taking a complaint in (web, Open311, chat): store it, answer, queue routing
    assisted_intake complaints an operator files for a caller or a walk-in
    routing         routing a received ticket: decide the OPD or area office, or triage
    duplicates      possible duplicates shown to the operator (never merged)
    lifecycle       the state-machine table (status x action -> status, roles) and apply_action
    sla, sla_sweep  the working-hours calendar; reminders, escalations, auto-close
    events          ticket history rows and the live feed (published after commit)
    queries         staff reads: the scoped work list and the full ticket
    tracking        what a citizen sees of their own ticket
    citizen         the citizen pages beyond filing: photos, the category hint
    console         reads the staff console needs beyond the API's
Channels
    conversation    what one SMS/WhatsApp/Telegram message means, and its effect
    voice           a voice note on its own becomes a ticket in triage (no transcription)
    outbox          every message to a citizen: a row first, then sent by a job
    outbox_review   failed messages for the operator: why, retry, or give up
    notifications   which events the citizen hears about, in what words
    media, media_fetch, inbound_spool
                    what a file really is; fetching chat photos; webhooks kept while the DB is down
Staff and reference data
    accounts        staff accounts, passwords, access tokens
    administration  admin changes to users, OPDs, categories and API keys, with the audit log
    console_sessions, login_throttle
                    tokens that end with the console session; slowing failed sign-ins
    api_keys        Open311 API keys (stored hashed)
    reference       the city's OPDs and categories
    areas           the kelurahan/kecamatan of a point or a text, and their offices
    seeding         the demo city and the area offices
Figures and exports
    stats           counters for the wall and per-OPD performance
    reports, report_cache
                    the monthly OPD report (a closed month rendered once)
    report_summary  the one-page summary both reports open with (vs. before, the OPDs that moved)
    skm, skm_index, skm_chat, skm_demo
                    satisfaction surveys: services, answers, the IKM, the chat survey, demo data
    evaluation      the Smart City evaluation pack for a semester
    opendata        the anonymised open data and the staff CSV
    open311         Open311 GeoReport v2 services and requests
    metrics, health Prometheus figures; readiness of the database and Redis
    retraining      retraining the router on the city's history
"""
