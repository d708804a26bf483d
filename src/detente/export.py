"""export: events out of the store as Parquet, CSV, JSON Lines or a GDELT 2.0 event table.

Every format keeps what an event means: its factuality, confidence and date precision, all its
sources and targets, and the coder and KB versions that produced it. Parquet, CSV and JSON Lines
share one set of column names (EVENT_SCHEMA); Parquet has real DATE and LIST columns, CSV joins a
list with "; ". The GDELT layout has one row per source–target pair, its 61 columns followed by
EXTRA_GDELT_COLUMNS (the pairs of one event share EventGroupID).
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .codes import party_code

# GDELT 2.0 event table, in its column order (tab-separated, no header in GDELT's own files).
GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
]
# Appended to GDELT's 61 columns: what GDELT has no column for.
EXTRA_GDELT_COLUMNS = ["EventGroupID", "Factuality", "Confidence", "DatePrecision", "CoderVersion", "KBVersion"]
FORMATS = ("parquet", "csv", "jsonl", "gdelt")
KNOWN_GROUP_SECTORS = {"REB", "IGO", "NGO", "MED"}
_ACTOR_FIELDS = ("codes", "countries", "sectors", "names", "kb_ids")
# One column naming for every flat export, in order, with its Arrow type.
EVENT_SCHEMA = pa.schema(
    [("event_id", pa.string()), ("article_id", pa.string()), ("cluster_id", pa.string()),
     ("event_type", pa.string()), ("mode", pa.string()), ("cameo", pa.string()), ("quad_class", pa.int8()),
     ("goldstein", pa.float64()), ("event_date", pa.date32()), ("date_precision", pa.string()),
     ("factuality", pa.string()), ("confidence", pa.float64())]
    + [(f"{role}_{f}", pa.list_(pa.string())) for role in ("source", "target") for f in _ACTOR_FIELDS]
    + [("speaker_country", pa.string()), ("speaker_name", pa.string()),
       ("place_name", pa.string()), ("place_country", pa.string()), ("place_admin1", pa.string()),
       ("place_kind", pa.string()),
       ("lat", pa.float64()), ("lon", pa.float64()), ("geonameid", pa.int64()),
       ("sentence", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
       ("url", pa.string()), ("title", pa.string()), ("outlet", pa.string()), ("published", pa.date32()),
       ("coder_version", pa.string()), ("kb_version", pa.string())])


def flat_event(row: dict, kb_version: str | None) -> dict:
    """A store event row in the export columns: each side's actors as parallel lists."""
    out = {name: row.get(name) for name in EVENT_SCHEMA.names}
    for role in ("source", "target"):
        actors = row[role]
        out[f"{role}_codes"] = [party_code(a["country"], a["kb_id"]) or "" for a in actors]
        for f, key in zip(_ACTOR_FIELDS[1:], ("country", "sector", "name", "kb_id")):
            out[f"{role}_{f}"] = [a[key] or "" for a in actors]
    out["kb_version"] = kb_version
    return out


def _actor_code(actor: dict | None) -> str:
    """CAMEO-style actor code: country + sector ("RUSMIL"); an organisation: IGO/NGO + its own code ("IGONATO")."""
    if not actor:
        return ""
    code = party_code(actor["country"], actor["kb_id"])
    if code and code != actor["country"]:
        return f"{actor['country'] or ''}{code}"
    return f"{actor['country'] or ''}{actor['sector'] or ''}"


def _gdelt_actor(actor: dict | None) -> list:
    a = actor or {}
    known = party_code(a.get("country"), a.get("kb_id")) if a.get("sector") in KNOWN_GROUP_SECTORS else ""
    return [_actor_code(actor), a.get("name", ""), a.get("country") or "", known or "", "", "", "", a.get("sector") or "", "", ""]


def _number(text: str) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest()[:12], 16)


