"""Field references in Salesforce formulas and HubSpot calculations.

``salesforce_references(formula, object_name)`` returns the fields a formula, validation rule,
workflow criterion or flow formula reads, resolved against the object it lives on:

* ``Amount`` on Opportunity -> ``Opportunity.Amount`` (names are kept as written: cfglint has
  no model here to fix their case).
* A cross-object path is a read of its first hop, the relationship field, and keeps the path:
  ``Account.Owner.Name`` -> ``Opportunity.AccountId`` with ``path=("Account", "Owner",
  "Name")``; ``Parent__r.Field__c`` -> ``Obj.Parent__c``. The rule, not a table: ``X__r`` ->
  ``X__c``, any other ``X`` -> ``XId`` (``Owner``, ``CreatedBy``, ``RecordType``, ``Parent``).
  The polymorphic ``Owner:User.Name`` is a read of ``OwnerId``.
* ``$Record.X`` / ``$Record__Prior.X`` (flows), ``{!myVariable_current.X}`` /
  ``{!myVariable_old.X}`` and ``[Object].X`` (Process Builder) and ``{!Object.X}`` (templates)
  read the record itself: ``<object>.X``. ``$RecordType.Name`` reads ``<object>.RecordTypeId``
  with ``path=("RecordType", "Name")``, the same reference as ``RecordType.Name``.
* Other names inside ``{!...}`` are flow resources (variables, ``Get_Records.Field``), and other
  ``$`` names (``$User.Id``, ``$Setup.X__c.Y__c``, ``$Label.X``) are global variables: neither
  is a field of the object. :func:`global_references` lists the global variables.
* An identifier followed by ``(`` is a function; ``TRUE``, ``FALSE`` and ``NULL`` are values.
  String literals and comments never produce references.
* Picklist values: ``ISPICKVAL(f, 'v')``, ``INCLUDES(f, 'v')``, ``TEXT(f) = 'v'`` (either side,
  also ``==``, ``<>``, ``!=``), ``CASE(f, 'v', ...)`` and ``CASE(TEXT(f), 'v', ...)`` record the
  value. Every field read has exactly one reference without a value, placed before any of its
  references with a value, so ``[r for r in refs if r.picklist_value is None]`` are the reads
  and the rest say which values were named. An empty value (``ISPICKVAL(f, '')``) is a blank
  test, not a value, and records none. Whether the field really is a picklist is for the caller
  to check against the model.

References come in order of first appearance without duplicates (the same field through two
different paths gives two references; :func:`field_ids` gives each field id once).

``hubspot_references(expression, object_name)`` does the same for HubSpot calculation formulas
(``calculationFormula``): bare property names -> ``<object>.<property>``; ``string(p) = 'v'``
records the value; ``if``/``then``/``elseif``/``else``/``endif``, ``and``/``or``/``not``,
``true``/``false``/``null`` and ``now`` are words of the language, not properties.

The text is split by a hand-written tokenizer and parsed into an expression tree by a small
error-tolerant recursive-descent parser, so that malformed or arbitrary text never raises:
unterminated strings and comments run to the end, stray tokens are skipped, and nesting deeper
than :data:`MAX_DEPTH` is read flat (names still count; structure is lost). The tree also gives
:func:`formula_complexity` (methods.md B.3) and :func:`stage_gates`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final, TypeAlias


@dataclass(frozen=True, order=True)
class FieldReference:
    field_id: str  # "Opportunity.Amount"
    #: The path as written when it crosses objects, e.g. ("Account", "Owner", "Name").
    path: tuple[str, ...] = ()
    #: A picklist value compared against (ISPICKVAL / TEXT(...) = '...'), when there is one.
    picklist_value: str | None = None


# -- tokens --------------------------------------------------------------------------------------

NAME: Final = "name"  # an identifier or a dotted path: Amount, Account.Owner.Name, $User.Id
NUMBER: Final = "number"
STRING: Final = "string"  # text is the value, quotes removed and escapes decoded
OPERATOR: Final = "operator"
OPEN: Final = "("
CLOSE: Final = ")"
COMMA: Final = ","
MERGE_OPEN: Final = "{!"
BRACE_OPEN: Final = "{"
BRACE_CLOSE: Final = "}"
OTHER: Final = "other"  # any character the languages do not use


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    #: Offset of the token's first character in the formula.
    start: int


_LETTERS = frozenset(string.ascii_letters + "_")
_NAME_START = _LETTERS | {"$"}
_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_")
_DIGITS = frozenset(string.digits)
_TWO_CHAR_OPERATORS = frozenset({"&&", "||", "==", "!=", "<>", "<=", ">="})
_ONE_CHAR_OPERATORS = frozenset("+-*/^&=<>!")
_PUNCTUATION = {"(": OPEN, ")": CLOSE, ",": COMMA, "{": BRACE_OPEN, "}": BRACE_CLOSE}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def tokenize(text: str) -> list[Token]:
    """The tokens of a formula, without whitespace and comments; never raises."""
    return list(_Scanner(text).tokens())


class _Scanner:
    """A single pass over the text; each method starts at ``self.pos`` and moves past what it
    reads."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def tokens(self) -> Iterator[Token]:
        text = self.text
        while self.pos < len(text):
            start, char = self.pos, text[self.pos]
            if char.isspace():
                self.pos += 1
            elif text.startswith("/*", self.pos):
                self._skip_comment()
            elif char in "'\"":
                yield self._string()
            elif char in _NAME_START:
                yield self._name(start)
            elif char in _DIGITS or (char == "." and self._at(1) in _DIGITS):
                yield self._number()
            elif char == "[" and self._bracketed_root():
                yield self._name(start)
            else:
                yield self._symbol()

    def _at(self, offset: int) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def _skip(self, chars: frozenset[str]) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def _skip_comment(self) -> None:
        end = self.text.find("*/", self.pos + 2)
        self.pos = len(self.text) if end < 0 else end + 2

    def _string(self) -> Token:
        start, quote = self.pos, self.text[self.pos]
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                escaped = self.text[self.pos + 1]
                chars.append(_ESCAPES.get(escaped, escaped))
                self.pos += 2
                continue
            self.pos += 1
            if char == quote:
                break
            chars.append(char)
        return Token(STRING, "".join(chars), start)

    def _name(self, start: int) -> Token:
        """An identifier and its ``.``-path; ``:`` joins a polymorphic type (``Owner:User``)."""
        self.pos += 1
        while True:
            self._skip(_NAME_CHARS)
            if self._at(0) in (".", ":") and self._at(1) in _LETTERS:
                self.pos += 1
                continue
            return Token(NAME, self.text[start:self.pos], start)

    def _bracketed_root(self) -> bool:
        """Whether a ``[`` opens a Process Builder root, ``[Opportunity].Amount``; if so, leave
        the position on its ``]`` so that :meth:`_name` reads on from there."""
        close = self.text.find("]", self.pos + 1)
        inner = self.text[self.pos + 1:close]
        after = self.text[close + 1:close + 3]
        if close < 0 or not inner or not set(inner) <= _NAME_CHARS:
            return False
        if len(after) < 2 or after[0] != "." or after[1] not in _LETTERS:
            return False
        self.pos = close
        return True

    def _number(self) -> Token:
        start = self.pos
        self._skip(_DIGITS)
        if self._at(0) == "." and self._at(1) in _DIGITS:
            self.pos += 1
            self._skip(_DIGITS)
        return Token(NUMBER, self.text[start:self.pos], start)

    def _symbol(self) -> Token:
        start = self.pos
        pair = self.text[start:start + 2]
        if pair == "{!":
            self.pos += 2
            return Token(MERGE_OPEN, pair, start)
        if pair in _TWO_CHAR_OPERATORS:
            self.pos += 2
            return Token(OPERATOR, pair, start)
        char = self.text[start]
        self.pos += 1
        if char in _ONE_CHAR_OPERATORS:
            return Token(OPERATOR, char, start)
        return Token(_PUNCTUATION.get(char, OTHER), char, start)


