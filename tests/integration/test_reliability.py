"""Reliability: bad input, crashes and concurrent readers lose nothing and break nothing.

Every scenario runs the real entry point, `python -m orchestration.run` (what `make run` calls), as a
child process with ARTICLES_DIR and WAREHOUSE_PATH in temporary folders, so a test sees what a user
sees: the exit code, the printed summary and the files left on disk. Concurrency and crashes use real
processes too: other Python processes holding read-only DuckDB connections on the published file, two
runs started at the same moment, a run killed with SIGKILL while dbt writes its working file.

A run costs half a minute or more of start-up (Dagster, dbt, GX), so the module builds once per
scenario, shares the results through module-scoped fixtures and starts independent runs together:

- `bad_input`: the generated hostile corpus, built with the network blocked (and a real temporary
  Dagster instance, to read the asset metadata back), and at the same time built again as usual into
  another warehouse, to compare the two.
- `second_wave`, over published copies of the bad-input warehouse, three runs started together: one
  on a small corpus SIGKILLed while dbt writes (`crashed`); one on input that fails a blocking GX
  check and one whose publishing rename raises (`failed_runs`).
- `concurrent`: on the crashed warehouse, two reader processes on the published file, then two runs
  started at once; the one that gets the lock is also the first run after the crash.
"""

from __future__ import annotations

import codecs
import fcntl
import hashlib
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.lock import HELD_BY_ENV, lock_path
from orchestration.settings import Settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
HELPERS = Path(__file__).resolve().parent / "helpers"
SEED_ARTICLE = REPO / "seeds" / "000_e18015ce71bc06fc.txt"
RUN_TIMEOUT = 420  # seconds; a run takes ~30-60 s, more on a loaded CI machine
EXTRACTED_TABLES = ("sentences", "events", "actors", "event_actors", "casualties", "locations")
# Everything a build writes beside the warehouse file: named after tables, content hashes and run
# ids only.
WRITTEN_NAMES = re.compile(
    r"events\.duckdb(\.lock)?|report\.html|extracted|extracted/(articles|ingest_log|parts)\.parquet"
    r"|extracted/(incident_links|incident_link_pairs)\.parquet"
    r"|logs|logs/run-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.log"
    rf"|extracted/({'|'.join(EXTRACTED_TABLES)})(/(_schema|[0-9a-f]{{16}})\.parquet)?"
)
# Variables a developer's shell (or `make test`, which exports DAGSTER_HOME) may carry into pytest;
# each run gets exactly the settings its test names.
SCRUBBED_ENV = (
    "DAGSTER_HOME",
    "ARTICLES_DIR",
    "WAREHOUSE_PATH",
    "EXTRACT_DIR",
    "MAX_ARTICLE_BYTES",
    "EXTRACT_WORKERS",
    "EXTRACT_BATCH_MB",
    "WAREHOUSE_BUILD_PATH",
    HELD_BY_ENV,
)
TELEMETRY_ENV = (
    "DAGSTER_DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "GX_ANALYTICS_ENABLED",
)
# TEST-NET-1 (RFC 5737): routable nowhere, and not loopback, so the network guard reports any use.
DEAD_PROXY = "http://192.0.2.1:9"
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")

_reader_spec = importlib.util.spec_from_file_location("reliability_reader", HELPERS / "reader.py")
reader = importlib.util.module_from_spec(_reader_spec)
_reader_spec.loader.exec_module(reader)


# --- running the product ------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    started: float
    ended: float

    def __str__(self) -> str:  # what an assertion message shows
        return f"exit {self.code}\n--- stdout (end)\n{self.stdout[-3000:]}\n--- stderr (end)\n{self.stderr[-3000:]}"


class Started:
    """A child process in its own session (so SIGKILL reaches dbt too), output to files in `logs`.
    A thread notes the moment it exits, so the order in which processes ended is known exactly."""

    def __init__(self, args: list[str], env: dict[str, str], logs: Path):
        logs.mkdir(parents=True, exist_ok=True)
        self.logs = logs
        self._out = open(logs / "stdout.txt", "wb")  # noqa: SIM115 - closed in finish()
        self._err = open(logs / "stderr.txt", "wb")  # noqa: SIM115
        self.started = time.time()
        self.ended: float | None = None
        self.proc = subprocess.Popen(
            args, cwd=REPO, env=env, stdout=self._out, stderr=self._err, start_new_session=True
        )
        self._waiter = threading.Thread(target=self._wait, daemon=True)
        self._waiter.start()

    def _wait(self) -> None:
        self.proc.wait()
        self.ended = time.time()

    def done(self) -> bool:
        return self.ended is not None

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._waiter.join()

    def finish(self, timeout: float = RUN_TIMEOUT) -> Run:
        self._waiter.join(timeout)
        if not self.done():
            self.kill()
            pytest.fail(f"{self.proc.args} did not finish within {timeout} s (logs in {self.logs})")
        self._out.close()
        self._err.close()
        return Run(
            self.proc.returncode,
            (self.logs / "stdout.txt").read_text(encoding="utf-8", errors="replace"),
            (self.logs / "stderr.txt").read_text(encoding="utf-8", errors="replace"),
            self.started,
            self.ended,
        )


