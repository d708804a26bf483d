"""export: events out of the store as Parquet, CSV, JSON Lines or a GDELT 2.0 event table."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow as pa

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
FORMATS = ("parquet", "csv", "jsonl", "gdelt")
KNOWN_GROUP_SECTORS = {"REB", "IGO", "NGO", "MED"}


def flat_event(row: dict) -> dict:
    """One event row with actors joined as 'CTRY/SECTOR/name' lists and dates as ISO strings."""
    def side(actors):
        return "; ".join(f"{a['country'] or ''}/{a['sector'] or ''}/{a['name']}" for a in actors)

    out = {k: v for k, v in row.items() if k not in ("source", "target", "text")}
    out["source"] = side(row["source"])
    out["target"] = side(row["target"])
    out["source_countries"] = ",".join(sorted({a["country"] for a in row["source"] if a["country"]}))
    out["target_countries"] = ",".join(sorted({a["country"] for a in row["target"] if a["country"]}))
    for key, value in out.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
    return out


def _actor_code(actor: dict | None) -> str:
    if not actor:
        return ""
    return f"{actor['country'] or ''}{actor['sector'] or ''}"


def gdelt_row(row: dict, cluster_sizes: dict[str, tuple[int, int]]) -> list:
    a1 = row["source"][0] if row["source"] else None
    a2 = row["target"][0] if row["target"] else None
    d: date | None = row["event_date"]
    cameo = row["cameo"] or ""
    n_articles, n_sources = cluster_sizes.get(row["cluster_id"], (1, 1))
    geo_type = "" if row.get("place_name") is None else (1 if row.get("place_admin1") is None else 4)
    geo = [geo_type, row.get("place_name") or "", row.get("place_country") or "", row.get("place_admin1") or "", "",
           row.get("lat") if row.get("lat") is not None else "", row.get("lon") if row.get("lon") is not None else "",
           row.get("geonameid") or ""]
    blank_geo = ["", "", "", "", "", "", "", ""]
    return [
        int(hashlib.sha1(row["event_id"].encode()).hexdigest()[:12], 16),
        d.strftime("%Y%m%d") if d else "", d.strftime("%Y%m") if d else "", d.year if d else "",
        f"{d.year + (d.timetuple().tm_yday - 1) / 365:.4f}" if d else "",
        _actor_code(a1), (a1 or {}).get("name", ""), (a1 or {}).get("country") or "",
        (a1 or {}).get("kb_id") or "" if (a1 or {}).get("sector") in KNOWN_GROUP_SECTORS else "", "", "", "",
        (a1 or {}).get("sector") or "", "", "",
        _actor_code(a2), (a2 or {}).get("name", ""), (a2 or {}).get("country") or "",
        (a2 or {}).get("kb_id") or "" if (a2 or {}).get("sector") in KNOWN_GROUP_SECTORS else "", "", "", "",
        (a2 or {}).get("sector") or "", "", "",
        1, cameo, cameo[:3], cameo[:2], row["quad_class"], row["goldstein"],
        n_articles, n_sources, n_articles, "",
        *blank_geo, *blank_geo, *geo,
        _date_added(row),
        row.get("url") or "",
    ]


def _date_added(row: dict) -> str:
    """GDELT's DATEADDED (YYYYMMDDHHMMSS): the article's publication, else the event date."""
    when = row.get("published") or row.get("event_date")
    return when.strftime("%Y%m%d") + "000000" if when else ""


def write_export(store, out: Path, fmt: str) -> int:
    from .store import iter_event_rows

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    rows = list(iter_event_rows(store))
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "gdelt":
        sizes = {
            r["cluster_id"]: (r["n_art"], r["n_src"])
            for r in store.query(
                "SELECT cluster_id, count(DISTINCT article_id) AS n_art, count(DISTINCT coalesce(a.outlet, a.url, a.article_id)) AS n_src "
                "FROM events e JOIN articles a USING (article_id) GROUP BY 1")
        }
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
            for row in rows:
                writer.writerow(gdelt_row(row, sizes))
        return len(rows)
    flat = [flat_event(r) for r in rows]
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for r in flat:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        with out.open("w", newline="", encoding="utf-8") as fh:
            if flat:
                writer = csv.DictWriter(fh, fieldnames=list(flat[0]))
                writer.writeheader()
                writer.writerows(flat)
    else:
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(flat), out)
    return len(rows)
