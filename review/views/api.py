"""The platform API under /api/v1/ (docs/api.md, described by /api/v1/openapi.json): JSON in and out, a bearer
token with scopes on every call but the description, a rate limit per token, and every request audited."""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for

from store import submissions
from store.outbox import decisions_since

from ..api import (ApiError, api_settings, audit, check_listing, limiter, listings_of, read_json, scanner,
                   thread_store, token_cache, verdict, write_lock)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
OPENAPI = files("review") / "data" / "openapi.json"  # importlib.resources: also from a zip


def db():
    return thread_store(current_app.config["FENTWATCH_DB"])


SCOPE = {"api.scan": "scan", "api.submit": "submit", "api.listing": "read", "api.decisions": "read"}


@bp.before_request
def _authenticate():
    g.api_token, g.api_listings = None, 0
    if request.endpoint not in SCOPE:
        return None
    auth = request.headers.get("Authorization", "")
    token = token_cache.get(db(), auth[7:].strip() if auth[:7].lower() == "bearer " else None,
                            api_settings().get("auth", {}).get("token_cache_seconds", 1.0))
    if token is None:
        raise ApiError(401, "missing, unknown or revoked token: send Authorization: Bearer <token>", "Authorization")
    g.api_token = token
    if SCOPE[request.endpoint] not in token.scopes:
        raise ApiError(403, f"this token lacks the '{SCOPE[request.endpoint]}' scope", "Authorization")
    wait = limiter.wait(token.id, token.rate_per_minute or api_settings()["rate"]["per_minute"])
    if wait:
        raise ApiError(429, f"rate limit reached: retry in {wait} s", None, {"Retry-After": str(wait)})
    return None


@bp.after_request
def _audit(resp: Response) -> Response:
    token = g.get("api_token")
    outcome = "ok" if resp.status_code < 400 else (resp.get_json(silent=True) or {}).get("error", resp.status)
    audit(current_app.config["FENTWATCH_DB"]).put(token.id if token else None, request.method, request.path,
                                                  g.get("api_listings", 0), resp.status_code, str(outcome))
    return resp


@bp.errorhandler(ApiError)
def _api_error(err: ApiError):
    return jsonify(err.body()), err.status, err.headers or {}


def body() -> object:
    """The request's JSON, refused with 413 beyond [limits] max_body_bytes before any of it is parsed."""
    limit = api_settings()["limits"]["max_body_bytes"]
    if (request.content_length or 0) > limit:
        raise ApiError(413, f"the body is {request.content_length} bytes; at most {limit}", "body")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise ApiError(413, f"the body is over {limit} bytes", "body")
    g.api_raw = raw
    return read_json(raw)


@bp.post("/scan")
def scan():
    listings, batch = listings_of(body())
    g.api_listings = len(listings)
    results = [dict(r, verdict=verdict(r)) for r in scanner.scan(listings, db())]
    return jsonify({"results": results} if batch else results[0])


@bp.post("/listings")
def submit():
    listing = check_listing(body())
    g.api_listings = 1
    platform, conn = g.api_token.platform, db()
    done = submissions.unchanged(conn, platform, listing)
    result = None
    if done is None:
        result = scanner.scan([listing], conn)[0]
        with write_lock:
            done = submissions.submit(conn, platform, listing, g.api_raw, result, *scanner.versions())
    return jsonify({"id": listing["id"], "fentwatch_id": done.listing_id, "outcome": done.outcome,
                    "version": done.version, "status": done.status, "flagged": done.flagged,
                    "verdict": verdict(result or submissions.stored_result(conn, done.listing_id)),
                    "review_url": url_for("listing.listing_view", listing_id=done.listing_id, _external=True)}), \
        201 if done.outcome == "new" else 200


@bp.get("/listings/<path:listing_id>")
def listing(listing_id: str):
    state = submissions.listing_state(db(), g.api_token.platform, listing_id)
    if state is None:
        raise ApiError(404, f"no listing {listing_id!r} on platform {g.api_token.platform!r}", "id")
    return jsonify(state)


@bp.get("/decisions")
def decisions():
    since, limit = request.args.get("since", "0"), request.args.get("limit", "100")
    if not since.isdigit():
        raise ApiError(400, "'since' must be a cursor (a non-negative integer) from an earlier answer", "since")
    if not limit.isdigit() or not 1 <= int(limit) <= 1000:
        raise ApiError(400, "'limit' must be an integer from 1 to 1000", "limit")
    events = decisions_since(db(), g.api_token.platform, int(since), int(limit))
    return jsonify({"decisions": events, "cursor": events[-1]["cursor"] if events else int(since),
                    "more": len(events) == int(limit)})


@bp.get("/openapi.json")
def openapi():
    return Response(OPENAPI.read_text(encoding="utf-8"), mimetype="application/json")
