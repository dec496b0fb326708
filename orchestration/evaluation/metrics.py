"""Pure metric functions: polars frames in, numbers (and frames of mistakes) out.

Nothing here reads files, runs the pipeline or touches Dagster, so each rule can be unit-tested on
a hand-made frame. The rules are the ones documented in the README section "Evaluation".

Frames used below (built by `orchestration.evaluation.runner` from the marts and by
`orchestration.evaluation.gold` from the gold files):

- predicted events: one row per event (`fct_events` joined to its location and actor types):
  `event_id, article_id, event_date, event_type, sub_event_type, country_iso3, location_name,
  admin1, latitude, longitude, actor1_type, actor1_name, actor2_type, actor2_name, fatalities_best,
  injured_best, evidence_text, char_start, sentence_index, trigger_text`.
- scored texts: one row per gold text with `gold_id` and `article_id`, the article it is scored
  against (itself, or for a duplicate the first article with the same content; null if rejected).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import polars as pl

# ACLED inter codes -> dim_actors.actor_type.
ACTOR_TYPES: dict[int, str] = {
    1: "State forces",
    2: "Rebel group",
    3: "Political militia",
    4: "Identity militia",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}
# Event types that count as a violent incident for MUC-4 (its templates are terrorist incidents).
VIOLENT_EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Riots",
)
LOCATION_TOLERANCE_KM = 50.0
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
NO_EVENT = "(no event)"
NO_ARTICLE = "(no article: input line rejected or missing)"

MISTAKE_COLUMNS = ["article_id", "scored_as", "metric", "predicted", "gold", "evidence", "text_snippet"]
MISTAKE_SCHEMA = dict.fromkeys(MISTAKE_COLUMNS, pl.String)


@dataclass(frozen=True)
class Metric:
    """One reported number: `value` over `n` scored items (texts or documents), with counts."""

    name: str
    value: float | None
    n: int
    detail: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


# --- generic building blocks -----------------------------------------------------------------------


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 from counts; a ratio with a zero denominator is 0.0."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def binary_prf(frame: pl.DataFrame, predicted: str, gold: str) -> dict[str, float | int]:
    """P/R/F1 of boolean column `predicted` against boolean column `gold` (nulls are False)."""
    p, g = pl.col(predicted).fill_null(False), pl.col(gold).fill_null(False)
    counts = frame.select(
        tp=(p & g).sum(),
        fp=(p & ~g).sum(),
        fn=(~p & g).sum(),
    ).row(0, named=True)
    return prf(int(counts["tp"]), int(counts["fp"]), int(counts["fn"]))


def set_prf(frame: pl.DataFrame, predicted: str, gold: str) -> dict[str, float | int]:
    """Micro P/R/F1 of list columns read as sets, pooled over the rows (null = empty set)."""
    p = pl.col(predicted).fill_null(pl.lit([], dtype=pl.List(pl.String))).list.unique()
    g = pl.col(gold).fill_null(pl.lit([], dtype=pl.List(pl.String))).list.unique()
    counts = (
        frame.select(p.alias("p"), g.alias("g"))
        .select(
            tp=pl.col("p").list.set_intersection(pl.col("g")).list.len().sum(),
            n_pred=pl.col("p").list.len().sum(),
            n_gold=pl.col("g").list.len().sum(),
        )
        .row(0, named=True)
    )
    tp = int(counts["tp"] or 0)
    return prf(tp, int(counts["n_pred"] or 0) - tp, int(counts["n_gold"] or 0) - tp)


def accuracy(frame: pl.DataFrame, correct: str) -> Metric:
    """Share of rows where boolean `correct` is true, over the rows where it is not null."""
    scored = frame.filter(pl.col(correct).is_not_null())
    n = scored.height
    hits = int(scored[correct].sum()) if n else 0
    return Metric(correct.removeprefix("ok_"), hits / n if n else None, n, {"correct": hits})


def haversine_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    dphi, dlmb = (lat2 - lat1).radians(), (lon2 - lon1).radians()
    a = (dphi / 2).sin().pow(2) + phi1.cos() * phi2.cos() * (dlmb / 2).sin().pow(2)
    return 2 * EARTH_RADIUS_KM * a.sqrt().clip(upper_bound=1.0).arcsin()


def within_km(
    lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr, km: float = LOCATION_TOLERANCE_KM
) -> pl.Expr:
    """True when the two points are at most `km` apart; False when either point is missing."""
    return (haversine_km(lat1, lon1, lat2, lon2) <= km).fill_null(False)


def normalise_name(name: pl.Expr) -> pl.Expr:
    """Accent- and case-insensitive form of a place name ("Ma’rib" -> "marib", "Sīstān" -> "sistan").

    Besides accents and case, apostrophes are dropped, hyphens and underscores read as spaces and
    runs of whitespace collapse, so that spelling conventions do not count as errors.
    """
    return (
        name.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"['’‘`ʼ]", "")
        .str.replace_all(r"[-_]", " ")
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def same_name(predicted: pl.Expr, gold: pl.Expr) -> pl.Expr:
    return (normalise_name(predicted) == normalise_name(gold)).fill_null(False)


# --- mapping gold texts to the articles the pipeline kept ----------------------------------------


def scored_articles(input_lines: pl.DataFrame, ingest_log: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """gold_id -> the article it is scored against, through `ingest_log`.

    `input_lines` has `line_number, gold_id` (the JSONL line's `id`); `ingest_log` is the mart.
    A loaded line scores against its own article; a duplicate line against the article it
    duplicates (`ingest_log.article_id` names the first article with the same content); a rejected
    or unlogged line against nothing (null `article_id`). A gold id on several lines keeps its first.
    """
    log = ingest_log.filter(pl.col("source_file") == source_file).select(
        "line_number", "status", "article_id"
    )
    return (
        input_lines.select("line_number", "gold_id")
        .filter(pl.col("gold_id").is_not_null())
        .join(log, on="line_number", how="left", maintain_order="left")
        .with_columns(
            article_id=pl.when(pl.col("status").is_in(["loaded", "loaded_with_warning", "duplicate"]))
            .then(pl.col("article_id"))
            .otherwise(None)
        )
        .unique("gold_id", keep="first", maintain_order=True)
    )


# --- ACLED -----------------------------------------------------------------------------------------


def primary_events(events: pl.DataFrame) -> pl.DataFrame:
    """One row per article: the event with the most `fatalities_best` (null counts as 0); ties go
    to the event first in the text: by `char_start` (its evidence sentence), then by where its
    `trigger_text` stands in that sentence (two events of one sentence), then `event_id`."""
    trigger_at = (
        pl.col("evidence_text").str.find(pl.col("trigger_text"), literal=True)
        if "trigger_text" in events.columns
        else pl.lit(None, dtype=pl.UInt32)
    )
    return (
        events.with_columns(_deaths=pl.col("fatalities_best").fill_null(0), _trigger_at=trigger_at)
        .sort(
            ["article_id", "_deaths", "char_start", "_trigger_at", "sentence_index", "event_id"],
            descending=[False, True, False, False, False, False],
            nulls_last=True,
        )
        .group_by("article_id", maintain_order=True)
        .first()
        .drop("_deaths", "_trigger_at")
    )


def article_totals(events: pl.DataFrame, violent_only: bool = False) -> pl.DataFrame:
    """Per article: number of events, sum of `fatalities_best` (null = 0) and the event countries."""
    frame = events.filter(pl.col("event_type").is_in(VIOLENT_EVENT_TYPES)) if violent_only else events
    return frame.group_by("article_id").agg(
        n_events=pl.len(),
        fatalities=pl.col("fatalities_best").fill_null(0).sum(),
        countries=pl.col("country_iso3").drop_nulls().unique().sort(),
    )


def acled_gold_texts(gold: pl.DataFrame) -> pl.DataFrame:
    """One row per gold text: the fields of its first gold row, the sum of its gold fatalities and
    whether fatalities are scored (no row with `fatality_caveat`, every row `note_shared_by_n_rows`=1)."""
    first_fields = [
        "event_date",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "inter1",
        "actor2",
        "inter2",
        "country",
        "country_iso3",
        "admin1",
        "location",
        "latitude",
        "longitude",
    ]
    return (
        gold.group_by("gold_id", maintain_order=True)
        .agg(
            *[pl.col(c).first() for c in first_fields],
            n_gold_rows=pl.len(),
            gold_fatalities=pl.col("fatalities").fill_null(0).sum(),
            fatalities_scored=(~pl.col("fatality_caveat").fill_null(False).any())
            & (pl.col("note_shared_by_n_rows").fill_null(1) == 1).all(),
        )
        .with_columns(
            gold_actor1_type=_actor_type(pl.col("inter1")),
            gold_actor2_type=_actor_type(pl.col("inter2")),
        )
    )


def _actor_type(code: pl.Expr) -> pl.Expr:
    """ACLED inter code -> actor type name; 0, empty or unknown -> null (no such actor)."""
    return code.replace_strict(ACTOR_TYPES, default=None, return_dtype=pl.String)


def acled_compare(texts: pl.DataFrame, gold_texts: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """One row per gold text: predicted and gold values side by side and an `ok_<metric>` boolean
    per metric (null where the text is not scored for that metric)."""
    primary = primary_events(events).select(
        "article_id",
        pl.all().exclude("article_id").name.prefix("pred_"),
    )
    totals = article_totals(events).select(
        "article_id", pred_n_events="n_events", pred_fatalities="fatalities"
    )
    frame = (
        texts.select("gold_id", "article_id", "status")
        .join(gold_texts, on="gold_id", how="inner", maintain_order="left")
        .join(primary, on="article_id", how="left", maintain_order="left")
        .join(totals, on="article_id", how="left", maintain_order="left")
        .with_columns(
            # no event (or no article: a rejected line) predicts no deaths
            pl.col("pred_n_events", "pred_fatalities").fill_null(0),
        )
    )
    has_event = pl.col("pred_event_id").is_not_null()
    deaths_scored = pl.col("fatalities_scored")
    pred_fatal, gold_fatal = pl.col("pred_fatalities") > 0, pl.col("gold_fatalities") > 0
    return frame.with_columns(
        ok_texts_with_event=has_event,
        ok_event_type=(pl.col("pred_event_type") == pl.col("event_type")).fill_null(False),
        ok_sub_event_type=(pl.col("pred_sub_event_type") == pl.col("sub_event_type")).fill_null(False),
        ok_country=(pl.col("pred_country_iso3") == pl.col("country_iso3")).fill_null(False),
        ok_admin1=same_name(pl.col("pred_admin1"), pl.col("admin1")),
        ok_location_50km=within_km(
            pl.col("pred_latitude"), pl.col("pred_longitude"), pl.col("latitude"), pl.col("longitude")
        ),
        distance_km=haversine_km(
            pl.col("pred_latitude"), pl.col("pred_longitude"), pl.col("latitude"), pl.col("longitude")
        ),
        ok_event_date=pl.when(pl.col("time_precision") == 1).then(
            (pl.col("pred_event_date") == pl.col("event_date")).fill_null(False)
        ),
        ok_actor1_type=(pl.col("pred_actor1_type") == pl.col("gold_actor1_type")).fill_null(False),
        # no gold actor 2 (inter2 0 or empty): correct only when no actor 2 is predicted either
        ok_actor2_type=pl.when(pl.col("gold_actor2_type").is_null())
        .then(has_event & pl.col("pred_actor2_type").is_null())
        .otherwise((pl.col("pred_actor2_type") == pl.col("gold_actor2_type")).fill_null(False)),
        ok_fatalities_exact=pl.when(deaths_scored).then(
            pl.col("pred_fatalities") == pl.col("gold_fatalities")
        ),
        pred_fatal=pl.when(deaths_scored).then(pred_fatal),
        gold_fatal=pl.when(deaths_scored).then(gold_fatal),
        ok_fatal_detection=pl.when(deaths_scored).then(pred_fatal == gold_fatal),
    )


ACLED_ACCURACY_METRICS = (
    "texts_with_event",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",
    "location_50km",
    "event_date",
    "actor1_type",
    "actor2_type",
    "fatalities_exact",
)


def acled_metrics(compared: pl.DataFrame) -> list[Metric]:
    """Accuracies of the primary event's fields, fatalities exact match, fatal detection P/R/F1."""
    metrics = [accuracy(compared, f"ok_{name}") for name in ACLED_ACCURACY_METRICS]
    fatal = compared.filter(pl.col("pred_fatal").is_not_null())
    counts = binary_prf(fatal, "pred_fatal", "gold_fatal")
    for part in ("precision", "recall", "f1"):
        metrics.append(Metric(f"fatal_detection_{part}", counts[part], fatal.height, _counts(counts)))
    return metrics


def acled_confusion(compared: pl.DataFrame) -> pl.DataFrame:
    """Gold event type x predicted event type of the primary event: one row per gold type with its
    number of texts, the share typed right (`accuracy`) and one count column per predicted type
    (`(no event)` when the text yielded none)."""
    return (
        compared.with_columns(pl.col("pred_event_type").fill_null(NO_EVENT))
        .pivot(on="pred_event_type", index="event_type", values="gold_id", aggregate_function="len")
        .fill_null(0)
        .join(
            compared.group_by("event_type").agg(texts=pl.len(), accuracy=pl.col("ok_event_type").mean()),
            on="event_type",
        )
        .select("event_type", "texts", "accuracy", pl.all().exclude("event_type", "texts", "accuracy"))
        .sort("texts", descending=True)
    )


def _counts(counts: dict) -> dict:
    return {k: counts[k] for k in ("tp", "fp", "fn")}


def _display(value: pl.Expr) -> pl.Expr:
    return value.cast(pl.String).fill_null("(none)")


def _actor_display(kind: str, name: str) -> pl.Expr:
    return (
        pl.when(pl.col(kind).is_null())
        .then(pl.lit("(none)"))
        .otherwise(pl.format("{} [{}]", pl.col(kind), pl.col(name).fill_null("?")))
    )


def _with_all_actors(shown: pl.Expr, all_column: str, frame: pl.DataFrame) -> pl.Expr:
    """Append every actor of the role (bridge_event_actors) when there is more than the one scored."""
    if all_column not in frame.columns:
        return shown
    several = pl.col(all_column).str.contains("; ").fill_null(False)
    return (
        pl.when(several).then(pl.format("{} (all in role: {})", shown, pl.col(all_column))).otherwise(shown)
    )


def acled_mistakes(compared: pl.DataFrame, snippets: pl.DataFrame) -> pl.DataFrame:
    """One row per gold text and metric that was wrong (`MISTAKE_COLUMNS`)."""
    no_prediction = (
        pl.when(pl.col("article_id").is_null()).then(pl.lit(NO_ARTICLE)).otherwise(pl.lit(NO_EVENT))
    )
    where = pl.format(
        "{} ({}, {})",
        pl.col("pred_location_name").fill_null("?"),
        pl.col("pred_latitude").round(3),
        pl.col("pred_longitude").round(3),
    )
    shown = {
        "texts_with_event": (_display(pl.col("pred_n_events")) + pl.lit(" events"), pl.lit(">= 1 event")),
        "event_type": (_display(pl.col("pred_event_type")), pl.col("event_type")),
        "sub_event_type": (_display(pl.col("pred_sub_event_type")), pl.col("sub_event_type")),
        "country": (_display(pl.col("pred_country_iso3")), pl.format("{} ({})", "country_iso3", "country")),
        "admin1": (_display(pl.col("pred_admin1")), pl.col("admin1")),
        "location_50km": (
            pl.when(pl.col("pred_latitude").is_null())
            .then(pl.format("{} (no coordinates)", pl.col("pred_location_name").fill_null("(none)")))
            .otherwise(pl.format("{} {} km away", where, pl.col("distance_km").round(0).cast(pl.Int64))),
            pl.format("{} ({}, {})", "location", "latitude", "longitude"),
        ),
        "event_date": (_display(pl.col("pred_event_date")), _display(pl.col("event_date"))),
        "actor1_type": (
            _with_all_actors(
                _actor_display("pred_actor1_type", "pred_actor1_name"), "pred_actor1_all", compared
            ),
            _actor_display("gold_actor1_type", "actor1"),
        ),
        "actor2_type": (
            _with_all_actors(
                _actor_display("pred_actor2_type", "pred_actor2_name"), "pred_actor2_all", compared
            ),
            _actor_display("gold_actor2_type", "actor2"),
        ),
        "fatalities_exact": (_display(pl.col("pred_fatalities")), _display(pl.col("gold_fatalities"))),
        "fatal_detection": (
            pl.when(pl.col("pred_fatal")).then(pl.lit("fatal")).otherwise(pl.lit("non-fatal")),
            pl.when(pl.col("gold_fatal")).then(pl.lit("fatal")).otherwise(pl.lit("non-fatal")),
        ),
    }
    parts = []
    for metric, (predicted, gold) in shown.items():
        wrong = compared.filter(pl.col(f"ok_{metric}") == False)  # noqa: E712 (null = not scored)
        if metric != "texts_with_event":
            predicted = pl.when(pl.col("pred_event_id").is_null()).then(no_prediction).otherwise(predicted)
        if metric in ("fatalities_exact", "fatal_detection", "texts_with_event"):
            predicted = pl.when(pl.col("article_id").is_null()).then(pl.lit(NO_ARTICLE)).otherwise(predicted)
        parts.append(_mistake_rows(wrong, metric, predicted, gold))
    return _with_snippets(parts, snippets)


def _mistake_rows(wrong: pl.DataFrame, metric: str, predicted: pl.Expr, gold: pl.Expr) -> pl.DataFrame:
    """One mistakes.csv row per wrongly scored text for one metric."""
    return wrong.select(
        article_id=pl.col("gold_id"),
        scored_as=pl.col("article_id"),
        metric=pl.lit(metric),
        predicted=predicted.cast(pl.String),
        gold=gold.cast(pl.String),
        evidence=pl.col("pred_evidence_text"),
    )


def _with_snippets(parts: list[pl.DataFrame], snippets: pl.DataFrame) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema=MISTAKE_SCHEMA)
    mistakes = pl.concat(parts, how="vertical_relaxed")
    return (
        mistakes.join(
            snippets.select(article_id="gold_id", text_snippet="text_snippet")
            .drop_nulls("article_id")
            .unique("article_id", keep="first", maintain_order=True),
            on="article_id",
            how="left",
            maintain_order="left",
        )
        .select(MISTAKE_COLUMNS)
        .cast(MISTAKE_SCHEMA)
    )


