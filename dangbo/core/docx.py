"""Every Word file the system fills from a docxtpl template goes through :func:`render`.

docxtpl renders the document's XML with Jinja2. Two things are wrong with its defaults for us:

* the template is code: an uploaded template with ``{{ lipsum.__globals__['os'].popen('id').read() }}``
  runs a command on the server. Templates are rendered in Jinja's :class:`SandboxedEnvironment` without
  its global functions, and an uploaded template is first checked by :func:`check_template`, which accepts
  only the plain forms docxtpl documents (the known variables, ``obj.attr`` on a loop item, ``{% for %}``
  over a known list, ``{% if %}``, a few filters) and names the expression it refuses;
* the values are text, the sink is XML: "Kế hoạch & Đầu tư" broke the file (or lost its ``&``) and a name
  with ``</w:t>`` could add Word markup. Autoescape is on, so every value is written literally.
"""

import io
import re
from html import unescape
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from dangbo.core import uploads

# Filters an uploaded template may use (with constant arguments only).
FILTERS = frozenset({"upper", "lower", "title", "capitalize", "trim", "length", "count", "default", "d", "first",
                     "last", "join", "round", "int"})  # fmt: skip
TESTS = frozenset({"defined", "undefined", "none", "number", "string", "even", "odd"})
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
COMPARISONS = frozenset({"eq", "ne", "lt", "gt", "lteq", "gteq", "in", "notin"})
# The document properties docxtpl renders as templates too (DocxTemplate.render_properties).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
TEMPLATE_LIMITS = {"max_total": 30 * uploads.MB, "max_member": 20 * uploads.MB}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def environment():
    """The sandboxed, autoescaping Jinja environment every docx template is rendered in."""
    env = SandboxedEnvironment(autoescape=True)
    env.globals.clear()  # range, lipsum, cycler, joiner, namespace, dict: nothing a form needs
    env.filters.pop("safe", None)  # no template turns the escaping off
    return env


def _template(source):
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        def render_properties(self, context, jinja_env=None):
            # The document's properties are set through python-docx, which escapes them itself: rendered
            # with autoescape they would keep "&amp;". Still sandboxed.
            env = environment()
            env.autoescape = False
            super().render_properties(context, env)

    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    return Template(source)


def render(source, context, *, variables=None, lists=None):
    """The filled Word file (bytes). ``source``: a path, bytes or a binary file object.

    ``variables`` (names) and ``lists`` ({name: attribute names}) are given for a template that came from a
    user: it is checked first (:func:`check_template`), so a template stored before the check existed is
    refused here too.
    """
    if variables is not None:
        data = source.read_bytes() if isinstance(source, Path) else source
        if not isinstance(data, (bytes, bytearray)):
            data = data.read()
        check_template(data, variables, lists=lists)
        source = data
    doc = _template(source)
    doc.render(context, jinja_env=environment())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---- checking an uploaded template ------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, node, unknown=None):
        super().__init__()
        self.node = node
        self.unknown = unknown


def _sources(data):
    """The Jinja source of each part docxtpl renders: body, headers, footers, footnotes, properties."""
    doc = _template(io.BytesIO(data))
    doc.init_docx()
    parts = [doc.get_xml()]
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        parts += [doc.get_part_xml(part) for _key, part in doc.get_headers_footers(uri)]
    for part in doc.docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            parts.append(part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob)
    sources = [re.sub(r"<w:p([ >])", r"\n<w:p\1", doc.patch_xml(xml)) for xml in parts]
    sources += [getattr(doc.docx.core_properties, p) or "" for p in PROPERTIES]
    return sources


def _text(node):
    """A readable form of an expression node (when its tag cannot be found in the source)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_text(node.node)}[{_text(node.arg)}]"
    if isinstance(node, nodes.Call):
        return f"{_text(node.node)}(…)"
    if isinstance(node, nodes.Filter):
        return f"{_text(node.node)}|{node.name}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return type(node).__name__.lower()


def _key(node):
    """A word of the node's own text, to find its tag in the line."""
    for attr in ("attr", "name"):
        value = getattr(node, attr, None)
        if isinstance(value, str):
            return value
    for child in node.iter_child_nodes():
        return _key(child)
    return ""


def _expression(source, node):
    """The tag (``{{ … }}`` or ``{% … %}``) of ``source`` where ``node`` is, as the user typed it."""
    lines = source.splitlines()
    line = lines[node.lineno - 1] if 0 < node.lineno <= len(lines) else ""
    tags = [unescape(t) for t in _TAG.findall(re.sub(r"<[^>]+>", "", line))]
    key = _key(node)
    for tag in tags:
        if key and key in tag:
            return tag
    return tags[0] if len(tags) == 1 else _text(node)


