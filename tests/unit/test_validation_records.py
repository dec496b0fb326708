"""The validation records (rules/validation_records.yaml): every invented sentence yields
exactly the facts it lists, and every entry of the rule data is exercised by a record.

Records marked `gap` state what the engine gets wrong today; they are expected to fail (strict), so
fixing one turns its xfail into an error that asks for the mark to be removed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from orchestration.extract import reference
from orchestration.extract.pipeline import extract
from tests.conftest import article_frame

RECORDS = reference.validation_records()


@pytest.fixture(scope="module")
def yielded() -> dict[str, list[dict]]:
    """Each record's events as fact dicts; all records extracted in one frame (extraction is per
    article, so sharing the frame changes nothing)."""
    articles = article_frame(
        {r["id"]: r["text"] for r in RECORDS}, {r["id"]: r["published"] for r in RECORDS if "published" in r}
    ).with_columns(pl.col("published_date").cast(pl.Date))
    out = extract(articles)
    roles = (
        out["event_actors"]
        .join(out["actors"], on="actor_id")
        .sort("char_start")
        .group_by("event_id", "role", maintain_order=True)
        .agg(pl.col("actor_name").first(), pl.col("actor_type").first())
    )
    facts: dict[str, list[dict]] = {r["id"]: [] for r in RECORDS}
    for event in out["events"].iter_rows(named=True):
        actors = {
            row["role"]: row
            for row in roles.filter(pl.col("event_id") == event["event_id"]).iter_rows(named=True)
        }
        facts[event["article_id"]].append(
            {
                "type": event["event_type"],
                "sub_type": event["sub_event_type"],
                "actor1": actors.get("actor1", {}).get("actor_name"),
                "actor1_type": actors.get("actor1", {}).get("actor_type"),
                "actor2": actors.get("actor2", {}).get("actor_name"),
                "actor2_type": actors.get("actor2", {}).get("actor_type"),
                "country": event["country_iso3"],
                "killed": event["fatalities_best"],
                "injured": event["injured_best"],
                "date": event["event_date"],
            }
        )
    return facts


def _matches(expected: dict, got: dict) -> bool:
    wanted = {k: dt.date.fromisoformat(v) if k == "date" and v else v for k, v in expected.items()}
    return all(got[key] == value for key, value in wanted.items())


def _unmatched(expected: list[dict], got: list[dict]) -> tuple[list[dict], list[dict]]:
    """Expected events no yielded event matches, and yielded events left over (greedy, in order)."""
    left = list(got)
    missing = []
    for event in expected:
        hit = next((g for g in left if _matches(event, g)), None)
        if hit is None:
            missing.append(event)
        else:
            left.remove(hit)
    return missing, left


@pytest.mark.parametrize(
    "record",
    [
        pytest.param(
            r, id=r["id"], marks=[pytest.mark.xfail(reason=r["gap"], strict=True)] if "gap" in r else []
        )
        for r in RECORDS
    ],
)
def test_record_yields_its_facts(record, yielded):
    missing, extra = _unmatched(record["events"], yielded[record["id"]])
    assert not missing and not extra, f"{record['text']}\nmissing: {missing}\nextra: {extra}"


def _passing() -> list[dict]:
    return [r for r in RECORDS if "gap" not in r]


@pytest.mark.parametrize(
    "line, trigger",
    [(n + 2, row) for n, row in enumerate(reference.event_triggers().to_dicts())],
    ids=lambda value: f"line{value}" if isinstance(value, int) else "",
)
def test_every_trigger_is_exercised_by_a_passing_record(line, trigger):
    """A record whose text the trigger matches and that expects an event of the trigger's type."""
    pattern = rf"(?i)\b(?:{trigger['pattern']})\b"
    covering = [
        r["id"]
        for r in _passing()
        if pl.Series([r["text"]]).str.contains(pattern)[0]
        and (
            trigger["event_type"] is None
            or any(
                e["type"] == trigger["event_type"]
                and e.get("sub_type", trigger["sub_event_type"]) == trigger["sub_event_type"]
                for e in r["events"]
            )
        )
    ]
    assert covering, (
        f"event_triggers.csv line {line} ({trigger['event_type']} / {trigger['sub_event_type']}) has no record"
    )


@pytest.mark.parametrize("group", reference.armed_groups()["actor_name"].to_list())
def test_every_armed_group_is_exercised_by_a_passing_record(group):
    assert any(group in (e.get("actor1"), e.get("actor2")) for r in _passing() for e in r["events"]), (
        f"armed_groups.csv: {group} has no record that expects it as an actor"
    )


def test_a_bad_rule_entry_names_its_file_and_line(tmp_path: Path):
    for name in ("event_types", "armed_groups"):
        (tmp_path / f"{name}.csv").write_bytes((reference.REFERENCE_DIR / f"{name}.csv").read_bytes())
    triggers = (reference.REFERENCE_DIR / "event_triggers.csv").read_text(encoding="utf-8").splitlines()
    cases = {
        "(?:unclosed,Battles,Armed clash,specific": "line 3: pattern does not compile",
        "(?:skirmish),Battles,Pitched battle,specific": "line 3: Battles / Pitched battle is not in event_types.csv",
        "(?:skirmish),Battles,Armed clash,vague": "line 3: kind must be one of specific, generic",
        "(?:skirmish),,,specific": "line 3: an untyped trigger must be generic",
    }
    for bad, message in cases.items():
        (tmp_path / "event_triggers.csv").write_text(
            "\n".join([triggers[0], triggers[1], bad, *triggers[2:]]) + "\n"
        )
        with pytest.raises(reference.RuleDataError) as error:
            reference.load("event_triggers", tmp_path)
        assert str(error.value).startswith(f"{tmp_path / 'event_triggers.csv'}:{message.split(':')[0][5:]}:")
        assert message.split(": ", 1)[1] in str(error.value)


def test_a_bad_armed_group_names_its_line(tmp_path: Path):
    rows = (reference.REFERENCE_DIR / "armed_groups.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "armed_groups.csv").write_text("\n".join([*rows[:2], "Red Hand Front,RHF,Rebels,XXZ"]) + "\n")
    with pytest.raises(reference.RuleDataError, match=r"armed_groups.csv:3: actor_type must be one of"):
        reference.load("armed_groups", tmp_path)
    (tmp_path / "armed_groups.csv").write_text(
        "\n".join([*rows[:2], "Red Hand Front,RHF,Rebel group,XXZ"]) + "\n"
    )
    with pytest.raises(reference.RuleDataError, match=r"armed_groups.csv:3: country_iso3 'XXZ'"):
        reference.load("armed_groups", tmp_path)


def test_no_record_copies_evaluation_text():
    """Records are invented: none shares a run of six words with an evaluation text."""
    import json
    import re

    from tests.conftest import SHARED

    eval_dir = SHARED / "eval"
    if not eval_dir.is_dir():
        pytest.skip(f"{eval_dir} is absent: nothing to compare the records with")
    texts = [
        json.loads(line)["text"]
        for path in sorted(eval_dir.glob("*/articles.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += [path.read_text(encoding="utf-8") for path in sorted((SHARED / "seeds").glob("*.txt"))]
    corpus = re.sub(r"\s+", " ", " ".join(texts)).lower()
    copied = []
    for record in RECORDS:
        words = re.sub(r"\s+", " ", record["text"]).lower().rstrip(".").split(" ")
        windows = (" ".join(words[i : i + 6]) for i in range(len(words) - 5))
        copied += [f"{record['id']}: {w}" for w in windows if not w.startswith("on ") and w in corpus]
    assert not copied, copied
