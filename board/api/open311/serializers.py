"""Open311 GeoReport v2 shapes, field by field as the specification
(http://wiki.open311.org/GeoReport_v2) names them: the discovery document,
services, a service definition and service requests out; GET requests'
arguments and POST requests' form in.

Rows are plain dicts and lists, rendered as JSON or as the specification's
XML (``renderers``). A message becomes a service request through its public
version only: the redacted text where a moderator redacted it, never an
author's name, phone or e-mail, never a moderation note.
"""

import html
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from rest_framework.exceptions import ValidationError

from board.actions import MessageDraft
from board.ids import parse_id
from board.lifecycle import ANSWERED_STATUSES
from board.models import Category, Message, MessageKind, Region

from . import selectors
from .selectors import RequestFilters

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = ["text/xml", "application/json"]
# GET requests: the default window, and the longest one may ask for.
WINDOW = timedelta(days=90)
# A title made from the description when attribute[title] is not given.
DERIVED_TITLE_LENGTH = 30
# Block ends in a reply's HTML that become line breaks in status_notes.
BLOCK_ENDS = re.compile(r"(?i)<br\s*/?>|</(p|li|h[1-6]|blockquote|pre)>")
# A numeric time-zone offset whose "+" a query string turned into a space.
SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


# --- Out: dates, discovery, services ----------------------------------------


def w3c(value: datetime | None) -> str | None:
    """A time in the W3C profile of ISO 8601, with the site's UTC offset."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def end_of_day(value: date | None) -> str | None:
    """A due date as the last second of that day, in the site's time."""
    if value is None:
        return None
    moment = datetime.combine(value, time(23, 59, 59))
    return w3c(timezone.make_aware(moment))


def discovery(*, endpoint_url: str, changeset: str, contact: str, key_service: str):
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": changeset,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }


def keywords(category: Category) -> str:
    """The routing keywords (separated by commas, spaces or 、) as the
    specification's comma-separated list."""
    words = re.split(r"[\s,，、;；]+", category.routing_keywords)
    return ", ".join(word for word in words if word)


def service(category: Category) -> dict:
    return {
        "service_code": category.slug,
        "service_name": category.display_name,
        "description": _("Messages to officials and departments about %(category)s.")
        % {"category": category.display_name},
        # Every service asks for the region, kind and addressee.
        "metadata": True,
        "type": "realtime",
        "keywords": keywords(category),
        "group": pgettext("open311 service group", "Messages to the government"),
    }


# --- Out: a service definition ------------------------------------------------


def _choice(key, name) -> dict:
    return {"key": str(key), "name": str(name)}


def _region_name(region: Region) -> str:
    if region.parent is None:
        return region.display_name
    return f"{region.display_name} ({region.parent.display_name})"


def _attribute(order, code, datatype, required, description, values=()) -> dict:
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": None,
        "order": order,
        "description": description,
        "values": list(values),
    }


def service_definition(category: Category, *, regions, officials, departments):
    """The attributes a request for ``category`` takes. The contact phone
    is not among them: it is given on the site, where its use is explained.
    """
    return {
        "service_code": category.slug,
        "attributes": [
            _attribute(
                1,
                "region",
                "singlevaluelist",
                True,
                _(
                    "The region the message is about, by its administrative "
                    "code. It is the request's location: latitude and "
                    "longitude are not used."
                ),
                [_choice(region.code, _region_name(region)) for region in regions],
            ),
            _attribute(
                2,
                "kind",
                "singlevaluelist",
                True,
                _("What kind of message this is."),
                [_choice(kind.value, kind.label) for kind in MessageKind],
            ),
            _attribute(
                3,
                "title",
                "string",
                False,
                _(
                    "A short title (at most %(limit)d characters). Without "
                    "one, the first words of the description are used."
                )
                % {"limit": Message.TITLE_MAX_LENGTH},
            ),
            _attribute(
                4,
                "official",
                "singlevaluelist",
                False,
                _(
                    "The official the message is addressed to. Give either "
                    "an official or a department, serving the region."
                ),
                [_choice(official.pk, official) for official in officials],
            ),
            _attribute(
                5,
                "department",
                "singlevaluelist",
                False,
                _(
                    "The department the message is addressed to. Give either "
                    "an official or a department, serving the region."
                ),
                [_choice(department.pk, department) for department in departments],
            ),
            _attribute(
                6,
                "public",
                "singlevaluelist",
                False,
                _(
                    "Whether the message appears on the public board once "
                    "reviewed (the default) or only its addressee reads it."
                ),
                [
                    _choice("true", _("Public")),
                    _choice("false", _("Private")),
                ],
            ),
        ],
    }