class _Checker:
    def __init__(self, variables, lists):
        self.variables = set(variables)
        self.lists = {name: set(attrs) for name, attrs in (lists or {}).items()}
        self.unknown = []

    # statements
    def body(self, items, scope):
        for node in items:
            self.statement(node, scope)

    def statement(self, node, scope):
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, scope)
            for elif_ in node.elif_:
                self.statement(elif_, scope)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.For):
            if node.recursive or not isinstance(node.target, nodes.Name) or not isinstance(node.iter, nodes.Name):
                raise _Refused(node)
            if node.iter.name not in self.lists or node.iter.name in scope:
                if node.iter.name not in self.variables and node.iter.name not in scope:
                    self.unknown.append(node.iter.name)
                    return
                raise _Refused(node.iter)  # a loop over a text or a number
            inner = {**scope, node.target.name: self.lists[node.iter.name], "loop": LOOP_ATTRIBUTES}
            if node.test is not None:
                self.expr(node.test, inner)
            self.body(node.body, inner)
            self.body(node.else_, scope)
        else:
            raise _Refused(node)

    # expressions
    def expr(self, node, scope):
        if isinstance(node, nodes.Name):
            if node.name not in scope and node.name not in self.variables and node.name not in self.lists:
                self.unknown.append(node.name)
        elif isinstance(node, nodes.Getattr):
            base = node.node
            if not isinstance(base, nodes.Name) or node.attr.startswith("_"):
                raise _Refused(node)
            attrs = scope.get(base.name)
            if attrs is None or node.attr not in attrs:
                if base.name not in scope and base.name not in self.variables and base.name not in self.lists:
                    self.unknown.append(base.name)
                    return
                raise _Refused(node)
        elif isinstance(node, nodes.Filter):
            if node.node is None or node.name not in FILTERS or node.kwargs or node.dyn_args or node.dyn_kwargs:
                raise _Refused(node)
            if not all(isinstance(a, nodes.Const) for a in node.args):
                raise _Refused(node)
            self.expr(node.node, scope)
        elif isinstance(node, nodes.Test):
            if node.name not in TESTS or node.kwargs or node.dyn_args or node.dyn_kwargs:
                raise _Refused(node)
            if not all(isinstance(a, nodes.Const) for a in node.args):
                raise _Refused(node)
            self.expr(node.node, scope)
        elif isinstance(node, nodes.Const):
            if not isinstance(node.value, (str, int, float, bool, type(None))):
                raise _Refused(node)
        elif isinstance(node, nodes.Not):
            self.expr(node.node, scope)
        elif isinstance(node, (nodes.And, nodes.Or)):
            self.expr(node.left, scope)
            self.expr(node.right, scope)
        elif isinstance(node, nodes.Compare):
            self.expr(node.expr, scope)
            for op in node.ops:
                if op.op not in COMPARISONS:
                    raise _Refused(node)
                self.expr(op.expr, scope)
        else:  # calls, subscripts, arithmetic, inline if, literals of lists and dicts …
            raise _Refused(node)


def check_template(data, variables, *, lists=None):
    """Refuse (ValidationError, in Vietnamese, naming the expression) a Word template that is not a plain form:
    only ``variables``, the items of ``lists`` ({name: their attributes}), ``{% if %}`` and ``{% for %}``
    (also as docxtpl's ``{%p``, ``{%tr``, ``{%tc``, ``{%r`` forms) and the filters of :data:`FILTERS`."""
    uploads.check_archive(data, **TEMPLATE_LIMITS)
    try:
        sources = _sources(data)
    except Exception as e:  # a broken zip or XML
        raise ValidationError(_("This file is not a valid Word template: %(error)s") % {"error": e})
    env = environment()
    checker = _Checker(variables, lists)
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as e:
            raise ValidationError(_("This file is not a valid Word template: %(error)s") % {"error": e.message})
        try:
            checker.body(tree.body, {})
        except _Refused as refused:
            raise ValidationError(
                _(
                    "The template contains “%(expression)s”, which is not allowed: a template may only show the "
                    "listed variables, with if and for blocks and simple filters (upper, lower …)."
                )
                % {"expression": _expression(source, refused.node)}
            )
    if checker.unknown:
        names = ", ".join(sorted(set(checker.unknown)))
        raise ValidationError(_("The template uses variables the system does not know: %(names)s.") % {"names": names})
