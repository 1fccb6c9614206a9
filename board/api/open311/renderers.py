"""Open311's two formats: JSON, and the schemaless XML the specification
defines, with UTF-8 in the Content-Type of both.

The XML is written with the standard library's ElementTree rather than a
package: DRF ships no XML renderer, and djangorestframework-xml's shape
(``<root><list-item>…``) is not the specification's, whose element names
come from the resource (``<services><service>…``,
``<service_requests><request>…``, ``<errors><error>…``). The JSON is the
same data, as the specification's "Spark convention" maps one to the other:
a list in JSON is a plural element in XML holding one singular element per
item.
"""

import re
from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer, JSONRenderer

# The element that holds each item of a list, by the list's element name.
ITEM_ELEMENTS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Characters XML 1.0 cannot carry at all, even escaped: dropped, so that a
# stray control character in a message never makes the document unreadable.
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


class Open311JSONRenderer(JSONRenderer):
    """DRF's JSON, answered as ``application/json; charset=utf-8`` as the
    specification asks (DRF's own names no charset)."""

    charset = "utf-8"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML_CHARACTERS.sub("", str(value))


def _fill(element: ElementTree.Element, value) -> None:
    """Write ``value`` into ``element``: an object's keys as children, a
    list's items as singular children, anything else as text."""
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        item_name = ITEM_ELEMENTS[element.tag]
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(data, root: str) -> bytes:
    """``data`` as an XML document whose root element is ``root``."""
    element = ElementTree.Element(root)
    _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return XML_DECLARATION + body.encode("utf-8")


class Open311XMLRenderer(BaseRenderer):
    """The specification's XML. The root element is the view's ``xml_root``
    (``services``, ``service_definition`` …); an error answer's is
    ``errors``."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        context = renderer_context or {}
        response = context.get("response")
        if response is not None and response.exception:
            root = "errors"
        else:
            root = getattr(context.get("view"), "xml_root", "response")
        return to_xml(data, root)
