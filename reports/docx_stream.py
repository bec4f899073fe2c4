"""A long DOCX written into its zip piece by piece, from the paragraphs of a docxtpl template.

docxtpl renders a whole body as one Jinja string, parses it and serialises it again: for the
annex of 800 organisations that was a 26.7 M-character string and its lxml tree at once. Here
the template's own paragraphs are the patterns: each is filled with escaped values and written
to ``word/document.xml`` while the next one is made, so memory holds one measure at a time. The
output is the XML docxtpl makes from the same template (tests/summary/test_annex_stream.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from functools import cache

from docxtpl import DocxTemplate
from markupsafe import escape

from templates import TEMPLATES_DIR

DOCUMENT = "word/document.xml"
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?/>|<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_TAG = re.compile(r"\{\{ ([\w.]+) \}\}")
_STATEMENT = re.compile(r"\{%-? *(.*?) *-?%\}")
_RUN = re.compile(r"<w:r(?: [^>]*)?>.*?</w:r>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)
_PPR = re.compile(r"<w:pPr>.*?</w:pPr>", re.DOTALL)
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>", re.DOTALL)


class StreamTemplate:
    """A template's body split at its Jinja statements into runs of paragraphs.

    ``blocks`` is the sequence of ``{% … %}`` statements in order, and ``runs`` the paragraphs
    before, between and after them, so a caller can check the template still has the structure
    it writes.
    """

    def __init__(self, data: bytes, body: str) -> None:
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            xml = source.read(DOCUMENT).decode("utf-8")
        self.head = xml[: xml.index("<w:body>") + len("<w:body>")]
        # The body as docxtpl patches it before Jinja sees it: tags joined, {%p %} paragraphs
        # reduced to their statements, xml:space="preserve" where a tag is printed.
        inner = body[body.index(">") + 1 : body.rindex("</w:body>")]
        close = inner.rindex("<w:sectPr")
        self.tail = inner[close:] + "</w:body></w:document>"
        parts = _STATEMENT.split(inner[:close])
        self.blocks: list[str] = [s.strip() for s in parts[1::2]]
        self.runs: list[list[str]] = [_PARAGRAPH.findall(run) for run in parts[::2]]
        if "".join("".join(run) for run in self.runs) != "".join(parts[::2]):
            raise ValueError("template body: text outside paragraphs")

    def tagged(self, tag: str) -> str:
        """The one paragraph holding ``{{ tag }}``; a template without it fails loudly."""
        found = [p for run in self.runs for p in run if f"{{{{ {tag} }}}}" in p]
        if len(found) != 1:
            raise ValueError(f"template paragraph for {{{{ {tag} }}}}: {len(found)} found")
        return found[0]


@cache
def stream_template(name: str) -> StreamTemplate:
    path = TEMPLATES_DIR / "summary" / name
    patcher = DocxTemplate(path)
    patcher.init_docx()
    return StreamTemplate(path.read_bytes(), patcher.patch_xml(patcher.get_xml()))


def fill(paragraph: str, values: Mapping[str, str]) -> str:
    """The paragraph with each ``{{ name }}`` replaced by its value, escaped as Jinja would.

    A missing name raises KeyError (as StrictUndefined would). Tabs and line ends in a value
    become <w:tab/> and <w:br/> the way docxtpl's resolve_listing makes them.
    """
    filled = _TAG.sub(lambda m: str(escape(values[m.group(1)])), paragraph)
    if any(c in filled for c in "\t\n\a\f"):
        filled = _resolve_listing(filled)
    return filled


def _resolve_listing(paragraph: str) -> str:
    """docxtpl's resolve_listing for one paragraph (docxtpl/template.py), kept byte for byte."""
    found = _PPR.search(paragraph)
    ppr = found.group(0) if found else ""

    def run(m: re.Match[str]) -> str:
        found = _RPR.search(m.group(0))
        rpr = found.group(0) if found else ""

        def text(t: re.Match[str]) -> str:
            xml = t.group(0).replace(
                "\t", f'</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space="preserve">'
            )
            xml = xml.replace(
                "\a", f'</w:t></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">'
            )
            xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            return xml.replace(
                "\f",
                '</w:t></w:r></w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
                f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">',
            )

        return _TEXT.sub(text, m.group(0))

    return _RUN.sub(run, paragraph)


def write_docx(template: StreamTemplate, chunks: Iterable[str]) -> bytes:
    """The template's package with its body replaced by ``chunks``, written as they come."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != DOCUMENT:
                target.writestr(info, source.read(info.filename), zipfile.ZIP_DEFLATED)
                continue
            with target.open(DOCUMENT, "w") as body:
                body.write(template.head.encode("utf-8"))
                for chunk in chunks:
                    body.write(chunk.encode("utf-8"))
                body.write(template.tail.encode("utf-8"))
    return out.getvalue()
