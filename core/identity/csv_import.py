"""Bring a council's members in from a spreadsheet: ``placette users import CSV --space SLUG``.

Columns (header names in English or French, any order; ``;`` or ``,`` separated, UTF-8 or
Windows-1252 as Excel writes them): ``name``, ``email``, optional ``phone``, optional ``role``
(member by default; ``guest`` needs ``expires_at`` as YYYY-MM-DD).

Every row is checked first and reported (``create``, ``attach``, ``update``, ``unchanged`` or
``error`` with the reason).  Whether an address already has an account somewhere in the city is
told only to those who may know it (the CLI, city admins): for an animator both ``create`` and
``attach`` read ``add`` -- otherwise a dry run would let them test any address.  Nothing is written on ``--dry-run`` or when any row is invalid: a
half-imported council is worse than none.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..db import atomic
from ..models import Membership, Space, User
from ..models.spaces import ROLES
from ..spaces import SpaceError, add_member
from .accounts import AccountError, create_user, has_control_characters, normalize_email

HEADERS = {
    "name": {"name", "display_name", "nom", "prénom nom", "nom complet", "full name"},
    "email": {"email", "e-mail", "mail", "courriel", "adresse e-mail", "adresse email"},
    "phone": {"phone", "telephone", "téléphone", "tel", "tél", "mobile", "portable"},
    "role": {"role", "rôle"},
    "expires_at": {"expires_at", "expires", "fin", "date de fin", "until", "jusqu'au"},
}
ROLE_ALIASES = {"membre": "member", "animateur": "animator", "animatrice": "animator",
                "référent": "animator", "referent": "animator", "invité": "guest",
                "invite": "guest", "invitée": "guest", "administrateur": "admin"}
PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,20}$")


def normalise_phone(text: str) -> str | None:
    """A number as people type it (``06 12 34 56 78``) in E.164 (``+33612345678``), read in the
    city's region (``[sms] default_region``) with libphonenumber's data; ``None`` when it is no
    valid number.  The same reading as the sms plugin's, which asks the person to confirm it
    by a code before any text goes there."""
    if not PHONE_RE.match(text):
        return None
    import phonenumbers
    from ..kernel import config
    try:
        number = phonenumbers.parse(text, config().sms.default_region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
MAX_ROWS = 5000


@dataclass
class RowReport:
    line: int
    email: str
    name: str
    role: str
    status: str
    message: str = ""


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and all(r.status != "error" for r in self.rows)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "written": self.written, "counts": self.counts(),
                "errors": self.errors, "rows": [asdict(r) for r in self.rows]}


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        key = title.strip().lower()
        for column, aliases in HEADERS.items():
            if key in aliases and column not in found:
                found[column] = index
    return found


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The separator of the header line: ``;`` (Excel in French), ``,`` or tab."""
    header = text.splitlines()[0] if text else ""
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            return csv.excel

    class Chosen(csv.excel):
        delimiter = best
    return Chosen


