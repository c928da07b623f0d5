"""Import benchmark: a 30,000-row LinkedIn export into a fresh SQLite database, beside the
floor measured in the same run: the same rows parsed with `csv` and inserted with one
`executemany` into a table of the same columns as Rapport's contacts table (its own
definition, read from the database the import made, without its indexes). The bare
seven-column table of the file is shown too, as the absolute floor.

Each measurement runs in its own process with its own RAPPORT_DATA_DIR, so nothing is
cached between them, and its peak memory is that process's own (from wait4).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import BENCH_DIR, Row

ROWS = 30_000
COMPANIES = 2_000
TARGET_S = 5.0
TARGET_RATIO = 2.5
TARGET_PEAK_MB = 300
REPO = BENCH_DIR.parent

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
)
FIRST = [
    "Priya", "Marcus", "José", "Zoë", "Ben", "Fatima", "Hannah", "Olivia", "Raj", "Grace",
    "Liam", "Amelia", "Kwame", "Yuki", "Sophie", "Ahmed", "Chloé", "Søren", "Ana María",
    "Дмитрий", "Ελένη", "李", "さくら", "민준", "محمد", "अनन्या", "Nguyễn", "Łukasz", "Øyvind",
]  # fmt: skip
LAST = [
    "Raman", "O'Neill", "Muñoz García", "Ng", "Adeyemi", "Al-Sayed", "Schmidt", "Brown",
    "Patel", "Wong", "Murphy", "Chen", "Mensah", "Tanaka", "Martin", "Hassan", "Dubois",
    "Kierkegaard", "Иванов", "Παπαδοπούλου", "娜", "佐藤", "김", "العلي", "शर्मा", "Văn An",
    "Wójcik", "Ødegård",
]  # fmt: skip
COMPANY_WORDS = [
    "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay",
    "Monzo", "Ocado", "Shopify", "Unilever", "Confluent", "Coursera", "Spotify", "Stripe",
    "Grafana", "Tesco", "Airbus", "Tencent", "Doctolib", "Santander", "Clio", "Buck",
]  # fmt: skip
COMPANY_TAILS = [
    "", " Labs", " Technology", ", Inc.", " Ltd", " Group", " & Partners, LLP", " GmbH",
    " Health", " Energy", " Capital", " Studio",
]  # fmt: skip
TITLES = [
    "Senior Product Designer", "Head of Analytics", "Senior Consultant, Sustainability",
    "Data Engineer", "UX Researcher", "Engineering Manager", 'Associate, "Tax" Practice',
    "Staff Engineer", "Growth Lead", "Principal Planner", "Co-founder & CEO", "Analyst",
]  # fmt: skip
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def company_names(rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < COMPANIES:
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TAILS)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def linkedin_export(rows: int = ROWS, seed: int = 4) -> str:
    """A fixed export: same seed, same file. ~15% share an email, ~2% have only a name,
    a few rows repeat exactly, as in real exports."""
    rng = random.Random(seed)
    companies = company_names(rng)
    start = date(2010, 1, 1)
    lines: list[str] = []
    for number in range(rows):
        if lines and rng.random() < 0.002:
            lines.append(lines[-1])
            continue
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)}-{rng.choice(LAST)}"
        when = start + timedelta(days=rng.randrange(6000))
        connected = f"{when.day:02d} {MONTHS[when.month - 1]} {when.year}"
        if rng.random() < 0.02:
            lines.append(f"{csv_cell(first)},{csv_cell(last)},,,,,{connected}")
            continue
        slug = f"p{number}-{rng.randrange(16**6):06x}"
        email = f"{slug}@example.org" if rng.random() < 0.15 else ""
        cells = [
            first,
            last,
            f"https://www.linkedin.com/in/{slug}",
            email,
            rng.choice(companies),
            rng.choice(TITLES),
            connected,
        ]
        lines.append(",".join(csv_cell(cell) for cell in cells))
    return PREAMBLE + "\n".join(lines) + "\n"


def _run(command: list[str], data_dir: Path) -> tuple[float, float, str]:
    """Wall seconds, peak memory in MB and standard output of one process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    env.update(RAPPORT_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO / "src"))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        # wait4, not wait: it returns this child's own peak memory.
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{command[:4]} failed: {err.read().decode()[-800:]}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode()


FLOOR = """
import csv, io, json, sqlite3, sys, time
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    text = handle.read()
lines = text.split("\\n", 4)[4]
rows = list(csv.reader(io.StringIO(lines, newline="")))
connection = sqlite3.connect(sys.argv[2])
connection.execute("PRAGMA journal_mode=WAL")
connection.execute(
    "CREATE TABLE connection (first_name TEXT, last_name TEXT, url TEXT, email TEXT,"
    " company TEXT, position TEXT, connected_on TEXT)"
)
with connection:
    connection.executemany("INSERT INTO connection VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))
"""

