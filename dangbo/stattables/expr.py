"""The tiny expression language of the table files: numbers, named figures, ``+ - * /`` and brackets.

``parse("a + b - c")`` gives a tree of tuples; ``names(tree)`` the names it reads; ``evaluate(tree, env)``
its value over ``env`` ({name: number}). Nothing is ever passed to ``eval``: the grammar is

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := NUMBER | NAME | "(" expr ")" | "-" factor

A division by zero, or a name missing from ``env``, makes the value ``None`` (shown as an empty cell).
"""

import re
from decimal import Decimal, InvalidOperation

MAX_LENGTH = 4000
MAX_DEPTH = 30
TOKEN = re.compile(r"\s*(?:(\d+(?:[.,]\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\S))")


class ExprError(ValueError):
    """A malformed expression; ``code`` names the fault, ``detail`` the text at fault."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def _tokens(text):
    out = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:  # only trailing blanks can fail to match, and they were stripped
            break
        number, name, other = m.groups()
        if number is not None:
            out.append(("num", Decimal(number.replace(",", "."))))
        elif name is not None:
            out.append(("name", name))
        elif other in "+-*/()":
            out.append(("op", other))
        else:
            raise ExprError("character", other)
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("depth")
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            node = (op, node, self.term())
        self.depth -= 1
        return node

    def term(self):
        node = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            node = (op, node, self.factor())
        return node

    def factor(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "name":
            return ("name", value)
        if (kind, value) == ("op", "("):
            node = self.expr()
            if self.take() != ("op", ")"):
                raise ExprError("bracket")
            return node
        if (kind, value) == ("op", "-"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("depth")
            node = ("neg", self.factor())
            self.depth -= 1
            return node
        raise ExprError("operand", "" if value is None else str(value))


def parse(text):
    """The tree of ``text``; ExprError when it is not an expression of the grammar."""
    if not isinstance(text, str) or not text.strip():
        raise ExprError("empty")
    if len(text) > MAX_LENGTH:
        raise ExprError("length")
    parser = _Parser(_tokens(text))
    node = parser.expr()
    if parser.i != len(parser.tokens):
        raise ExprError("trailing", str(parser.peek()[1]))
    return node


def names(node):
    """The names ``node`` reads, in order of first use."""
    found = []

    def walk(n):
        if n[0] == "name":
            if n[1] not in found:
                found.append(n[1])
        elif n[0] == "neg":
            walk(n[1])
        elif n[0] != "num":
            walk(n[1])
            walk(n[2])

    walk(node)
    return found


def evaluate(node, env):
    """The value of ``node`` over ``env`` (a Decimal or an int), or None."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return env.get(node[1])
    if kind == "neg":
        v = evaluate(node[1], env)
        return None if v is None else -v
    a, b = evaluate(node[1], env), evaluate(node[2], env)
    if a is None or b is None:
        return None
    if kind == "+":
        return a + b
    if kind == "-":
        return a - b
    if kind == "*":
        return a * b
    if b == 0:
        return None
    try:
        return Decimal(a) / Decimal(b)
    except InvalidOperation:
        return None