def run_env(articles: Path, warehouse: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(ARTICLES_DIR=str(articles), WAREHOUSE_PATH=str(warehouse), PYTHONUNBUFFERED="1", **extra)
    return env


def start_build(articles: Path, warehouse: Path, logs: Path, **extra: str) -> Started:
    return Started([sys.executable, "-m", "orchestration.run"], run_env(articles, warehouse, **extra), logs)


def working_path(warehouse: Path) -> Path:
    return Path(f"{warehouse}.building")


# --- reading the warehouse ----------------------------------------------------------------------


def query(warehouse: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_hashes(warehouse: Path) -> dict[str, tuple]:
    """Per table of the file (marts, staging, reference): its columns, row count and the md5 of its
    rows in a total order. Equal hashes mean byte-identical table contents."""
    hashes = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                (schema, table),
            ).fetchall()
            # Identifiers come from the catalog, not from input.
            rows, digest = con.execute(
                f"select count(*), md5(coalesce(string_agg(t::varchar, chr(10) order by t::varchar), '')) "  # noqa: S608
                f'from "{schema}"."{table}" t'
            ).fetchone()
            hashes[f"{schema}.{table}"] = (tuple(columns), rows, digest)
    return hashes


def fingerprint(warehouse: Path) -> list:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return reader.snapshot(con)


def summary_counts(stdout: str) -> dict[str, int]:
    """`input units read:   12 (duplicate 1, loaded 8, ...)` -> {"duplicate": 1, "loaded": 8, ...}."""
    match = re.search(r"^input units read:\s+(\d+) \(([^)]*)\)$", stdout, re.MULTILINE)
    assert match, f"no 'input units read' line in the summary:\n{stdout[-2000:]}"
    counts = {status: int(n) for status, n in (part.rsplit(" ", 1) for part in match[2].split(", "))}
    assert sum(counts.values()) == int(match[1]), match[0]
    return counts


def lock_is_free(warehouse: Path) -> bool:
    with open(lock_path(warehouse), "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return True


# --- corpora -------------------------------------------------------------------------------------


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


WIRE = [
    {
        "id": "wire-1",
        "title": "Clashes in the north",
        "text": "Rebels and soldiers clashed on Monday near Kandahar, Afghanistan. Twelve fighters were "
        "killed and five soldiers were wounded, the army said.",
        "published_at": "2021-03-10",
    },
    {"id": "wire-2", "text": "Police fired tear gas at protesters in Nairobi, Kenya on 4 June 2022."},
]
STORY = "Rebels attack army post\nOn 9 May 2020, rebels attacked an army post near Kandahar, Afghanistan, killing two soldiers.\n"
CP1252_TEXT = (
    "Car bomb kills two in Bogotá\nOn 3 March 2021 a car bomb exploded near a police station in Bogotá, "
    "Colombia, killing two policemen, the mayor’s office said. “A cowardly attack,” she said.\n"
)
CHINESE = {
    "id": "feed-zh",
    "title": "外交部举行例行记者会",
    "text": "2021年3月3日，外交部发言人在北京举行例行记者会。",
    "published_at": "2021-03-03",
}
NO_EVENTS = {
    "id": "feed-weather",
    "title": "Sunny weekend ahead",
    "text": "Forecasters expect a sunny weekend with mild temperatures across the region, the weather service said on 6 March 2021.",
    "published_at": "2021-03-06",
}
HUGE_BYTES = 50 * 1024 * 1024  # 50 MiB, ten times the default MAX_ARTICLE_BYTES


def hostile_text(marker: Path) -> str:
    """An article whose text is SQL, Jinja and shell: it must stay text."""
    return (
        "On 3 March 2021 police dispersed protesters in Lima, Peru. Their placards read "
        "'); DROP TABLE marts.fct_events; -- and {{ run_query('drop schema marts cascade') }} and "
        "{% do exceptions.raise_compiler_error('jinja ran') %} and "
        f"$(touch {marker}) and `touch {marker}`; touch {marker} | rm -rf {marker}.d"
    )


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff"))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Expect:
    status: str
    reason: str | None = None  # prefix of the ingest_log reason; None: the reason is null
    article_id: str | None = None


def write_bad_input_corpus(folder: Path, marker: Path) -> dict[tuple[str, int | None], Expect]:
    """Every kind of input the issue lists; returns what ingest_log must say about each unit."""
    folder.mkdir(parents=True)
    expected: dict[tuple[str, int | None], Expect] = {}

    def put(name: str, content: bytes, expect: Expect) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        expected[(name, None)] = expect
        return path

    put(SEED_ARTICLE.name, SEED_ARTICLE.read_bytes(), Expect("loaded", None, SEED_ARTICLE.stem))
    put("empty.txt", b"", Expect("rejected", "empty"))
    put("whitespace only.txt", b"  \n\t\r\n   \n", Expect("rejected", "empty"))
    put("random.txt", random.Random(20240118).randbytes(4096), Expect("rejected", "binary content"))
    put("photo.txt", png_bytes(), Expect("rejected", "binary content"))
    put(
        "cp1252.txt",
        CP1252_TEXT.encode("cp1252"),
        Expect("loaded_with_warning", "decoded as cp1252", "cp1252"),
    )
    put(
        "utf16.txt",
        codecs.BOM_UTF16_LE
        + "Clashes in Marib\nOn 4 March 2021 Houthi fighters and government forces clashed near Marib, Yemen.\n".encode(
            "utf-16-le"
        ),
        Expect("loaded", None, "utf16"),
    )
    put(
        "utf8-bom.txt",
        codecs.BOM_UTF8
        + "Blast in Quetta\nOn 5 March 2021 a bomb exploded in a market in Quetta, Pakistan.\n".encode(),
        Expect("loaded", None, "utf8-bom"),
    )
    put(
        "huge single line.txt",
        b"word " * (HUGE_BYTES // 5),
        Expect("rejected", f"larger than max_article_bytes ({HUGE_BYTES} bytes)"),
    )
    head, tail = b'{"id": "huge", "text": "', b'"}'
    (folder / "huge line.jsonl").write_bytes(
        head + b"x" * (HUGE_BYTES - len(head) - len(tail)) + tail + b"\n"
    )
    expected[("huge line.jsonl", 1)] = Expect(
        "rejected", f"larger than max_article_bytes ({HUGE_BYTES} bytes)"
    )
    put(
        "page.html",
        b"<!DOCTYPE html><html><head><title>Clashes</title></head><body><p>On 2 March 2021 rebels "
        b"attacked a convoy.</p></body></html>",
        Expect("rejected", "unsupported file type .html"),
    )
    put("story.txt", STORY.encode(), Expect("loaded", None, "story"))
    put("zz copy/story.txt", STORY.encode(), Expect("duplicate", "duplicate of story", "story"))
    put(
        "São Paulo news/Ataque em Café 1.txt",
        "Ataque em café deixa dois feridos\nEm 6 de março de 2021, homens armados atacaram um café em "
        "São Paulo, Brasil, deixando dois feridos.\n".encode(),
        Expect("loaded", None, "Ataque_em_Caf__1"),
    )

    feed = [
        (
            {
                "id": "feed-1",
                "title": "Airstrike in Idlib",
                "text": "An airstrike hit a market in Idlib, Syria on 2 March 2021, killing five civilians.",
                "published_at": "2021-03-02",
                "lang": "en",
                "tags": ["syria", "airstrike"],
                "desk": {"region": "mideast", "editor": None},
            },
            Expect("loaded", None, "feed-1"),
        ),
        ('{"id": "feed-2", "text": "unterminated', Expect("rejected", "malformed JSON: ")),
        ({"id": "feed-3", "title": "A headline and no body"}, Expect("rejected", "missing text")),
        (
            {
                "id": "feed-4",
                "text": "Gunmen killed three farmers in Zamfara, Nigeria on 1 March 2021.",
                "published_at": 20210301,
            },
            Expect(
                "loaded_with_warning",
                "published_at ignored: expected an ISO date string, got number",
                "feed-4",
            ),
        ),
        (
            {
                "id": "feed-5",
                "text": "Soldiers clashed with militants in Borno, Nigeria on 28 February 2021.",
                "published_at": ["2021-02-28"],
            },
            Expect(
                "loaded_with_warning",
                "published_at ignored: expected an ISO date string, got array",
                "feed-5",
            ),
        ),
        ("[1, 2]", Expect("rejected", "malformed JSON: expected an object, got array")),
        (CHINESE, Expect("loaded", None, "feed-zh")),
        (NO_EVENTS, Expect("loaded", None, "feed-weather")),
    ]
    (folder / "feed.jsonl").write_text(jsonl(*(record for record, _ in feed)), encoding="utf-8")
    expected.update({("feed.jsonl", n): expect for n, (_, expect) in enumerate(feed, start=1)})

    hostile = [
        (
            {
                "id": "../../etc/passwd",
                "title": "Protest in Lima",
                "text": hostile_text(marker),
                "published_at": "2021-03-03",
            },
            Expect("loaded", None, ".._.._etc_passwd"),
        ),
        (
            {
                "id": "a b/c",
                "text": "Rioters burned cars in Karachi, Pakistan on 2 March 2021.",
                "published_at": "2021-03-02",
            },
            Expect("loaded", None, "a_b_c"),
        ),
        (
            {
                "id": "x'; drop table marts.dim_articles; --",
                "text": "Police arrested ten protesters in Dhaka, Bangladesh on 1 March 2021.",
            },
            Expect("loaded", None, "x___drop_table_marts.dim_articles__--"),
        ),
    ]
    (folder / "hostile.jsonl").write_text(jsonl(*(record for record, _ in hostile)), encoding="utf-8")
    expected.update({("hostile.jsonl", n): expect for n, (_, expect) in enumerate(hostile, start=1)})

    os.symlink("loop.txt", folder / "loop.txt")
    expected[("loop.txt", None)] = Expect("rejected", "OSError: Too many levels of symbolic links")
    os.mkfifo(folder / "pipe.txt")  # a named pipe: readable by nobody as an article, root included
    expected[("pipe.txt", None)] = Expect("rejected", "not a regular file")
    locked = put(
        "locked.txt",
        b"Protest in Nairobi\nOn 7 March 2021 police fired tear gas at protesters in Nairobi, Kenya.\n",
        # root reads a mode-000 file (CAP_DAC_OVERRIDE), so there it is an ordinary article.
        Expect("loaded", None, "locked")
        if os.geteuid() == 0
        else Expect("rejected", "PermissionError: Permission denied"),
    )
    locked.chmod(0)
    return expected


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small_corpus")
    shutil.copyfile(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    (folder / "wire.jsonl").write_text(jsonl(*WIRE), encoding="utf-8")
    return folder


def network_namespace_prefix() -> list[str]:
    """`unshare --net` when this machine allows it (root, or CAP_SYS_ADMIN): then not even native
    code (DuckDB's extension downloader, say) can reach the network. Without it the Python-level
    guard still sees and refuses every attempt made from Python. (`--map-root-user` is not used: root
    inside a user namespace could read the mode-000 file the corpus expects to be unreadable.)"""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    try:
        if subprocess.run([unshare, "--net", "true"], capture_output=True, timeout=20).returncode == 0:
            return [unshare, "--net"]
    except (OSError, subprocess.TimeoutExpired):
        pass
    return []


@dataclass
class BadInput:
    corpus: Path
    warehouse: Path
    dagster_home: Path
    marker: Path
    expected: dict[tuple[str, int | None], Expect]
    run: Run
    isolation: str  # how the network was blocked
    guard_log: list[dict]
    twin_warehouse: Path  # the same corpus built again, at the same time, network allowed
    twin_run: Run


@pytest.fixture(scope="module")
def bad_input(tmp_path_factory) -> BadInput:
    """Build the hostile corpus twice at the same moment: once offline, once as usual."""
    root = tmp_path_factory.mktemp("bad_input")
    marker = root / "PWNED"
    corpus = root / "articles"
    expected = write_bad_input_corpus(corpus, marker)

    # The offline run: in a network namespace when the machine allows one, with the Python guard in
    # every Python process, proxies pointed nowhere, and without the Makefile's telemetry variables
    # (the product must switch telemetry off by itself). It also uses a real (temporary) Dagster
    # instance, as `make run` does with dagster_home/, so the asset metadata it records can be read
    # back afterwards the way the UI reads it.
    home = root / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    guard_log = root / "network-attempts.jsonl"
    warehouse = root / "warehouse" / "events.duckdb"
    env = {k: v for k, v in run_env(corpus, warehouse).items() if k not in TELEMETRY_ENV}
    env.update({name: DEAD_PROXY for name in PROXY_ENV}, NO_PROXY="", no_proxy="")
    env.update(
        DAGSTER_HOME=str(home),
        NETGUARD_LOG=str(guard_log),
        PYTHONPATH=os.pathsep.join(filter(None, [str(HELPERS / "offline"), env.get("PYTHONPATH")])),
    )
    prefix = network_namespace_prefix()
    offline = Started([*prefix, sys.executable, "-m", "orchestration.run"], env, root / "logs")
    # The twin runs the same code as the offline run even while someone edits the working tree, so a
    # difference between the two warehouses is the product's own nondeterminism.
    twin_warehouse = root / "twin" / "events.duckdb"
    twin = start_build(corpus, twin_warehouse, root / "twin-logs")
    try:
        run, twin_run = offline.finish(), twin.finish()
    finally:
        for started in (offline, twin):
            if not started.done():
                started.kill()
    for big in ("huge single line.txt", "huge line.jsonl"):
        (corpus / big).unlink()  # 100 MB the remaining tests do not need
    entries = [json.loads(line) for line in guard_log.read_text().splitlines()] if guard_log.exists() else []
    isolation = (
        "network namespace + Python guard" if prefix else "Python guard only (no network namespace here)"
    )
    return BadInput(
        corpus, warehouse, home, marker, expected, run, isolation, entries, twin_warehouse, twin_run
    )


@pytest.fixture(scope="module")
def ingest_log(bad_input) -> dict[tuple[str, int | None], dict]:
    assert bad_input.run.code == 0, str(bad_input.run)
    rows = query(
        bad_input.warehouse,
        "select source_file, line_number, status, reason, article_id from marts.ingest_log order by 1, 2",
    )
    units = [(f, n) for f, n, *_ in rows]
    duplicated = {u for u in units if units.count(u) > 1}
    assert not duplicated, f"units logged more than once: {duplicated}"
    return {(f, n): {"status": s, "reason": r, "article_id": a} for f, n, s, r, a in rows}


@dataclass
class Crashed:
    warehouse: Path
    sha_before: str
    hashes_before: dict
    working_left: bool
    run: Run


class KillOnceDbtWrites(threading.Thread):
    """SIGKILL a run's whole process group (the run and its dbt child) one second after dbt created
    the working file, i.e. while dbt is writing tables into it."""

    def __init__(self, started: Started, building: Path):
        super().__init__(daemon=True)
        self.started, self.building = started, building
        self.outcome = "not started"
        self.working_left = False

    def _dbt_is_writing(self) -> bool:
        try:
            return self.building.stat().st_size > 0
        except FileNotFoundError:
            return False

    def run(self) -> None:
        deadline = time.time() + RUN_TIMEOUT
        while not self._dbt_is_writing():
            if self.started.done():
                self.outcome = f"the run ended before dbt created {self.building}"
                return
            if time.time() > deadline:
                self.started.kill()
                self.outcome = f"dbt did not create {self.building} within {RUN_TIMEOUT} s"
                return
            time.sleep(0.02)
        time.sleep(1.0)
        os.killpg(self.started.proc.pid, signal.SIGKILL)
        self.started.finish()
        self.working_left = self.building.exists()
        self.outcome = "killed"


@pytest.fixture(scope="module")
def second_wave(bad_input, small_corpus, tmp_path_factory) -> dict:
    """Three runs over published copies of the bad-input warehouse, started together: one on the
    small corpus killed mid-dbt; one on input that fails a blocking GX check; one on the small corpus
    whose publishing rename raises."""
    assert bad_input.run.code == 0, str(bad_input.run)
    wave = {}
    for name in ("crash", "check", "exception"):
        root = tmp_path_factory.mktemp(name)
        warehouse = root / "events.duckdb"
        shutil.copyfile(bad_input.warehouse, warehouse)
        before = (sha256(warehouse), table_hashes(warehouse))
        if name == "crash":
            started = start_build(small_corpus, warehouse, root / "killed-run")
            killer = KillOnceDbtWrites(started, working_path(warehouse))
            killer.start()
            wave[name] = (started, warehouse, *before, killer)
            continue
        if name == "check":
            env = run_env(small_corpus, warehouse)
            started = Started([sys.executable, str(HELPERS / "fail_check.py")], env, root / "logs")
        else:
            env = run_env(small_corpus, warehouse, FAULT_MARKER=str(root / "fault-fired"))
            started = Started([sys.executable, str(HELPERS / "fail_publish.py")], env, root / "logs")
        wave[name] = (started, warehouse, *before)
    yield wave
    for started, *_ in wave.values():
        if not started.done():
            started.kill()


@pytest.fixture(scope="module")
def crashed(second_wave) -> Crashed:
    started, warehouse, sha_before, hashes_before, killer = second_wave["crash"]
    killer.join(RUN_TIMEOUT + 60)
    run = started.finish()
    assert killer.outcome == "killed", f"{killer.outcome}\n{run}"
    return Crashed(warehouse, sha_before, hashes_before, killer.working_left, run)


@dataclass
class Concurrent:
    warehouse: Path
    old: list
    runs: list[Run]
    readers: dict[str, dict]
    reader_codes: dict[str, int]


@pytest.fixture(scope="module")
def concurrent(crashed, small_corpus) -> Concurrent:
    """On the crashed warehouse (stale working file and lock file left behind), a BI tool holds a
    read-only connection and a SQL user reconnects in a loop, while two runs are started at once."""
    root = crashed.warehouse.parent
    warehouse = crashed.warehouse
    old = fingerprint(warehouse)
    stop = root / "stop-readers"
    readers = {}
    for mode in ("hold", "reopen"):
        readers[mode] = (
            Started(
                [
                    sys.executable,
                    str(HELPERS / "reader.py"),
                    str(warehouse),
                    str(stop),
                    str(root / f"{mode}.json"),
                    f"--{mode}",
                ],
                dict(os.environ),
                root / f"reader-{mode}",
            ),
            root / f"{mode}.ready",
        )
    deadline = time.time() + 120
    while not all(ready.exists() for _, ready in readers.values()):
        assert time.time() < deadline, "the readers could not open the published warehouse"
        assert not any(s.done() for s, _ in readers.values()), "a reader stopped before its first poll"
        time.sleep(0.05)

    builds = [start_build(small_corpus, warehouse, root / f"run-{name}") for name in ("a", "b")]
    runs = [b.finish() for b in builds]
    stop.touch()
    reader_codes = {mode: s.finish(timeout=60).code for mode, (s, _) in readers.items()}
    results = {mode: json.loads((root / f"{mode}.json").read_text()) for mode in readers}
    return Concurrent(warehouse, old, runs, results, reader_codes)


@dataclass
class FailedRun:
    warehouse: Path
    sha_before: str
    hashes_before: dict
    run: Run


@pytest.fixture(scope="module")
def failed_runs(second_wave) -> dict[str, FailedRun]:
    return {
        name: FailedRun(warehouse, sha, hashes, started.finish())
        for name, (started, warehouse, sha, hashes) in ((n, second_wave[n]) for n in ("check", "exception"))
    }


# --- bad input: every input accounted for --------------------------------------------------------


def test_bad_input_run_succeeds_with_every_check_passing(bad_input):
    assert bad_input.run.code == 0, str(bad_input.run)
    assert "run succeeded" in bad_input.run.stdout
    assert re.search(r"^checks:\s+\d+ passed, 0 failed$", bad_input.run.stdout, re.MULTILINE), (
        bad_input.run.stdout
    )


def test_every_input_unit_ends_in_exactly_one_ingest_log_row(bad_input, ingest_log):
    assert set(ingest_log) == set(bad_input.expected), (
        f"missing: {sorted(set(bad_input.expected) - set(ingest_log), key=str)}; "
        f"unexpected: {sorted(set(ingest_log) - set(bad_input.expected), key=str)}"
    )
    wrong = {}
    for unit, expect in bad_input.expected.items():
        row = ingest_log[unit]
        reason_ok = (
            row["reason"] is None
            if expect.reason is None
            else (row["reason"] or "").startswith(expect.reason)
        )
        if (
            row["status"] != expect.status
            or not reason_ok
            or (expect.article_id and row["article_id"] != expect.article_id)
        ):
            wrong[unit] = (row, expect)
    assert not wrong, "\n".join(
        f"{unit}: got {row}, expected {expect}" for unit, (row, expect) in wrong.items()
    )


def test_ingest_counts_reconcile_in_table_summary_and_asset_metadata(bad_input, ingest_log):
    import dagster as dg

    expected = {}
    for expect in bad_input.expected.values():
        expected[expect.status] = expected.get(expect.status, 0) + 1
    in_table = dict(query(bad_input.warehouse, "select status, count(*) from marts.ingest_log group by 1"))
    assert in_table == expected

    articles = {a for (a,) in query(bad_input.warehouse, "select article_id from marts.dim_articles")}
    loaded = {
        r["article_id"] for r in ingest_log.values() if r["status"] in ("loaded", "loaded_with_warning")
    }
    assert loaded == articles and len(articles) == expected["loaded"] + expected["loaded_with_warning"]
    for row in ingest_log.values():
        if row["status"] == "duplicate":
            assert row["article_id"] in articles and row["reason"] == f"duplicate of {row['article_id']}"
        if row["status"] == "rejected":
            assert row["article_id"] is None and row["reason"]
        if row["status"] != "loaded":
            assert row["reason"], row

    assert summary_counts(bad_input.run.stdout) == expected
    assert re.search(rf"^articles:\s+{len(articles)}$", bad_input.run.stdout, re.MULTILINE)

    with dg.DagsterInstance.from_config(str(bad_input.dagster_home)) as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(["extracted", "ingest_log"]))
        assert event is not None, "the run recorded no materialization of extracted/ingest_log"
        metadata = event.asset_materialization.metadata
    assert metadata["status_counts"].value == expected
    assert metadata["dagster/row_count"].value == sum(expected.values())


def test_loaded_articles_keep_their_text_whatever_the_encoding_or_language(bad_input):
    texts = dict(
        query(bad_input.warehouse, "select article_id, article_text from staging.stg_extracted__articles")
    )
    assert texts["cp1252"] == CP1252_TEXT.strip()
    assert texts["utf16"].startswith("Clashes in Marib\nOn 4 March 2021")
    assert texts["utf8-bom"].startswith("Blast in Quetta")  # no BOM left at offset 0
    assert texts["feed-zh"] == f"{CHINESE['title']}\n\n{CHINESE['text']}"
    assert texts["Ataque_em_Caf__1"].startswith("Ataque em café deixa dois feridos")
    events_per_article = dict(
        query(bad_input.warehouse, "select article_id, count(*) from marts.fct_events group by 1")
    )
    assert "feed-weather" not in events_per_article, "a weather report produced events"
    assert events_per_article.get(SEED_ARTICLE.stem, 0) > 0


def test_unreadable_file_is_rejected_with_the_os_error(ingest_log):
    if os.geteuid() == 0:
        pytest.skip(
            "running as root: a mode-000 file is readable (CAP_DAC_OVERRIDE), so locked.txt loads; "
            "pipe.txt (a FIFO) covers the unreadable case for root"
        )
    row = ingest_log[("locked.txt", None)]
    assert (row["status"], row["reason"]) == ("rejected", "PermissionError: Permission denied")


def test_size_limit_is_an_explicit_setting_with_a_clear_message(ingest_log):
    assert Settings.from_env({}).max_article_bytes == 5_000_000
    assert Settings.from_env({"MAX_ARTICLE_BYTES": "123"}).max_article_bytes == 123
    for bad in ("5MB", "-1", "0", "1e6"):
        with pytest.raises(ValueError, match=r"MAX_ARTICLE_BYTES must be a positive whole number of bytes"):
            Settings.from_env({"MAX_ARTICLE_BYTES": bad})
    # The 50 MiB units were rejected by the default limit, naming the setting and the unit's size.
    assert (
        ingest_log[("huge single line.txt", None)]["reason"]
        == f"larger than max_article_bytes ({HUGE_BYTES} bytes)"
    )
    assert (
        ingest_log[("huge line.jsonl", 1)]["reason"] == f"larger than max_article_bytes ({HUGE_BYTES} bytes)"
    )


# --- security: article text is data only ---------------------------------------------------------


def test_article_text_reaches_no_sql_template_or_shell(bad_input, ingest_log):
    (text,) = query(
        bad_input.warehouse,
        "select article_text from staging.stg_extracted__articles where article_id = ?",
        (".._.._etc_passwd",),
    )[0]
    assert text == f"Protest in Lima\n\n{hostile_text(bad_input.marker)}"  # stored verbatim
    assert not bad_input.marker.exists() and not Path(f"{bad_input.marker}.d").exists(), (
        "the shell ran article text"
    )
    tables = {
        t
        for (t,) in query(
            bad_input.warehouse,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    }
    assert {"fct_events", "dim_articles", "ingest_log"} <= tables
    assert (
        query(
            bad_input.warehouse,
            "select count(*) from marts.fct_events where article_id = ?",
            (".._.._etc_passwd",),
        )[0][0]
        >= 1
    )


def test_article_ids_are_sanitised_and_never_become_file_names(bad_input, ingest_log):
    ids = [a for (a,) in query(bad_input.warehouse, "select article_id from marts.dim_articles")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]{1,100}", a) for a in ids), ids
    assert {".._.._etc_passwd", "a_b_c", "x___drop_table_marts.dim_articles__--"} <= set(ids)
    # The build writes a fixed set of files, named after tables, never after articles.
    written = {
        p.relative_to(bad_input.warehouse.parent).as_posix() for p in bad_input.warehouse.parent.rglob("*")
    }
    assert {name for name in written if not WRITTEN_NAMES.fullmatch(name)} == set()
    assert {f"extracted/{table}/_schema.parquet" for table in EXTRACTED_TABLES} <= written
    outside = [p for p in bad_input.corpus.parent.rglob("*") if "passwd" in p.name or p.name in ("c", "a b")]
    assert outside == [], outside


# --- publish atomically --------------------------------------------------------------------------


def test_failed_blocking_check_leaves_the_published_warehouse_as_it_was(failed_runs):
    failed = failed_runs["check"]
    assert failed.run.code == 1, str(failed.run)
    assert "run FAILED" in failed.run.stdout
    assert "extracted/events:gx_events" in failed.run.stdout, "the failing blocking check is named"
    assert sha256(failed.warehouse) == failed.sha_before
    assert table_hashes(failed.warehouse) == failed.hashes_before
    assert not working_path(failed.warehouse).exists(), "dbt ran although a blocking check failed"


def test_exception_in_the_publish_step_leaves_the_published_warehouse_as_it_was(failed_runs):
    failed = failed_runs["exception"]
    assert (failed.warehouse.parent / "fault-fired").exists(), (
        f"the run never reached the publish rename:\n{failed.run}"
    )
    assert failed.run.code == 1, str(failed.run)
    assert "run FAILED" in failed.run.stdout
    assert sha256(failed.warehouse) == failed.sha_before
    assert table_hashes(failed.warehouse) == failed.hashes_before
    assert lock_is_free(failed.warehouse)


def test_failed_run_summary_does_not_report_the_previous_build_as_this_runs_input(failed_runs):
    failed = failed_runs["check"]
    assert failed.run.code == 1, str(failed.run)
    assert re.search(r"^input units read:", failed.run.stdout, re.MULTILINE) is None, failed.run.stdout[
        -1500:
    ]
    assert "published warehouse was left as it was" in failed.run.stdout


def test_sigkill_mid_build_leaves_the_published_warehouse_as_it_was(crashed):
    assert crashed.run.code == -signal.SIGKILL, str(crashed.run)
    assert crashed.working_left, "the working file is gone: the kill came after the publish step"
    assert sha256(crashed.warehouse) == crashed.sha_before, "the published file changed"
    assert table_hashes(crashed.warehouse) == crashed.hashes_before  # and it opens and answers queries
    assert lock_is_free(crashed.warehouse), "the killed run's writer lock outlived it"


def test_next_run_after_a_sigkill_cleans_up_and_succeeds(crashed, concurrent, small_corpus):
    winner = next(r for r in concurrent.runs if r.code != 3)
    assert winner.code == 0, str(winner)
    assert not working_path(concurrent.warehouse).exists(), "the stale working file was left behind"
    assert not Path(f"{working_path(concurrent.warehouse)}.wal").exists()
    assert lock_is_free(concurrent.warehouse)
    # The published file is now the complete build of the small corpus, and says so.
    assert summary_counts(winner.stdout) == {"loaded": 1 + len(WIRE)}
    units = query(concurrent.warehouse, "select source_file, status from marts.ingest_log order by 1")
    assert units == [(SEED_ARTICLE.name, "loaded"), ("wire.jsonl", "loaded"), ("wire.jsonl", "loaded")]
    assert table_hashes(concurrent.warehouse).keys() == crashed.hashes_before.keys()


# --- readers never block a run ----------------------------------------------------------------------


def test_read_only_readers_never_block_a_run_and_see_old_or_new_never_a_mix(concurrent):
    winner = next(r for r in concurrent.runs if r.code == 0)
    new = fingerprint(concurrent.warehouse)
    assert new != concurrent.old, "the scenario needs a visible difference between the two builds"
    assert concurrent.reader_codes == {"hold": 0, "reopen": 0}

    held = concurrent.readers["hold"]
    assert held["errors"] == []
    times = [t for t, _ in held["snapshots"]]
    # The connection was open before the run started and was still open when it ended: the run
    # neither failed nor waited for it to close.
    assert times[0] <= winner.started and times[-1] >= winner.ended
    assert all(snap == concurrent.old for _, snap in held["snapshots"]), (
        "a held connection saw a different file"
    )

    reopened = concurrent.readers["reopen"]
    assert reopened["errors"] == [], reopened["errors"][:5]
    seen = [snap for _, snap in reopened["snapshots"]]
    mixed = [snap for snap in seen if snap not in (concurrent.old, new)]
    assert mixed == [], f"snapshots matching neither warehouse: {mixed[:3]}"
    states = [snap == new for snap in seen]
    assert states == sorted(states), "a reader saw the new warehouse, then the old one again"
    assert not states[0] and states[-1], "readers did not see the old warehouse, then the new one"


def test_two_runs_started_at_once_one_refuses_with_exit_3(concurrent):
    codes = sorted(r.code for r in concurrent.runs)
    assert codes == [0, 3], "\n\n".join(map(str, concurrent.runs))
    winner = next(r for r in concurrent.runs if r.code == 0)
    loser = next(r for r in concurrent.runs if r.code == 3)
    assert re.search(
        rf"^not started: another build of {re.escape(str(concurrent.warehouse))} is running "
        r"\((pid \d+, since [-\d: ]+|unknown process)\); wait for it to finish or stop it$",
        loser.stderr,
        re.MULTILINE,
    ), loser.stderr[-2000:]
    assert "run succeeded" not in loser.stdout
    assert loser.ended < winner.ended, "the second run waited for the first instead of refusing"


# --- same input, same warehouse ------------------------------------------------------------------


def test_rerun_on_unchanged_input_gives_identical_tables(bad_input):
    assert bad_input.run.code == 0, str(bad_input.run)
    assert bad_input.twin_run.code == 0, str(bad_input.twin_run)
    first, second = table_hashes(bad_input.warehouse), table_hashes(bad_input.twin_warehouse)
    assert any(name.startswith("marts.") for name in first)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == [], f"tables that differ between two builds of the same input: {different}"


# --- security: no network, loopback UI --------------------------------------------------------------


def test_build_succeeds_with_the_network_blocked(bad_input):
    assert bad_input.run.code == 0, f"{bad_input.isolation}\n{bad_input.run}"
    # The guard was active in the run itself and in `dbt build`, the process that writes the warehouse.
    commands = [" ".join(e["command"]) for e in bad_input.guard_log if e["kind"] == "guarded"]
    assert any("-m orchestration.run" in c for c in commands), commands
    assert any(re.search(r"/dbt build\b", c) for c in commands), commands


def test_nothing_reaches_the_network(bad_input):
    attempts = [e for e in bad_input.guard_log if e["kind"] != "guarded"]
    assert attempts == [], "network access attempted ({}):\n{}".format(
        bad_input.isolation,
        "\n".join(
            f"{e['command']} {e['kind']} {e['target']}, from:\n{''.join(callers(e['stack']))}"
            for e in attempts[:5]
        ),
    )


def callers(stack: list[str]) -> list[str]:
    """The innermost frames of a recorded stack that are not HTTP or socket plumbing."""
    plumbing = ("/requests/", "/urllib3/", "/http/client.py", "/socket.py", "/ssl.py")
    return [frame for frame in stack if not any(p in frame for p in plumbing)][-4:]


def test_ui_binds_to_loopback_by_default():
    env = {k: v for k, v in os.environ.items() if k not in ("UI_HOST", "UI_PORT", "MAKEFLAGS", "MFLAGS")}
    dry = subprocess.run(["make", "-n", "ui"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert dry.returncode == 0, dry.stderr
    (command,) = [line for line in dry.stdout.splitlines() if re.search(r"\bdg dev\b", line)]
    host = re.search(r"--host[ =](\S+)", command)
    assert host and host[1] == "127.0.0.1", command