# --- MUC-4 -----------------------------------------------------------------------------------------


def muc4_compare(texts: pl.DataFrame, gold_docs: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """One row per gold document: violent-incident flags, deaths and incident countries, predicted
    next to gold, with `ok_<metric>` booleans (null where the document is not scored)."""
    violent = events.filter(pl.col("event_type").is_in(VIOLENT_EVENT_TYPES))
    evidence = primary_events(violent).select(
        "article_id", pred_evidence_text="evidence_text", pred_event_type="event_type"
    )
    totals = article_totals(events).select("article_id", pred_fatalities="fatalities")
    violent_totals = article_totals(violent).select(
        "article_id", pred_n_violent="n_events", pred_countries="countries"
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    frame = (
        texts.select("gold_id", "article_id", "status")
        .join(gold_docs, on="gold_id", how="inner", maintain_order="left")
        .join(totals, on="article_id", how="left", maintain_order="left")
        .join(violent_totals, on="article_id", how="left", maintain_order="left")
        .join(evidence, on="article_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("pred_n_violent").fill_null(0),
            pl.col("pred_countries").fill_null(empty),
            pl.col("gold_countries").fill_null(empty),
            pl.col("pred_fatalities").fill_null(0),
        )
    )
    return frame.with_columns(
        pred_violent=pl.col("pred_n_violent") > 0,
        gold_violent=pl.col("n_templates") > 0,
        ok_incident_detection=(pl.col("pred_n_violent") > 0) == (pl.col("n_templates") > 0),
        ok_deaths_exact=pl.when(pl.col("gold_deaths").is_not_null()).then(
            pl.col("pred_fatalities") == pl.col("gold_deaths")
        ),
        ok_incident_countries=pl.col("pred_countries").list.sort() == pl.col("gold_countries").list.sort(),
    )


def muc4_metrics(compared: pl.DataFrame) -> list[Metric]:
    """Violent-incident detection P/R/F1, deaths exact-match accuracy, incident countries P/R/F1."""
    n = compared.height
    detection = binary_prf(compared, "pred_violent", "gold_violent")
    countries = set_prf(compared, "pred_countries", "gold_countries")
    metrics = [
        Metric(f"incident_detection_{part}", detection[part], n, _counts(detection))
        for part in ("precision", "recall", "f1")
    ]
    metrics.append(accuracy(compared, "ok_deaths_exact"))
    metrics += [
        Metric(f"incident_countries_{part}", countries[part], n, _counts(countries))
        for part in ("precision", "recall", "f1")
    ]
    return metrics


def muc4_mistakes(compared: pl.DataFrame, snippets: pl.DataFrame) -> pl.DataFrame:
    """One row per document and metric that was wrong (`MISTAKE_COLUMNS`)."""
    no_article = pl.col("article_id").is_null()

    def unless_no_article(expr: pl.Expr) -> pl.Expr:
        return pl.when(no_article).then(pl.lit(NO_ARTICLE)).otherwise(expr)

    templates = pl.format("{} templates: {}", pl.col("n_templates"), pl.col("incident_types").list.join(", "))
    shown = {
        "incident_detection": (
            unless_no_article(
                pl.when(pl.col("pred_violent"))
                .then(pl.format("{} violent events, first: {}", "pred_n_violent", "pred_event_type"))
                .otherwise(pl.lit("no violent event"))
            ),
            pl.when(pl.col("gold_violent")).then(templates).otherwise(pl.lit("no template")),
        ),
        "deaths_exact": (
            unless_no_article(_display(pl.col("pred_fatalities"))),
            pl.format("{} (entries: {})", "gold_deaths", pl.col("deaths_entries").list.join(", ")),
        ),
        "incident_countries": (
            unless_no_article(pl.col("pred_countries").list.join(", ")),
            pl.col("gold_countries").list.join(", "),
        ),
    }
    parts = [
        _mistake_rows(compared.filter(pl.col(f"ok_{metric}") == False), metric, predicted, gold)  # noqa: E712
        for metric, (predicted, gold) in shown.items()
    ]
    return _with_snippets(parts, snippets)


# --- full news --------------------------------------------------------------------------------------

FULLNEWS_FACTS = ("killed", "injured", "violent_countries", "event_types")


def fullnews_compare(texts: pl.DataFrame, gold_articles: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """One row per gold article: the predicted fact sets beside the gold ones (lists of strings)."""

    def figures(column: str) -> pl.Expr:
        return pl.col(column).drop_nulls().cast(pl.Int64).cast(pl.String).unique().sort()

    predicted = events.group_by("article_id").agg(
        pred_killed=figures("fatalities_best"),
        pred_injured=figures("injured_best"),
        pred_violent_countries=pl.col("country_iso3")
        .filter(pl.col("event_type").is_in(VIOLENT_EVENT_TYPES))
        .drop_nulls()
        .unique()
        .sort(),
        pred_event_types=pl.col("event_type").drop_nulls().unique().sort(),
        pred_evidence_text=pl.col("evidence_text").sort_by("char_start").first(),
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    return (
        texts.select("gold_id", "article_id", "status")
        .join(gold_articles, on="gold_id", how="inner", maintain_order="left")
        .join(predicted, on="article_id", how="left", maintain_order="left")
        .with_columns(pl.col(f"pred_{fact}").fill_null(empty) for fact in FULLNEWS_FACTS)
    )


def fullnews_metrics(compared: pl.DataFrame) -> list[Metric]:
    """Micro P/R/F1 per fact family, pooled over the articles (a figure or country counts once per
    article: one incident repeated in headline and body is one fact)."""
    metrics = []
    for fact in FULLNEWS_FACTS:
        counts = set_prf(compared, f"pred_{fact}", f"gold_{fact}")
        metrics += [
            Metric(f"{fact}_{part}", counts[part], compared.height, _counts(counts))
            for part in ("precision", "recall", "f1")
        ]
    return metrics


def fullnews_mistakes(compared: pl.DataFrame, snippets: pl.DataFrame) -> pl.DataFrame:
    """One row per article and fact family whose predicted set differs from the gold set."""
    parts = [
        _mistake_rows(
            compared.filter(pl.col(f"pred_{fact}").list.sort() != pl.col(f"gold_{fact}").list.sort()),
            fact,
            pl.col(f"pred_{fact}").list.join(", "),
            pl.col(f"gold_{fact}").list.join(", "),
        )
        for fact in FULLNEWS_FACTS
    ]
    return _with_snippets(parts, snippets)
