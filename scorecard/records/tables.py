"""The tables of the records store, for SQLAlchemy Core queries. The schema itself is made and changed by the
Alembic revisions in migrations/versions/ (a change here comes with a revision there)."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Float, Index, Integer, LargeBinary, MetaData,
                        PrimaryKeyConstraint, SmallInteger, String, Table, Text, UniqueConstraint)

metadata = MetaData()

# An id that counts up by itself on both backends (SQLite does so only for an INTEGER PRIMARY KEY).
SERIAL = BigInteger().with_variant(Integer, "sqlite")

users = Table(
    "users", metadata,
    Column("name", String(64), primary_key=True),           # normalised: NFKC, lower case
    Column("role", String(80), nullable=False),             # the account's roles, joined by 、 (roles.roles_text)
    Column("city", String(16)),
    Column("password_hash", Text, nullable=False),
    Column("demo", Boolean, nullable=False),                # valid only on a demo database
    Column("disabled", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=False),
    Column("last_sign_in", DateTime),
)

# consecutive wrong passwords per user name typed, existing or not
sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("name", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", DateTime),
)

sessions = Table(
    "sessions", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("name", String(64), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
    Column("end_reason", String(32)),
)

audit = Table(
    "audit", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("occurred_at", DateTime, nullable=False),
    Column("who", String(80), nullable=False),
    Column("role", String(80)),                             # the roles held then, joined by 、
    Column("city", String(16)),
    Column("channel", String(16), nullable=False),          # 网页, 统一认证, 命令行
    Column("action", String(16), nullable=False),
    Column("target", Text),
    Column("detail", Text),
    Column("outcome", String(8), nullable=False),           # 成功, 失败, 拒绝
    Column("address", String(64)),                          # the client's address, for the web
)

# warning reports (预警报告) of the 2003 notice; an edit adds a version, the highest version is in force
warning_reports = Table(
    "warning_reports", metadata,
    Column("report_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("city", String(16), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("reported_local", Date),
    Column("filed_province", Date),
    Column("note", Text),
    Column("withdrawn", Boolean, nullable=False),
    Column("entered_at", DateTime, nullable=False),
    Column("entered_by", Text),
    Column("demo", Boolean, nullable=False),                # made by `scorecard demo`, replaced with the demo data
    PrimaryKeyConstraint("report_id", "version"),
)

# what the store was told once: e.g. that the records of an older version were taken over; `generation`, raised
# by every change of the records (audit.insert), tells readers in other processes that something changed
records_meta = Table(
    "records_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text),
)

# assessors' decisions (考评决定): an edit or a withdrawal adds a version with its reason; the highest is in force
decisions = Table(
    "decisions", metadata,
    Column("decision_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("year", SmallInteger, nullable=False, index=True),
    Column("city", String(16), nullable=False),
    Column("kind", String(16), nullable=False),             # 加减分 or 一票否决
    Column("points", Float),
    Column("item", Text),
    Column("reason", Text, nullable=False),
    Column("decided_on", Date),                             # scoring.md §4 `date:`; None: the final result only
    Column("withdrawn", Boolean, nullable=False),
    Column("change_reason", Text),                          # why this version replaces the one before
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    PrimaryKeyConstraint("decision_id", "version"),
)

# the evidence of a version of a decision: a file kept by its sha256 in the private folder beside the data
decision_evidence = Table(
    "decision_evidence", metadata,
    Column("decision_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("kind", String(8), nullable=False),              # pdf, png, jpeg, xlsx
    Column("size", BigInteger, nullable=False),
    PrimaryKeyConstraint("decision_id", "version", "position"),
)

# a published result (发布): the JSON of `scorecard score --format json` and the fingerprint of its inputs
publications = Table(
    "publications", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("number", Integer, nullable=False),              # per year: 第1号, 第2号 …
    Column("published_at", DateTime, nullable=False),
    Column("author", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("inputs", Text, nullable=False),
    Column("archive", LargeBinary),                         # the whole result, zlib-compressed (report.archive)
    UniqueConstraint("year", "number"),
)

# self-assessment and verification (自评、核查): per city, year and indicator, the figure a city claims (自评) and
# the figure province verifiers recorded (核查); every entry is a version, the newest of each stage in force
self_assessment = Table(
    "self_assessment", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("year", SmallInteger, nullable=False, index=True),
    Column("city", String(16), nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("stage", String(8), nullable=False),             # 自评 or 核查
    Column("figure", Float, nullable=False),
    Column("note", Text),                                   # the city's note, or the verifier's reason
    Column("evidence", Text),                               # JSON: [[sha256, file name, kind, size], …]
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# 整改方案 (corrective action plans) of a finding of a year: filing or revising adds a version, the highest is in
# force; the province's review of a version (通过 or 退回 with a reason) is a row of its own, never changed
rectification_plans = Table(
    "rectification_plans", metadata,
    Column("plan_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("year", SmallInteger, nullable=False, index=True),
    Column("city", String(16), nullable=False),
    Column("finding", String(64), nullable=False),          # assessment.rectification.Finding.key
    Column("finding_text", Text, nullable=False),
    Column("measures", Text, nullable=False),
    Column("owner", String(80), nullable=False),            # 责任人
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    PrimaryKeyConstraint("plan_id", "version"),
)

rectification_milestones = Table(
    "rectification_milestones", metadata,
    Column("plan_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("description", Text, nullable=False),
    PrimaryKeyConstraint("plan_id", "version", "position"),
)

rectification_reviews = Table(
    "rectification_reviews", metadata,
    Column("plan_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("reason", Text),                                 # why it was returned
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    PrimaryKeyConstraint("plan_id", "version"),
)

# a milestone's status as reported; the newest row of a milestone is its status
rectification_progress = Table(
    "rectification_progress", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("position", SmallInteger, nullable=False),
    Column("status", String(8), nullable=False),            # 未开始, 进行中, 已完成
    Column("completed_on", Date),
    Column("note", Text),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# monthly figures reported online (在线填报): a version per city and month; a draft is saved over, a submitted
# version is kept as it was, and a returned or accepted month corrected becomes the next version
report_versions = Table(
    "report_versions", metadata,
    Column("city", String(16), nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("figures", Text, nullable=False),                # JSON: measure → value
    Column("notes", Text, nullable=False),                  # JSON: measure → 说明 of a soft 审核公式
    Column("state", String(8), nullable=False),             # 草稿, 待审, 退回, 已通过
    Column("entered_by", String(80), nullable=False),
    Column("entered_at", DateTime, nullable=False),
    Column("submitted_by", String(80)),
    Column("submitted_at", DateTime),
    Column("reviewed_by", String(80)),
    Column("reviewed_at", DateTime),
    Column("review_reason", Text),                          # why it was returned
    Column("import_id", Integer),                           # the import its acceptance wrote
    PrimaryKeyConstraint("city", "year", "month", "version"),
)

# every step of a month reported online, with who and when: 保存, 报送, 退回, 通过
report_events = Table(
    "report_events", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("city", String(16), nullable=False),
    Column("year", SmallInteger, nullable=False, index=True),
    Column("month", SmallInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(8), nullable=False),
    Column("who", String(80), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("reason", Text),
)

# a caseworker's outcome (属实 or 不属实) of a person-record rule finding (microdata.findings.Finding.key);
# the newest entry per finding is in force
finding_checks = Table(
    "finding_checks", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("year", SmallInteger, nullable=False, index=True),
    Column("city", String(16), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("finding", String(160), nullable=False),
    Column("outcome", String(8), nullable=False),
    Column("amount", Float, nullable=False),               # the finding's amount when it was checked (元)
    Column("note", Text),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# a 公示 list of a street or community posted: when, by whom, how many recipients, and the digest of the PDF
postings = Table(
    "postings", metadata,
    Column("id", SERIAL, primary_key=True, autoincrement=True),
    Column("year", SmallInteger, nullable=False),
    Column("month", SmallInteger, nullable=False),
    Column("city", String(16), nullable=False),
    Column("community", String(160), nullable=False),
    Column("recipients", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("posted_on", Date, nullable=False),
    Column("author", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_postings_year_month", "year", "month"),
)
