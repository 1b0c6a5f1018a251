"""The open data: each dataset (meetings, results, opinions) as records with a published JSON
Schema, written as JSON or CSV (UTF-8 with a BOM, so spreadsheets read the accents), and the DCAT
catalogue a city's open-data portal harvests.  Built from :mod:`.public` only."""
from __future__ import annotations

import csv
import datetime as dt
import io

import placette

from . import public
from .settings import instance_settings

DATASET_TITLES = {
    "meetings": "Public meetings of the councils",
    "results": "Results of the councils' votes",
    "opinions": "Opinions adopted by the councils",
}
BASE_COLUMNS = ("id", "council", "council_slug", "category", "title", "url", "decided_at",
                "answer_status", "published_at", "updated_at", "licence")


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with its offset (times are kept as naive UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.isoformat()


def licence() -> dict:
    settings = instance_settings()
    return {"name": settings.licence_name, "url": settings.licence_url}


def base_url() -> str:
    return placette.current_config().base_url.rstrip("/")


def _scalars(data) -> dict:
    return {k: v for k, v in (data or {}).items()
            if isinstance(v, (str, int, float, bool)) or v is None}


def records(dataset: str) -> list[dict]:
    lic = licence()["name"]
    base = base_url()
    out = []
    for (uuid, item_id, slug, name, category, title, decided_at, answer_status, published_at,
         updated_at, data) in public.records(dataset):
        out.append({"id": f"urn:uuid:{uuid}", "council": name, "council_slug": slug,
                    "category": category, "title": title,
                    "url": f"{base}/vitrine/{slug}/{item_id}",
                    "decided_at": iso(decided_at), "answer_status": answer_status,
                    "published_at": iso(published_at), "updated_at": iso(updated_at),
                    "licence": lic, "data": _scalars(data)})
    return out


def as_json(dataset: str) -> dict:
    return {"dataset": dataset, "title": DATASET_TITLES[dataset], "licence": licence(),
            "schema": f"{base_url()}/vitrine/data/{dataset}.schema.json",
            "records": records(dataset)}


def as_csv(dataset: str) -> bytes:
    """The records of :func:`records` as CSV, written from the rows directly (no dict per
    record): the columns of ``BASE_COLUMNS``, then ``data.<key>`` for every key met."""
    lic = _cell(licence()["name"])
    base = base_url()
    rows = [(row, _scalars(row[-1])) for row in public.records(dataset)]
    data_keys = sorted({k for _row, data in rows for k in data})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*BASE_COLUMNS, *(f"data.{k}" for k in data_keys)])
    for (uuid, item_id, slug, name, category, title, decided_at, answer_status, published_at,
         updated_at, _data), data in rows:
        writer.writerow([f"urn:uuid:{uuid}", _cell(name), _cell(slug), _cell(category),
                         _cell(title), _cell(f"{base}/vitrine/{slug}/{item_id}"),
                         iso(decided_at) or "", _cell(answer_status), iso(published_at) or "",
                         iso(updated_at) or "", lic, *(_cell(data.get(k)) for k in data_keys)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text[:1] in ("=", "+", "-", "@") and not _number(text):  # no formula in a spreadsheet
        text = "'" + text
    return text


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def schema(dataset: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``/vitrine/data/<dataset>.json``."""
    scalar = {"type": ["string", "number", "integer", "boolean", "null"]}
    date = {"type": ["string", "null"], "format": "date-time"}
    record = {
        "type": "object", "additionalProperties": False,
        "required": [*BASE_COLUMNS, "data"],
        "properties": {
            "id": {"type": "string", "pattern": "^urn:uuid:"},
            "council": {"type": "string"}, "council_slug": {"type": "string"},
            "category": {"type": "string", "enum": list(placette.SHOWCASE_CATEGORIES)},
            "title": {"type": "string"}, "url": {"type": "string", "format": "uri"},
            "decided_at": date, "answer_status": {"type": ["string", "null"]},
            "published_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "licence": {"type": "string"},
            "data": {"type": "object", "additionalProperties": scalar},
        }}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url()}/vitrine/data/{dataset}.schema.json",
        "title": DATASET_TITLES[dataset], "type": "object", "additionalProperties": False,
        "required": ["dataset", "title", "licence", "schema", "records"],
        "properties": {
            "dataset": {"const": dataset}, "title": {"type": "string"},
            "licence": {"type": "object", "required": ["name", "url"],
                        "properties": {"name": {"type": "string"},
                                       "url": {"type": "string", "format": "uri"}}},
            "schema": {"type": "string", "format": "uri"},
            "records": {"type": "array", "items": record}}}


def catalog() -> dict:
    """DCAT (W3C, JSON-LD) description of the datasets, for the city's open-data portal."""
    base = base_url()
    lic = licence()
    city = placette.current_config().city
    datasets = []
    for name, title in DATASET_TITLES.items():
        newest = public.items(dataset=name, limit=1, newest=True)
        entry = {
            "@id": f"{base}/vitrine/data/#{name}", "@type": "dcat:Dataset",
            "dct:identifier": name, "dct:title": title, "dct:license": {"@id": lic["url"]},
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": city},
            "dcat:landingPage": {"@id": f"{base}/vitrine/data/"},
            "dcat:distribution": [
                {"@type": "dcat:Distribution", "dct:format": fmt, "dcat:mediaType": media,
                 "dcat:downloadURL": {"@id": f"{base}/vitrine/data/{name}.{ext}"},
                 "dct:license": {"@id": lic["url"]},
                 "dct:conformsTo": {"@id": f"{base}/vitrine/data/{name}.schema.json"}}
                for ext, fmt, media in (("csv", "CSV", "text/csv"),
                                        ("json", "JSON", "application/json"))]}
        if newest:
            entry["dct:modified"] = iso(newest[0].updated_at)
        datasets.append(entry)
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/"},
        "@id": f"{base}/vitrine/data/catalog.jsonld", "@type": "dcat:Catalog",
        "dct:title": f"{city} -- open data of the councils",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": city},
        "dct:license": {"@id": lic["url"]}, "dcat:dataset": datasets}
