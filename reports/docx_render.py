"""Filling a docxtpl template from templates/summary/ safely: every value escaped, tags strict."""

from __future__ import annotations

import io
import re
from datetime import datetime, tzinfo
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from templates import TEMPLATES_DIR, render

# Characters XML 1.0 forbids. docxtpl would also turn \a and \f into paragraph and page breaks.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """User text made safe to put into a document: line ends unified, forbidden characters gone."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def made_on(moment: datetime, zone: tzinfo) -> str:
    """The date a document was made, in the council's zone: "1 грудня 2026 року"."""
    return render("summary/long_date.txt", day=moment.astimezone(zone).date())


def render_docx(template_name: str, context: dict[str, Any]) -> bytes:
    """The filled template as DOCX bytes.

    Values reach docxtpl only as context and are XML-escaped by Jinja's autoescape, so a
    narrative such as "{{ x }}" or "a < b & c" is printed as typed. StrictUndefined: a tag
    mistyped while editing the template in Word fails loudly instead of leaving a silent blank
    in a signed document.
    """
    template = DocxTemplate(TEMPLATES_DIR / "summary" / template_name)
    environment = Environment(autoescape=True, undefined=StrictUndefined)
    template.render(context, jinja_env=environment, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