# The contacts table as the app defines it, taken from a database the app made; each row
# fills the columns the file has and gives the others a value of the right type.
FLOOR_SAME_COLUMNS = """
import csv, io, json, sqlite3, sys, time
made = sqlite3.connect(sys.argv[3])
(table_sql,) = made.execute(
    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts_contact'"
).fetchone()
columns = [row[1] for row in made.execute("PRAGMA table_info(contacts_contact)")]
made.close()
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8-sig", newline="") as handle:
    text = handle.read()
lines = text.split("\\n", 4)[4]
rows = list(csv.reader(io.StringIO(lines, newline="")))
connection = sqlite3.connect(sys.argv[2])
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("CREATE TABLE accounts_user (id INTEGER PRIMARY KEY)")
connection.execute("CREATE TABLE contacts_company (id INTEGER PRIMARY KEY)")
connection.execute("INSERT INTO accounts_user VALUES (1)")
connection.execute(table_sql)
from_file = {"first_name": 0, "last_name": 1, "linkedin_url": 2, "email": 3, "title": 5,
             "connected_on": 6, "linkedin_key": 2}
numbers = {"owner_id": 1, "priority_score": 0.0}
nullable = {"company_id", "referred_by_id"}
now = "2026-11-22 00:00:00"
def value(name, cells):
    if name in from_file:
        index = from_file[name]
        return cells[index] if index < len(cells) else ""
    if name in numbers:
        return numbers[name]
    if name in nullable:
        return None
    if name.endswith("_at"):
        return now
    if name in ("edited_fields", "priority_reasons"):
        return "[]"
    return ""
names = [name for name in columns if name != "id"]
marks = ", ".join("?" * len(names))
with connection:
    connection.executemany(
        f"INSERT INTO contacts_contact ({', '.join(names)}) VALUES ({marks})",
        ([value(name, cells) for name in names] for cells in rows),
    )
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))
"""

# What `rapport import linkedin FILE --yes` does once the app has started, timed step by
# step: read and parse the file, then plan and write in one transaction.
TIMED_IMPORT = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from rapport.accounts.services import local_user_ensure
from rapport.contacts.importers import parse_linkedin
from rapport.contacts.imports import import_apply
owner = local_user_ensure()
start = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    parsed = parse_linkedin(handle)
parsed_at = time.perf_counter()
report = import_apply(owner=owner, rows=parsed.rows, source="linkedin")
done = time.perf_counter()
print(json.dumps({"seconds": done - start, "parse": parsed_at - start,
                  "apply": done - parsed_at, "new": report.new}))
"""


def compiled() -> None:
    """Byte-compile the app and its packages first, as an installed app is: otherwise each
    process would spend most of its start-up compiling (PYTHONDONTWRITEBYTECODE is set on
    some machines, this one included)."""
    import site

    folders = [str(REPO / "src"), *site.getsitepackages()]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j0", *folders],
        check=True,
        stdout=subprocess.DEVNULL,
    )


REPEATS = 3  # each figure is the best of this many runs: this machine's noise is one-sided


def import_rows() -> list[Row]:
    compiled()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        export = root / "Connections.csv"
        export.write_text(linkedin_export(), encoding="utf-8")
        size_mb = export.stat().st_size / 1024 / 1024

        def fresh(name: str) -> Path:
            """A data folder no earlier run has touched."""
            return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))

        command = [sys.executable, "-m", "rapport", "import", "linkedin", str(export), "--yes"]
        runs = [_run(command, fresh("cli")) for _ in range(REPEATS)]
        cli_s, peak_mb = min(run[0] for run in runs), max(run[1] for run in runs)
        timed_runs = []
        for _ in range(REPEATS):
            folder_t = fresh("t")
            timed_runs.append(
                (
                    json.loads(
                        _run([sys.executable, "-c", TIMED_IMPORT, str(export)], folder_t)[2]
                    ),
                    folder_t,
                )
            )
        timed, made_in = min(timed_runs, key=lambda pair: pair[0]["seconds"])
        made = made_in / "rapport.sqlite3"
        floors = [
            _run(
                [sys.executable, "-c", FLOOR, str(export), str(fresh("f") / "floor.sqlite3")],
                fresh("f"),
            )
            for _ in range(REPEATS)
        ]
        floor_s = min(run[0] for run in floors)
        floor = min((json.loads(run[2]) for run in floors), key=lambda f: f["seconds"])
        same = min(
            (
                json.loads(
                    _run(
                        [
                            sys.executable,
                            "-c",
                            FLOOR_SAME_COLUMNS,
                            str(export),
                            str(fresh("s") / "same.sqlite3"),
                            str(made),
                        ],
                        fresh("s"),
                    )[2]
                )
                for _ in range(REPEATS)
            ),
            key=lambda f: f["seconds"],
        )
    work_ratio = timed["seconds"] / same["seconds"]
    return [
        Row(
            f"`rapport import linkedin --yes` of {ROWS:,} rows ({size_mb:.1f} MB) into a fresh "
            f"SQLite database, whole command (start-up, tables, import, ranking); best of "
            f"{REPEATS}, as each figure here",
            f"{cli_s:.2f} s",
            f"{floor_s:.2f} s (python: csv + one executemany, whole process)",
            f"{cli_s / floor_s:.1f}x",
            f"<= {TARGET_S:.0f} s",
            "yes" if cli_s <= TARGET_S else "NO",
        ),
        Row(
            f"the import itself: read and parse (in {timed['parse']:.2f} s), match, rank and "
            f"write {timed['new']:,} contacts, their companies and timelines in one "
            f"transaction (in {timed['apply']:.2f} s)",
            f"{timed['seconds']:.2f} s",
            f"{same['seconds']:.3f} s (csv + one executemany of {same['rows']:,} rows into a "
            "table of the contacts table's columns, without its indexes)",
            f"{work_ratio:.1f}x",
            f"<= {TARGET_RATIO}x",
            "yes" if work_ratio <= TARGET_RATIO else "NO",
        ),
        Row(
            "the import itself, against the bare floor",
            f"{timed['seconds']:.2f} s",
            f"{floor['seconds']:.3f} s (csv + one executemany into the file's 7 columns)",
            f"{timed['seconds'] / floor['seconds']:.1f}x",
            "",
            "",
        ),
        Row(
            "`rapport import linkedin`, peak memory",
            f"{peak_mb:.0f} MB",
            "",
            "",
            f"<= {TARGET_PEAK_MB} MB",
            "yes" if peak_mb <= TARGET_PEAK_MB else "NO",
        ),
    ]


if __name__ == "__main__":
    for row in import_rows():
        print(row)