def parse(raw: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    if b"\x00" in raw[:8192]:
        return [], ["this is not a CSV file (a spreadsheet in .xlsx or .ods?): save it as "
                    "\"CSV\" from your spreadsheet and send that file"]
    text = _decode(raw)
    if not text.strip():
        return [], ["the file is empty"]
    first_line = 1
    lines = text.splitlines(keepends=True)
    if lines and lines[0].strip().lower().startswith("sep="):
        # Excel's "sep=;" hint line: honour it and skip it.
        text, first_line = "".join(lines[1:]), 2
    reader = csv.reader(io.StringIO(text), _dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return [], ["the file has no header line"]
    columns = _columns(header)
    missing = [c for c in ("name", "email") if c not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip())[:200] or "nothing"
        hint = ("; columns must be separated by \";\", \",\" or tabs" if len(header) == 1
                else "")
        return [], [f"missing column(s): {', '.join(missing)} (found: {found}); the first "
                    f"line must name the columns: name; email; phone; role; expires_at{hint}"]
    rows = []
    try:
        for line, values in enumerate(reader, start=first_line + 1):
            if not any(v.strip() for v in values):
                continue
            rows.append((line, {col: (values[i].strip() if i < len(values) else "")
                                for col, i in columns.items()}))
            if len(rows) > MAX_ROWS:
                return [], [f"more than {MAX_ROWS} rows: import council by council"]
    except csv.Error as exc:
        return [], [f"line {reader.line_num}: {exc}"]
    return rows, []


def check(rows, space: Space, max_role: str | None = None,
          reveal_accounts: bool = True) -> ImportReport:
    """Check every row; ``max_role`` is the highest role the importing person may hand out;
    without ``reveal_accounts``, a person not yet in the space is ``add`` whether or not they
    have an account (people already in it are the importer's to see anyway)."""
    from ..roles import ROLE_LEVELS
    today = dt.date.today()
    report = ImportReport()
    seen: dict[str, int] = {}
    emails = []
    for _line, values in rows:
        try:
            emails.append(normalize_email(values["email"]))
        except AccountError:
            pass
    existing_users = {u.email: u for u in User.select().where(User.email.in_(emails))} \
        if emails else {}
    existing_roles = {m.user_id: m for m in Membership.select().where(
        (Membership.space == space)
        & Membership.user.in_([u.id for u in existing_users.values()]))} \
        if existing_users else {}
    for line, values in rows:
        name = values.get("name", "")
        role_raw = (values.get("role") or "member").strip().lower()
        role = ROLE_ALIASES.get(role_raw, role_raw)
        row = RowReport(line=line, email=values.get("email", ""), name=name, role=role,
                        status="create")
        problems = []
        try:
            row.email = normalize_email(values.get("email", ""))
        except AccountError as exc:
            problems.append(f"invalid e-mail ({exc.message})")
        if not name:
            problems.append("empty name")
        elif len(name) > 120:
            problems.append("name longer than 120 characters")
        elif has_control_characters(name):
            problems.append("the name holds invisible control characters")
        if role not in ROLES:
            problems.append(f"unknown role {role_raw!r} (member, animator, guest, admin)")
        elif max_role is not None and ROLE_LEVELS[role] > ROLE_LEVELS.get(max_role, 0):
            problems.append(f"you cannot give the role {role!r}")
        phone = values.get("phone", "")
        if phone:
            normalised = normalise_phone(phone)
            if normalised is None:
                problems.append(f"invalid phone number {phone!r}")
            else:
                values["phone"] = normalised  # E.164, unverified until the person confirms
        expires_raw = values.get("expires_at", "")
        if expires_raw:
            try:
                if dt.date.fromisoformat(expires_raw) < today:
                    problems.append(f"the end date {expires_raw} is in the past")
            except ValueError:
                problems.append(f"invalid end date {expires_raw!r} (YYYY-MM-DD)")
        elif role == "guest":
            problems.append("a guest needs an end date (expires_at column)")
        if row.email in seen:
            problems.append(f"same e-mail as line {seen[row.email]}")
        elif row.email:
            seen[row.email] = line
        if problems:
            row.status, row.message = "error", "; ".join(problems)
        else:
            user = existing_users.get(row.email)
            if user is None:
                row.status = "create" if reveal_accounts else "add"
            else:
                membership = existing_roles.get(user.id)
                if membership is None:
                    row.status = "attach" if reveal_accounts else "add"
                elif membership.role == role:
                    row.status = "unchanged"
                else:
                    row.status, row.message = "update", f"{membership.role} -> {role}"
        report.rows.append(row)
    return report


def import_members(raw: bytes, space: Space, dry_run: bool = False,
                   actor: Any = None, max_role: str | None = None,
                   reveal_accounts: bool = True) -> ImportReport:
    """Check, then (unless ``dry_run`` or any error) write every row in one transaction."""
    rows, errors = parse(raw)
    if errors:
        report = ImportReport(errors=errors)
        return report
    report = check(rows, space, max_role, reveal_accounts)
    if dry_run or not report.ok:
        return report
    values_by_line = dict(rows)
    try:
        with atomic():
            for row in report.rows:
                values = values_by_line[row.line]
                expires = values.get("expires_at")
                expires_at = (dt.datetime.combine(dt.date.fromisoformat(expires),
                                                  dt.time(23, 59)) if expires else None)
                user = User.get_or_none(User.email == row.email)
                if user is None:
                    user = create_user(row.email, row.name, phone=values.get("phone") or None)
                if row.status != "unchanged":
                    add_member(space, user, row.role, expires_at=expires_at, actor=actor)
    except (AccountError, SpaceError) as exc:
        # Checked above, so only a race (an account created meanwhile) lands here: nothing
        # was written, say why.
        report.errors.append(f"line {row.line}: {exc.message}; nothing was written")
        return report
    report.written = True
    return report
