"""searchset Bundles: the entries of one page, the total, and the paging links."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import flask

from caremap.core.clock import now
from caremap.fhir.parameters import EverythingArgs
from caremap.fhir.patient import instant
from caremap.fhir.record import Entry
from caremap.fhir.systems import RESOURCE_TYPES


def in_scope(entry: Entry, args: EverythingArgs) -> bool:
    """$everything's filters: start/end are care dates (a resource is in when its care
    overlaps them; one with no care date always is), _type the kinds wanted, _since the
    resources changed after the instant. The Patient is always returned."""
    if entry.type == "Patient":
        return True
    if args.types is not None and entry.type not in args.types:
        return False
    if args.start and entry.care_end and entry.care_end < args.start:
        return False
    if args.end and entry.care_start and entry.care_start > args.end:
        return False
    if args.since is not None:
        changed = entry.last_updated
        if changed is None:  # a flag is worked out afresh on each read: it is current
            return True
        return dt.datetime.fromisoformat(changed.replace("Z", "+00:00")) > args.since
    return True


def _order(entry: Entry) -> tuple[int, str]:
    resource = entry.resource
    return RESOURCE_TYPES.index(resource["resourceType"]), resource["id"].rjust(20, "0")


def _url(base: str, query: dict[str, Any]) -> str:
    pairs = [(k, v) for k, v in query.items() if v is not None]
    return f"{base}?{urlencode(pairs, doseq=True)}" if pairs else base


def searchset(
    entries: list[dict[str, Any]],
    *,
    total: int,
    count: int,
    offset: int,
    query: dict[str, Any],
    outcomes: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """One page of a search: `entries` are this page's resources (search mode "match"),
    `query` the request's own parameters (without _offset), kept in every link so a
    client following `next` asks the same question."""
    base = flask.request.base_url
    links = [
        {
            "relation": "self",
            "url": _url(base, {**query, "_count": count, "_offset": offset or None}),
        }
    ]
    links.append({"relation": "first", "url": _url(base, {**query, "_count": count})})
    if offset > 0:
        previous = max(0, offset - count)
        links.append(
            {
                "relation": "previous",
                "url": _url(base, {**query, "_count": count, "_offset": previous or None}),
            }
        )
    if offset + count < total:
        links.append(
            {
                "relation": "next",
                "url": _url(base, {**query, "_count": count, "_offset": offset + count}),
            }
        )
    last = max(0, (total - 1) // count * count)
    links.append(
        {"relation": "last", "url": _url(base, {**query, "_count": count, "_offset": last or None})}
    )
    server = flask.request.host_url.rstrip("/") + "/fhir/"
    bundle_entries = [
        {
            "fullUrl": f"{server}{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "match"},
        }
        for resource in entries
    ]
    bundle_entries += [{"resource": outcome, "search": {"mode": "outcome"}} for outcome in outcomes]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "meta": {"lastUpdated": instant(now())},
        "total": total,
        "link": links,
        "entry": bundle_entries,
    }


def everything_page(
    entries: list[Entry], args: EverythingArgs, outcomes: list[dict[str, Any]]
) -> dict[str, Any]:
    wanted = sorted((e for e in entries if in_scope(e, args)), key=_order)
    page = wanted[args.offset : args.offset + args.count]
    query = {
        "start": flask.request.args.get("start"),
        "end": flask.request.args.get("end"),
        "_since": flask.request.args.get("_since"),
        "_type": flask.request.args.getlist("_type") or None,
    }
    return searchset(
        [e.resource for e in page],
        total=len(wanted),
        count=args.count,
        offset=args.offset,
        query=query,
        outcomes=outcomes if args.offset == 0 else [],
    )