# --- Out: service requests ------------------------------------------------------


def html_to_text(value: str) -> str:
    """A reply's sanitized HTML as plain text with its paragraph breaks."""
    text = html.unescape(strip_tags(BLOCK_ENDS.sub("\n", value)))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def address(region: Region) -> str:
    """The region and those above it, most specific first, as the
    specification orders an address."""
    names = []
    current = region
    while current is not None:
        names.append(current.display_name)
        current = current.parent
    return ", ".join(names)


def service_request(message: Message, *, build_absolute_uri) -> dict:
    """A public message as a service request. ``message`` comes from
    ``selectors.service_requests`` (its final replies and public photos
    prefetched)."""
    final_reply = message.final_replies[0] if message.final_replies else None
    photo = message.public_photos[0] if message.public_photos else None
    return {
        "service_request_id": message.reference,
        "status": "closed" if message.status in ANSWERED_STATUSES else "open",
        "status_notes": (
            html_to_text(final_reply.shown_body_html) if final_reply else None
        ),
        "service_name": message.category.display_name,
        "service_code": message.category.slug,
        "description": message.shown_body,
        "agency_responsible": str(message.addressee),
        "service_notice": None,
        "requested_datetime": w3c(message.published_at or message.created_at),
        "updated_datetime": w3c(message.updated_at),
        "expected_datetime": end_of_day(message.due_date),
        "address": address(message.region),
        "address_id": message.region.code,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": (
            build_absolute_uri(photo.get_absolute_url()) if photo is not None else None
        ),
    }


def created(message: Message) -> dict:
    """POST requests' answer: the reference, and what happens next."""
    return {
        "service_request_id": message.reference,
        "service_notice": _(
            "Your message awaits review by the moderators. Once approved it "
            "is sent to its addressee and, if public, shown on the board."
        ),
        "account_id": None,
    }


# --- In: GET requests' arguments ------------------------------------------------