def actor_pairs(row: dict) -> list[tuple[dict | None, dict | None]]:
    """Every source with every target; an act with no target, each source alone."""
    targets = row["target"] or [None]
    return [(s, t) for s in row["source"] or [None] for t in targets]


def gdelt_rows(row: dict, cluster_sizes: dict[str, tuple[int, int]], kb_version: str | None) -> list[list]:
    """One GDELT row per source–target pair of an event."""
    d: date | None = row["event_date"]
    cameo = row["cameo"] or ""
    n_articles, n_sources = cluster_sizes.get(row["cluster_id"], (1, 1))
    geo = [gdelt_geo_type(row), row.get("place_name") or "", row.get("place_country") or "", row.get("place_admin1") or "", "",
           _blank(row.get("lat")), _blank(row.get("lon")), row.get("geonameid") or ""]
    blank_geo = [""] * 8
    when = [d.strftime("%Y%m%d"), d.strftime("%Y%m"), d.year, f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}"] if d else [""] * 4
    extra = [_number(row["event_id"]), row["factuality"], row["confidence"], row.get("date_precision") or "",
             row.get("coder_version") or "", kb_version or ""]
    return [[_number(f"{row['event_id']}#{i}"), *when, *_gdelt_actor(a1), *_gdelt_actor(a2),
             1, cameo, cameo[:3], cameo[:2], row["quad_class"], row["goldstein"],
             n_articles, n_sources, n_articles, "", *blank_geo, *blank_geo, *geo,
             _date_added(row), row.get("url") or "", *extra]
            for i, (a1, a2) in enumerate(actor_pairs(row))]


# GDELT's Geo_Type per place kind, outside and inside the United States: 1 country, 2 US state,
# 3 US city, 4 world city, 5 world state (first-level unit). A region within one country counts as
# a state; one spanning countries ("the Sahel") has no GDELT type and is left blank.
GDELT_GEO_TYPES = {"country": (1, 1), "admin1": (5, 2), "city": (4, 3), "region": (5, 2)}


def gdelt_geo_type(row: dict) -> int | str:
    """The GDELT Geo_Type of an event's place, from its kind; a place stored before kinds were
    kept (NULL) is read from its fields as then: no first-level unit, a country; else a city."""
    if row.get("place_name") is None:
        return ""
    kind, country = row.get("place_kind"), row.get("place_country")
    if kind is None:
        return 1 if row.get("place_admin1") is None else 4
    if kind not in GDELT_GEO_TYPES or (kind == "region" and not country):
        return ""
    world, us = GDELT_GEO_TYPES[kind]
    return us if country == "USA" else world


def _blank(value) -> object:
    return "" if value is None else value


def _date_added(row: dict) -> str:
    """GDELT's DATEADDED (YYYYMMDDHHMMSS): the article's publication, else the event date."""
    when = row.get("published") or row.get("event_date")
    return when.strftime("%Y%m%d") + "000000" if when else ""


def write_gdelt(rows: Iterable[dict], out: Path, cluster_sizes: dict, kb_version: str | None) -> tuple[int, int]:
    """Tab-separated, no header (as GDELT's own files); (events, rows) written."""
    events = lines = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        for row in rows:
            pairs = gdelt_rows(row, cluster_sizes, kb_version)
            writer.writerows(pairs)
            events, lines = events + 1, lines + len(pairs)
    return events, lines


def write_flat(rows: Iterable[dict], out: Path, fmt: str, kb_version: str | None) -> int:
    """Parquet, CSV or JSON Lines in EVENT_SCHEMA's columns; the number of events written."""
    table = pa.Table.from_pylist([flat_event(r, kb_version) for r in rows], schema=EVENT_SCHEMA)
    if fmt == "parquet":
        pq.write_table(table, out)
    elif fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for record in table.to_pylist():
                fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(EVENT_SCHEMA.names)
            for record in table.to_pylist():
                writer.writerow(["; ".join(v) if isinstance(v, list) else _blank(v) for v in record.values()])
    else:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return table.num_rows