# -- expression tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    text: str
    #: Written inside ``{!...}``: a merge field (flow resource, template field).
    merged: bool = False


@dataclass(frozen=True)
class Literal:
    kind: str  # STRING, NUMBER or NAME (TRUE, FALSE, NULL, ...)
    value: str


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple[Node, ...] = ()

    @property
    def upper(self) -> str:
        return self.function.upper()


@dataclass(frozen=True)
class Operation:
    operator: str
    #: One operand for a prefix operator, two for a binary one.
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Fragments:
    """Expressions side by side (or none): what a well-formed formula never has."""

    items: tuple[Node, ...] = ()


Node: TypeAlias = "Name | Literal | Call | Operation | Fragments"
EMPTY: Final = Fragments()

#: Deeper nesting is read flat, so that no input can exhaust Python's recursion limit.
MAX_DEPTH: Final = 100

#: Binding powers; higher binds tighter (``&`` concatenates like ``+``).
_BINARY_POWER = {
    "||": 1, "&&": 2, "=": 3, "==": 3, "!=": 3, "<>": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
    "+": 5, "-": 5, "&": 5, "*": 6, "/": 6, "^": 7,
}
_RIGHT_ASSOCIATIVE = frozenset({"^"})
_PREFIX_OPERATORS = frozenset({"-", "+", "!"})
_PREFIX_POWER = 8


