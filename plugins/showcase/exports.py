"""The open data: each dataset (meetings, results, opinions) as records with a published JSON
Schema, written as JSON or CSV (UTF-8 with a BOM, so spreadsheets read the accents), and the DCAT
catalogue a city's open-data portal harvests.  Built from :mod:`.public` only."""
from __future__ import annotations

import json
import re

import placette

from . import public, records
from .records import iso  # noqa: F401  (the API writes its dates with it)
from .settings import instance_settings

DATASET_TITLES = {
    "meetings": "Public meetings of the councils",
    "results": "Results of the councils' votes",
    "opinions": "Opinions adopted by the councils",
}
BASE_COLUMNS = ("id", "council", "council_slug", "category", "title", "url", "decided_at",
                "answer_status", "published_at", "updated_at", "licence")


def licence() -> dict:
    settings = instance_settings()
    return {"name": settings.licence_name, "url": settings.licence_url}


def base_url() -> str:
    return placette.current_config().base_url.rstrip("/")


def _pieces(dataset: str, fmt: str) -> list[tuple]:
    """``(id, uuid, slug, name, *pieces)`` of the dataset's records, newest first: stored
    pieces, or -- for a row written without them -- pieces built now from its columns."""
    rows = public.export_rows(dataset, fmt)
    missing = [row[0] for row in rows if row[4] is None]
    if not missing:
        return rows
    names = public.EXPORT_PIECES[fmt]
    built = {item_id: records.pieces(*fields)
             for item_id, fields in public.record_fields(missing).items()}
    out = []
    for row in rows:
        if row[4] is None:
            found = built.get(row[0])
            if found is None:  # deleted between the two queries
                continue
            row = (*row[:4], *(found[name] for name in names))
        out.append(row)
    return out


#: Characters that make the csv module quote a cell, or the JSON writer escape a string.
_CSV_SPECIAL = re.compile(r'[,"\r\n]')
_JSON_SPECIAL = re.compile(r'[\x00-\x1f"\\]')


def _csv_text(value: str) -> str:
    """A cell that needs no formula guard (an address, a uuid), quoted if needed."""
    return records.line([value]) if _CSV_SPECIAL.search(value) else value


def _json_text(value: str) -> str:
    return records.dumps(value) if _JSON_SPECIAL.search(value) else f'"{value}"'


def as_json_text(dataset: str) -> str:
    """``/vitrine/data/<dataset>.json``, compact: the document's head, then each record joined
    from its stored pieces -- byte for byte what ``json.dumps`` writes of the document
    ``{"dataset", "title", "licence", "schema", "records"}``."""
    lic = licence()
    base = base_url()
    head = records.dumps({"dataset": dataset, "title": DATASET_TITLES[dataset], "licence": lic,
                          "schema": f"{base}/vitrine/data/{dataset}.schema.json", "records": []})
    lic_name = records.dumps(lic["name"])
    councils: dict[tuple, tuple] = {}
    out = []
    for item_id, uuid, slug, name, json_head, json_tail, json_data in _pieces(dataset, "json"):
        council = councils.get((slug, name))
        if council is None:
            prefix = f"{base}/vitrine/{slug}/"
            council = councils[(slug, name)] = (
                f',"council":{records.dumps(name)},"council_slug":{records.dumps(slug)},',
                prefix if _JSON_SPECIAL.search(prefix) is None else None)
        url = (f'"{council[1]}{item_id}"' if council[1] is not None
               else records.dumps(f"{base}/vitrine/{slug}/{item_id}"))
        out.append(f'{{"id":{_json_text("urn:uuid:" + uuid)}{council[0]}{json_head},'
                   f'"url":{url},{json_tail},"licence":{lic_name},"data":{json_data}}}')
    return f'{head[:-2]}{",".join(out)}]}}'


def as_csv(dataset: str) -> bytes:
    """``/vitrine/data/<dataset>.csv``: the columns of ``BASE_COLUMNS``, then ``data.<key>`` for
    every key met, each row joined from its item's stored pieces -- byte for byte what the csv
    module writes of the cells (UTF-8 with a BOM, CRLF line ends)."""
    lic = records.line([records.cell(licence()["name"])])
    base = base_url()
    rows = _pieces(dataset, "csv")
    key_sets = {keys: json.loads(keys) for keys in {row[6] for row in rows}}
    data_keys = sorted({k for keys in key_sets.values() for k in keys})
    every = records.dumps(data_keys)
    # A row holding every key prints its stored cells; any other is spread over the columns.
    spread = {keys: None if keys == every else found for keys, found in key_sets.items()}
    councils: dict[tuple, tuple] = {}
    out = [records.line([*BASE_COLUMNS, *(f"data.{k}" for k in data_keys)]), "\r\n"]
    for item_id, uuid, slug, name, csv_head, csv_tail, csv_keys, csv_cells in rows:
        council = councils.get((slug, name))
        if council is None:
            prefix = records.cell(f"{base}/vitrine/{slug}/")
            council = councils[(slug, name)] = (
                records.line([records.cell(name), records.cell(slug)]),
                prefix if _CSV_SPECIAL.search(prefix) is None else None)
        url = (f"{council[1]}{item_id}" if council[1] is not None
               else records.line([records.cell(f"{base}/vitrine/{slug}/{item_id}")]))
        keys = spread[csv_keys]
        if keys is not None:
            values = dict(zip(keys, records.split(csv_cells)))
            csv_cells = records.line([values.get(k, "") for k in data_keys])
        out.append(f"{_csv_text('urn:uuid:' + uuid)},{council[0]},{csv_head},{url},{csv_tail},"
                   f"{lic}{',' if data_keys else ''}{csv_cells}\r\n")
    return ("\ufeff" + "".join(out)).encode("utf-8")


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