def _listed(value: str | None) -> list[str]:
    """A comma-separated argument; an empty one is as if not given."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _moment(name: str, value: str | None, errors: dict) -> datetime | None:
    """A W3C date or time; a time without an offset is in the site's zone,
    a bare date is its midnight."""
    text = (value or "").strip()
    if not text:
        return None
    text = SPACED_OFFSET.sub(r"+\1", text) if "T" in text else text
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        errors[name] = [
            _("Give a date and time in W3C format, e.g. 2026-01-31T00:00:00+08:00.")
        ]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def request_filters(query) -> RequestFilters:
    """GET requests' arguments, or a 400 naming each one at fault.

    Without dates the window is the last 90 days; with one of them, the 90
    days after the start or before the end; with both, at most 90 days.
    """
    errors: dict[str, list[str]] = {}
    references, ids = [], []
    for item in _listed(query.get("service_request_id")):
        if item.isascii() and item.isdigit():
            # An id no column can hold finds nothing, as in URL paths.
            number = parse_id(item)
            if number is not None:
                ids.append(number)
        else:
            references.append(item.upper())
    statuses = _listed(query.get("status"))
    unknown = [status for status in statuses if status not in ("open", "closed")]
    if unknown:
        errors["status"] = [_("A status is open or closed.")]
    start = _moment("start_date", query.get("start_date"), errors)
    end = _moment("end_date", query.get("end_date"), errors)
    if start is not None and end is not None:
        if end < start:
            errors["end_date"] = [_("The end date is before the start date.")]
        elif end - start > WINDOW:
            errors["end_date"] = [_("The dates may not span more than 90 days.")]
    if errors:
        raise ValidationError(errors)
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    return RequestFilters(
        start=start,
        end=end,
        references=references,
        ids=ids,
        service_codes=_listed(query.get("service_code")),
        statuses=statuses,
    )


# --- In: POST requests' form ------------------------------------------------------

# The domain's names for what a draft holds (board.actions.validate_draft),
# as the form names them; an action's refusal names the form's field.
FORM_FIELDS = {
    "region": "attribute[region]",
    "kind": "attribute[kind]",
    "title": "attribute[title]",
    "body": "description",
    "category": "service_code",
    "addressee_official": "attribute[official]",
    "addressee_department": "attribute[department]",
    "is_public": "attribute[public]",
}


def _attribute_value(data, code: str) -> str:
    """``attribute[code]`` of a form (the specification's encoding)."""
    value = data.get(f"attribute[{code}]", "")
    return value.strip() if isinstance(value, str) else ""


def derived_title(description: str) -> str:
    """A title from the description's first line: its first 30 characters,
    with an ellipsis when cut."""
    first_line = next(
        (line.strip() for line in description.splitlines() if line.strip()), ""
    )
    if len(first_line) <= DERIVED_TITLE_LENGTH:
        return first_line
    return first_line[: DERIVED_TITLE_LENGTH - 1].rstrip() + "…"


def submission_draft(data, category: Category) -> MessageDraft:
    """POST requests' form as a draft, or a 400 naming each field at fault.

    The location is ``attribute[region]``; ``lat``/``long`` and
    ``address_id`` are not used, and an ``address_string`` becomes the
    body's last line. The submitter's identity comes from the api_key
    alone: ``email``, ``first_name``, ``last_name``, ``phone``,
    ``account_id`` and ``device_id`` are ignored, as is ``media_url`` (no
    remote file is fetched).
    """
    errors: dict[str, list[str]] = {}

    region = None
    region_code = _attribute_value(data, "region")
    if not region_code:
        errors["attribute[region]"] = [_("Give the region's code.")]
    else:
        region = selectors.region_by_code(region_code)
        if region is None:
            errors["attribute[region]"] = [
                _("No region has the code “%(code)s”.") % {"code": region_code}
            ]

    kind = _attribute_value(data, "kind")
    if kind not in MessageKind.values:
        errors["attribute[kind]"] = [
            _("Give one of: %(kinds)s.") % {"kinds": ", ".join(MessageKind.values)}
        ]

    description = data.get("description", "")
    description = description.strip() if isinstance(description, str) else ""
    if not description:
        errors["description"] = [_("Write the message in description.")]

    official = department = None
    official_id = _attribute_value(data, "official")
    department_id = _attribute_value(data, "department")
    if official_id:
        official = selectors.official_by_id(official_id)
        if official is None:
            errors["attribute[official]"] = [_("No such official.")]
    if department_id:
        department = selectors.department_by_id(department_id)
        if department is None:
            errors["attribute[department]"] = [_("No such department.")]
    if not official_id and not department_id:
        errors["attribute[official]"] = [
            _("Give attribute[official] or attribute[department]: whom to write to.")
        ]

    public = _attribute_value(data, "public").lower() or "true"
    if public not in ("true", "false"):
        errors["attribute[public]"] = [_("Give true or false.")]

    if errors:
        raise ValidationError(errors)

    body = description
    address_string = data.get("address_string", "")
    if isinstance(address_string, str) and address_string.strip():
        body = "{}\n\n{}".format(
            body,
            _("Address: %(address)s") % {"address": address_string.strip()},
        )
    title = _attribute_value(data, "title") or derived_title(description)
    return MessageDraft(
        region=region,
        category=category,
        kind=kind,
        title=title,
        body=body,
        addressee_official=official,
        addressee_department=department,
        is_public=public == "true",
    )