@dataclass(frozen=True)
class Dialect:
    """What sets the two formula languages apart (all words in lower case)."""

    #: Words that are values, not fields.
    constants: frozenset[str]
    #: Words that are operators: ``and`` -> ``&&``.
    word_operators: dict[str, str]
    #: Words that only give the text its shape (HubSpot's ``if ... then ... endif``).
    separators: frozenset[str]
    #: The function that turns a picklist into text (upper case).
    text_function: str


SALESFORCE: Final = Dialect(frozenset({"true", "false", "null"}), {}, frozenset(), "TEXT")
HUBSPOT: Final = Dialect(
    frozenset({"true", "false", "null", "now"}),
    {"and": "&&", "or": "||", "not": "!"},
    frozenset({"if", "then", "elseif", "else", "endif"}),
    "STRING",
)


def parse(formula: str, dialect: Dialect = SALESFORCE) -> Node:
    """The expression tree of a formula; never raises (see the module docstring)."""
    return _Parser(_apply_dialect(tokenize(formula), dialect), dialect).parse()


def _apply_dialect(tokens: list[Token], dialect: Dialect) -> list[Token]:
    """Turn the dialect's operator words into operators and its separator words into
    :data:`OTHER` tokens, unless they are called as functions (``if(...)``)."""
    if not dialect.word_operators and not dialect.separators:
        return tokens
    result: list[Token] = []
    for index, token in enumerate(tokens):
        word = token.text.lower() if token.kind == NAME else ""
        called = index + 1 < len(tokens) and tokens[index + 1].kind == OPEN
        if word in dialect.word_operators and not called:
            token = Token(OPERATOR, dialect.word_operators[word], token.start)
        elif word in dialect.separators and not called:
            token = Token(OTHER, token.text, token.start)
        result.append(token)
    return result


