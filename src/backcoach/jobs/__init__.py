"""Heavy work as jobs: the report and handout PDFs now; camera video analysis and the clinic's
daily digest register the same way (``jobs.registry``).

A job takes ids only (a person, a document), loads what it needs through a store scoped to
that person, and is idempotent: run twice, it writes its one result twice. Two queues run the
same job functions (``jobs.queue``): in the calling process (personal mode, SQLite: no queue
service), or procrastinate on the app's PostgreSQL (``jobs.pgqueue``, run by
`backcoach worker`). docs/jobs.md says which, and how retries work.

Nothing here imports the CLI, the web app or the contexts: jobs get explicit pieces
(``jobs.workplace.Workplace``: the settings and the database).
"""