class _Parser:
    """Precedence climbing over the tokens. ``stop`` is the set of token kinds that close an
    enclosing construct: a fragment list ends there and leaves them to their owner."""

    def __init__(self, tokens: list[Token], dialect: Dialect) -> None:
        self.tokens = tokens
        self.dialect = dialect
        self.pos = 0
        self.depth = 0
        self.merge_depth = 0

    def parse(self) -> Node:
        return self._fragments(frozenset())

    def _peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def _next_is(self, kind: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == kind

    def _fragments(self, stop: frozenset[str]) -> Node:
        items: list[Node] = []
        while (token := self._peek()) is not None and token.kind not in stop:
            node = self._expression(0, stop)
            if node is None:
                self.pos += 1  # cannot start an expression (a stray ")" or "="): skip it
            else:
                items.append(node)
        return items[0] if len(items) == 1 else Fragments(tuple(items))

    def _expression(self, min_power: int, stop: frozenset[str]) -> Node | None:
        if self.depth >= MAX_DEPTH:
            return self._flat(stop)
        self.depth += 1
        try:
            left = self._prefix(stop)
            while left is not None and (token := self._peek()) is not None:
                power = _BINARY_POWER.get(token.text, 0) if token.kind == OPERATOR else 0
                if power <= min_power:
                    break
                self.pos += 1
                right_power = power - 1 if token.text in _RIGHT_ASSOCIATIVE else power
                right = self._expression(right_power, stop) or EMPTY
                left = Operation(token.text, (left, right))
            return left
        finally:
            self.depth -= 1

    def _prefix(self, stop: frozenset[str]) -> Node | None:
        token = self._peek()
        if token is None or token.kind in stop:
            return None
        if token.kind == NAME:
            return self._name_or_call(token, stop)
        if token.kind in (STRING, NUMBER):
            self.pos += 1
            return Literal(token.kind, token.text)
        if token.kind in (OPEN, MERGE_OPEN, BRACE_OPEN):
            return self._group(token.kind, stop)
        if token.kind == OPERATOR and token.text in _PREFIX_OPERATORS:
            self.pos += 1
            operand = self._expression(_PREFIX_POWER, stop) or EMPTY
            return Operation(token.text, (operand,))
        return None

    def _name_or_call(self, token: Token, stop: frozenset[str]) -> Node:
        self.pos += 1
        if self._next_is(OPEN):
            return self._call(token.text, stop)
        if token.text.lower() in self.dialect.constants:
            return Literal(NAME, token.text)
        return Name(token.text, merged=self.merge_depth > 0)

    def _call(self, function: str, stop: frozenset[str]) -> Call:
        self.pos += 1  # the "("
        inner_stop = stop | {COMMA, CLOSE}
        arguments: list[Node] = []
        while True:
            arguments.append(self._fragments(inner_stop))
            if self._next_is(COMMA):
                self.pos += 1
                continue
            if self._next_is(CLOSE):
                self.pos += 1
            break
        if arguments == [EMPTY]:
            arguments = []  # TODAY()
        return Call(function, tuple(arguments))

    def _group(self, kind: str, stop: frozenset[str]) -> Node:
        """``( ... )``, ``{! ... }`` (a merge field) or ``{ ... }``."""
        self.pos += 1
        close = CLOSE if kind == OPEN else BRACE_CLOSE
        merged = kind == MERGE_OPEN
        self.merge_depth += int(merged)
        inner = self._fragments((stop - {COMMA}) | {close})
        self.merge_depth -= int(merged)
        if self._next_is(close):
            self.pos += 1
        return inner

    def _flat(self, stop: frozenset[str]) -> Node | None:
        """Past :data:`MAX_DEPTH`: one token at a time, keeping names that are not called."""
        token = self._peek()
        if token is None or token.kind in stop:
            return None
        self.pos += 1
        if token.kind != NAME or self._next_is(OPEN):
            return EMPTY
        if token.text.lower() in self.dialect.constants:
            return EMPTY
        return Name(token.text, merged=self.merge_depth > 0)


# -- walking the tree ----------------------------------------------------------------------------


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Call):
        return node.arguments
    if isinstance(node, Operation):
        return node.operands
    if isinstance(node, Fragments):
        return node.items
    return ()


def walk(tree: Node, dialect: Dialect = SALESFORCE) -> Iterator[tuple[Node, Name | None]]:
    """Every node in source order (pre-order, iteratively: trees can be deep). The second item
    is, for a string literal compared with a picklist field, that field."""
    stack: list[tuple[Node, Name | None]] = [(tree, None)]
    while stack:
        node, compared = stack.pop()
        yield node, compared
        children = _children(node)
        marks = _compared_fields(node, dialect) if children else {}
        for index in reversed(range(len(children))):
            stack.append((children[index], marks.get(index)))


def _compared_fields(node: Node, dialect: Dialect) -> dict[int, Name]:
    """Which children of a node are values compared with a picklist field: child index ->
    the field."""
    if isinstance(node, Call):
        return _call_values(node, dialect)
    if isinstance(node, Operation) and node.operator in ("=", "==", "<>", "!="):
        for field_side, value_side in ((0, 1), (1, 0)):
            subject = _text_of(node.operands[field_side], dialect)
            if subject is not None and _is_string(node.operands[value_side]):
                return {value_side: subject}
    return {}


def _call_values(call: Call, dialect: Dialect) -> dict[int, Name]:
    arguments = call.arguments
    if call.upper in ("ISPICKVAL", "INCLUDES") and len(arguments) == 2:
        subject = _field_of(arguments[0])
        return {1: subject} if subject is not None and _is_string(arguments[1]) else {}
    if call.upper == "CASE" and arguments:
        subject = _field_of(arguments[0]) or _text_of(arguments[0], dialect)
        if subject is None:
            return {}
        # CASE(subject, value, result, ..., else): values at odd places that have a result.
        return {
            index: subject for index in range(1, len(arguments) - 1, 2)
            if _is_string(arguments[index])
        }
    return {}


def _field_of(node: Node) -> Name | None:
    """The field a picklist argument names: ``f`` or ``PRIORVALUE(f)``."""
    if isinstance(node, Name):
        return node
    if isinstance(node, Call) and node.upper == "PRIORVALUE" and len(node.arguments) == 1:
        return _field_of(node.arguments[0])
    return None


def _text_of(node: Node, dialect: Dialect) -> Name | None:
    """The field in ``TEXT(f)`` (``string(f)`` in HubSpot)."""
    if isinstance(node, Call) and node.upper == dialect.text_function and len(node.arguments) == 1:
        return _field_of(node.arguments[0])
    return None


def _is_string(node: Node) -> bool:
    return isinstance(node, Literal) and node.kind == STRING


# -- references ----------------------------------------------------------------------------------

#: Names for the record a flow or process runs on.
_RECORD_ROOTS = frozenset({"$record", "$record__prior", "myvariable_current", "myvariable_old"})


def salesforce_references(formula: str, object_name: str) -> list[FieldReference]:
    """Fields a Salesforce formula reads, in order of first appearance, without duplicates."""
    return _references(formula, object_name, SALESFORCE)


def hubspot_references(expression: str, object_name: str) -> list[FieldReference]:
    """Properties a HubSpot calculation formula reads."""
    return _references(expression, object_name, HUBSPOT)


def global_references(formula: str) -> list[str]:
    """Salesforce global variables a formula reads, as written (``$User.Id``, ``$Label.X``,
    ``$Setup.Settings__c.Field__c``), in order and without duplicates. ``$Record``,
    ``$Record__Prior`` and ``$RecordType`` are not listed: they are fields of the record."""
    names = (node.text for node, _ in walk(parse(formula)) if isinstance(node, Name))
    return _unique(
        name for name in names
        if name.startswith("$") and _root(name) not in (*_RECORD_ROOTS, "$recordtype")
    )


def field_ids(references: Iterable[FieldReference]) -> list[str]:
    """Each field id once, in order."""
    return _unique(reference.field_id for reference in references)


def relationship_field(relationship: str) -> str:
    """The lookup field behind a relationship name: ``Parent__r`` -> ``Parent__c``,
    ``npsp__Primary_Contact__r`` -> ``npsp__Primary_Contact__c``, ``Person__pr`` ->
    ``Person__pc`` (person accounts), ``Owner`` -> ``OwnerId``, ``Owner:User`` -> ``OwnerId``.
    A name that already ends in ``__c`` is a field written where its relationship belongs and
    stays as it is."""
    name = relationship.partition(":")[0]
    suffix = name[-4:].lower()
    if suffix.endswith("__r"):
        return name[:-3] + "__c"
    if suffix == "__pr":
        return name[:-4] + "__pc"
    if suffix.endswith("__c"):
        return name
    return name + "Id"


def rollup_references(expression: str) -> list[FieldReference]:
    """The child field a roll-up summary reads, from the pseudo-formula the Salesforce reader
    keeps for it: ``SUM(Opportunity.Amount)`` -> ``[FieldReference("Opportunity.Amount")]``.
    Unlike :func:`salesforce_references`, the field id names the child object, not the object
    the roll-up lives on. Anything else gives no references."""
    tree = parse(expression)
    if not isinstance(tree, Call) or len(tree.arguments) != 1:
        return []
    argument = tree.arguments[0]
    if not isinstance(argument, Name) or argument.text.startswith("$"):
        return []
    child, _, field_name = argument.text.partition(".")
    if not child or not field_name or "." in field_name:
        return []
    return [FieldReference(argument.text)]


def _references(text: str, object_name: str, dialect: Dialect) -> list[FieldReference]:
    resolve = _resolve_salesforce if dialect is SALESFORCE else _resolve_hubspot
    found: dict[FieldReference, None] = {}  # an ordered set
    for node, compared in walk(parse(text, dialect), dialect):
        if isinstance(node, Name):
            reference = resolve(node, object_name)
            if reference is not None:
                found.setdefault(reference)
        elif isinstance(node, Literal) and compared is not None and node.value:
            reference = resolve(compared, object_name)
            if reference is not None:
                found.setdefault(reference)
                found.setdefault(replace(reference, picklist_value=node.value))
    return list(found)


def _root(name: str) -> str:
    return name.partition(".")[0].lower()


def _resolve_salesforce(name: Name, object_name: str) -> FieldReference | None:
    segments = name.text.split(".")
    root = segments[0].lower()
    if root in _RECORD_ROOTS or root.startswith("["):
        return _on_object(object_name, segments[1:])
    if root == "$recordtype":
        path = ("RecordType", *segments[1:]) if len(segments) > 1 else ()
        return FieldReference(f"{object_name}.RecordTypeId", path)
    if root.startswith("$"):
        return None
    if len(segments) > 1 and root == object_name.lower():
        return _on_object(object_name, segments[1:])  # {!Opportunity.Amount}
    if name.merged:
        return None  # a flow resource: {!varName}, {!Get_Account.Name}
    return _on_object(object_name, segments)


def _on_object(object_name: str, segments: list[str]) -> FieldReference | None:
    """The reference for a path relative to the record."""
    if not segments:
        return None
    if len(segments) == 1:
        return FieldReference(f"{object_name}.{segments[0].partition(':')[0]}")
    return FieldReference(f"{object_name}.{relationship_field(segments[0])}", tuple(segments))


def _resolve_hubspot(name: Name, object_name: str) -> FieldReference | None:
    if name.text.startswith("$") or name.merged:
        return None
    return FieldReference(f"{object_name}.{name.text}")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# -- complexity ----------------------------------------------------------------------------------


def formula_complexity(formula: str) -> int:
    """Cyclomatic complexity of a Salesforce formula (methods.md B.3): 1 + the number of ``IF``
    + for each ``CASE`` its arms - 1 (the value/result pairs; the ``else`` is the last arm)
    + for each ``AND`` / ``OR`` its operands - 1 + the number of ``&&`` / ``||``."""
    complexity = 1
    for node, _ in walk(parse(formula)):
        if isinstance(node, Call):
            complexity += _call_complexity(node)
        elif isinstance(node, Operation) and node.operator in ("&&", "||"):
            complexity += 1
    return complexity


def _call_complexity(call: Call) -> int:
    if call.upper == "IF":
        return 1
    if call.upper == "CASE":
        return max(0, (len(call.arguments) - 1) // 2)
    if call.upper in ("AND", "OR"):
        return max(0, len(call.arguments) - 1)
    return 0


# -- stage gates ---------------------------------------------------------------------------------


def stage_gates(formula: str, object_name: str, stage_field: str) -> list[tuple[str, str]]:
    """The (stage value, required field id) pairs a validation-rule formula enforces.

    Understood: a conjunction (``AND(...)`` / ``&&``) of a stage test and blank tests, and an
    ``OR`` / ``||`` of such conjunctions. A stage test is ``ISPICKVAL(stage, 'X')``,
    ``TEXT(stage) = 'X'`` or an ``OR`` / ``||`` of them (each stage counts). A blank test is
    ``ISBLANK(f)``, ``ISNULL(f)``, ``LEN(f) = 0`` (or ``< 1``), ``ISPICKVAL(f, '')``,
    ``f = ''``, with ``TEXT(f)`` for ``f`` anywhere, or an ``OR`` / ``||`` of them (each field is
    required). Other conditions in the conjunction narrow when the rule applies and are ignored,
    unless they mention the stage field: then the formula is not understood and gives nothing.
    Only fields of the object itself count as required (not ``Account.Phone``).
    ``stage_field`` is a field name (``StageName``) or id (``Opportunity.StageName``).
    """
    gate = _GateReader(object_name, stage_field)
    disjuncts = _flatten(parse(formula), "OR", "||")
    return list(dict.fromkeys(pair for disjunct in disjuncts for pair in gate.read(disjunct)))


def _flatten(node: Node, function: str, operator: str) -> list[Node]:
    """The operands of nested ``function(...)`` calls and ``operator`` chains, in order."""
    parts: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call) and current.upper == function and current.arguments:
            stack.extend(reversed(current.arguments))
        elif isinstance(current, Operation) and current.operator == operator:
            stack.extend(reversed(current.operands))
        else:
            parts.append(current)
    return parts


class _GateReader:
    """Reads one conjunction of a validation rule for the stage it tests and the fields it
    requires to be filled in."""

    def __init__(self, object_name: str, stage_field: str) -> None:
        self.object_name = object_name
        prefix = object_name.lower() + "."
        qualified = stage_field if stage_field.lower().startswith(prefix) else prefix + stage_field
        self.stage_id = qualified.lower()

    def read(self, conjunction: Node) -> list[tuple[str, str]]:
        stages: list[str] | None = None
        required: list[str] = []
        for part in _flatten(conjunction, "AND", "&&"):
            values = self._stage_values(part)
            fields = self._blank_fields(part) if values is None else None
            if values is not None:
                stages = values if stages is None else [v for v in stages if v in values]
            elif fields is not None:
                required.extend(fields)
            elif self._mentions_stage(part):
                return []
        return [(stage, field) for stage in _unique(stages or ()) for field in _unique(required)]

    def _field_id(self, node: Name | None) -> str | None:
        """The id of a field of the object itself (not across a relationship)."""
        if node is None:
            return None
        reference = _resolve_salesforce(node, self.object_name)
        if reference is None or reference.path:
            return None
        return reference.field_id

    def _is_stage(self, node: Name | None) -> bool:
        field_id = self._field_id(node)
        return field_id is not None and field_id.lower() == self.stage_id

    def _stage_values(self, node: Node) -> list[str] | None:
        """The stages a stage test accepts; ``None`` when it is not one."""
        alternatives = _flatten(node, "OR", "||")
        values: list[str] = []
        for alternative in alternatives:
            compared = _compared_value(alternative)
            if compared is None or not compared[1] or not self._is_stage(compared[0]):
                return None
            values.append(compared[1])
        return values

    def _blank_fields(self, node: Node) -> list[str] | None:
        """The fields a blank test checks; ``None`` when it is not one."""
        fields: list[str] = []
        for alternative in _flatten(node, "OR", "||"):
            subject = _blank_subject(alternative)
            field_id = self._field_id(subject)
            if field_id is None or field_id.lower() == self.stage_id:
                return None
            fields.append(field_id)
        return fields

    def _mentions_stage(self, node: Node) -> bool:
        return any(
            isinstance(child, Name) and self._is_stage(child) for child, _ in walk(node)
        )


def _compared_value(node: Node) -> tuple[Name, str] | None:
    """``ISPICKVAL(f, 'X')`` or ``TEXT(f) = 'X'`` (either way round): the field and value."""
    if isinstance(node, Call) and node.upper == "ISPICKVAL" and len(node.arguments) == 2:
        subject, value = _field_of(node.arguments[0]), node.arguments[1]
        if subject is not None and isinstance(value, Literal) and value.kind == STRING:
            return subject, value.value
        return None
    if isinstance(node, Operation) and node.operator in ("=", "=="):
        for field_side, value_side in ((0, 1), (1, 0)):
            subject = _text_of(node.operands[field_side], SALESFORCE)
            value = node.operands[value_side]
            if subject is not None and isinstance(value, Literal) and value.kind == STRING:
                return subject, value.value
    return None


def _blank_subject(node: Node) -> Name | None:
    """The field a single blank test checks, or ``None``."""
    if isinstance(node, Call) and len(node.arguments) == 1 and node.upper in ("ISBLANK", "ISNULL"):
        return _plain_or_text(node.arguments[0])
    compared = _compared_value(node)
    if compared is not None:
        return compared[0] if compared[1] == "" else None
    if isinstance(node, Operation) and len(node.operands) == 2:
        return _length_zero(node) or _equals_empty(node)
    return None


def _plain_or_text(node: Node) -> Name | None:
    """``f`` or ``TEXT(f)``."""
    return node if isinstance(node, Name) else _text_of(node, SALESFORCE)


def _length_zero(node: Operation) -> Name | None:
    """``LEN(f) = 0``, ``0 = LEN(f)``, ``LEN(f) < 1`` (``f`` may be ``TEXT(f)``)."""
    left, right = node.operands
    if node.operator == "<" and _is_number(right, 1.0):
        return _length_of(left)
    if node.operator not in ("=", "=="):
        return None
    if _is_number(right, 0.0):
        return _length_of(left)
    if _is_number(left, 0.0):
        return _length_of(right)
    return None


def _length_of(node: Node) -> Name | None:
    if isinstance(node, Call) and node.upper == "LEN" and len(node.arguments) == 1:
        return _plain_or_text(node.arguments[0])
    return None


def _equals_empty(node: Operation) -> Name | None:
    """``f = ''`` or ``'' = f``."""
    if node.operator not in ("=", "=="):
        return None
    left, right = node.operands
    for subject, value in ((left, right), (right, left)):
        if isinstance(subject, Name) and isinstance(value, Literal) and value.kind == STRING:
            return subject if value.value == "" else None
    return None


def _is_number(node: Node, number: float) -> bool:
    return isinstance(node, Literal) and node.kind == NUMBER and float(node.value) == number
