"""Limits on one GraphQL request: tokens, depth, aliases and estimated cost.

Each is a setting, and a request beyond one is refused before any resolver runs, with
`extensions.code` QUERY_TOO_COMPLEX, `limit` (the setting's name), `maximum` and, where it
is known, `value`:

- GRAPH_API_MAX_TOKENS: tokens of the document (comments included), enforced by the
  parser, so that a huge document costs no more than reading it.
- GRAPH_API_MAX_DEPTH: nesting of fields that have a selection (`{ party { name } }` is 1).
- GRAPH_API_MAX_ALIASES: aliased fields in the document.
- GRAPH_API_MAX_COST: the estimated size of the answer, counted on the operation about to
  run, with its variables. Every field costs 1; a field with a selection adds the cost of
  its selection times the number of items it may return:
  - a list or connection with `first` or `limit`: that value (the argument's default when
    it is not given; a value outside 1..GRAPH_API_MAX_PAGE_SIZE counts 1, the argument's
    own INVALID_INPUT error reports it), and a connection's `edges` count once, `first`
    having counted the items;
  - a single object with a `limit` (crossSell): 1, and its first lists count `limit` items;
  - any other list: 10 (LIST_FACTOR);
  - a single object: 1.
  Inline fragments on different types add up. Introspection fields (`__schema`, `__type`,
  `__typename`) cost nothing.

  The analytic root fields add the work they do before answering, in the same unit (about
  one node or row read and processed), from their arguments (`analytic_work` below): a
  path search loads a neighbourhood growing with maxHops (up to GRAPH_API_MAX_PATH_NODES),
  deciders read an account's people (more with includeSubsidiaries), an org chart grows with
  its depth. So 30 aliased `warmIntroductions(maxHops: 6)` are refused, not run for seconds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import orjson
from graphql import (
    ASTValidationRule,
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import AddValidationRules, SchemaExtension

from graph_api.config import Settings

CODE = "QUERY_TOO_COMPLEX"
# Items assumed for a list field without `first` or `limit`.
LIST_FACTOR = 10
_PAGING_ARGS = ("first", "limit")

# Estimates behind analytic_work (a request is refused before anything is read, so they are
# assumptions, not measurements): links per node in a relationship neighbourhood, people of
# one account, how many more with its subsidiaries, people per reporting level, the co-holding
# rows a cross-sell reads, and the search work per path asked for.
PATH_BRANCHING = 4
ACCOUNT_PEOPLE = 300
SUBSIDIARY_FACTOR = 5
ORG_CHART_BRANCHING = 3
ORG_CHART_PEOPLE = 3000
CROSS_SELL_ROWS = 1000
PATH_SEARCH_WORK = 20


def too_complex(limit: str, maximum: int, value: int | None = None) -> dict[str, Any]:
    """The extensions of a QUERY_TOO_COMPLEX error."""
    ext: dict[str, Any] = {"code": CODE, "limit": limit, "maximum": maximum}
    if value is not None:
        ext["value"] = value
    return ext


class TokenLimit(SchemaExtension):
    """Lets the parser stop after GRAPH_API_MAX_TOKENS tokens, comments included (strawberry's
    MaxTokensLimiter, without its per-request instance)."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_operation(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.max_tokens
        yield


def _field(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _is_list(field: GraphQLField) -> bool:
    of = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    return isinstance(of, GraphQLList)


class _Measure:
    """Depth and cost of selections. Each fragment is measured once per inherited item count
    (a fragment spread many times, or fragments spreading each other, cannot make the
    measuring itself explode); cycles count nothing (validation reports them)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        settings: Settings,
        variables: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.fragment_nodes = fragments
        self.variables = variables
        self.max_page = settings.max_page_size
        self.default_page = settings.default_page_size
        self.settings = settings
        self.query_type = schema.query_type
        self.memo: dict[tuple[str, int | None], tuple[int, int]] = {}
        self.in_progress: set[tuple[str, int | None]] = set()
        # The variables the measuring looked at (a property of the document: the variables
        # in paging and analytic arguments), so that `CostMemo` can key a measure by them.
        self.variables_read: set[str] = set()

    def operation(self, node: OperationDefinitionNode) -> tuple[int, int]:
        return self.selection_set(node.selection_set, self.schema.get_root_type(node.operation))

    def selection_set(
        self,
        selections: SelectionSetNode,
        parent: GraphQLNamedType | None,
        inherited: int | None = None,
    ) -> tuple[int, int]:
        depth = cost = 0
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                d, c = self.field(sel, parent, inherited)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition
                on = self.schema.get_type(cond.name.value) if cond else parent
                d, c = self.selection_set(sel.selection_set, on, inherited)
                d -= 1  # a fragment is no level of its own
            elif isinstance(sel, FragmentSpreadNode):
                d, c = self.fragment(sel.name.value, inherited)
                d -= 1
            else:  # pragma: no cover - no other selection kinds exist
                continue
            depth, cost = max(depth, d), cost + c
        return depth + 1, cost

    def field(
        self, node: FieldNode, parent: GraphQLNamedType | None, inherited: int | None
    ) -> tuple[int, int]:
        if node.name.value.startswith("__"):
            return 0, 0
        field = _field(parent, node.name.value)
        if node.selection_set is None or field is None:
            return 0, 1
        items, passed_down = self.items(node, field, parent, inherited)
        d, c = self.selection_set(node.selection_set, get_named_type(field.type), passed_down)
        work = 0
        if parent is self.query_type and node.name.value in _ANALYTIC:
            work = analytic_work(node.name.value, self.arguments(node, field), self.settings)
        return d, 1 + items * c + work

    def arguments(self, node: FieldNode, field: GraphQLField) -> dict[str, Any]:
        """The field's literal, variable or default argument values (a variable unknown at
        validation counts as its default: validation measures depth only)."""
        values = {name: arg.default_value for name, arg in field.args.items()}
        for arg in node.arguments or ():
            given = arg.value
            if isinstance(given, VariableNode):
                self.variables_read.add(given.name.value)
                if self.variables is not None and given.name.value in self.variables:
                    values[arg.name.value] = self.variables[given.name.value]
            elif isinstance(given, IntValueNode):
                values[arg.name.value] = int(given.value)
            elif isinstance(given, BooleanValueNode):
                values[arg.name.value] = given.value
        return values

    def items(
        self,
        node: FieldNode,
        field: GraphQLField,
        parent: GraphQLNamedType | None,
        inherited: int | None,
    ) -> tuple[int, int | None]:
        """How many items the field may return, and the count its own lists inherit."""
        if parent is not None and parent.name.endswith("Connection") and node.name.value == "edges":
            return 1, None
        connection = get_named_type(field.type).name.endswith("Connection")
        for arg in _PAGING_ARGS:
            if arg in field.args:
                n = self.count(node, arg, field)
                return (n, None) if _is_list(field) or connection else (1, n)
        if _is_list(field):
            return inherited or LIST_FACTOR, None
        return 1, None

    def count(self, node: FieldNode, arg: str, field: GraphQLField) -> int:
        given = next((a.value for a in node.arguments or () if a.name.value == arg), None)
        value: Any = field.args[arg].default_value
        if isinstance(given, IntValueNode):
            value = int(given.value)
        elif isinstance(given, VariableNode):
            self.variables_read.add(given.name.value)
            # Validation runs without variables: the largest value a variable may take.
            value = (
                self.max_page
                if self.variables is None
                else self.variables.get(given.name.value, value)
            )
        if not isinstance(value, int) or isinstance(value, bool):
            return self.default_page
        if not 1 <= value <= self.max_page:
            # The resolver refuses it with INVALID_INPUT naming the argument: counting it as
            # one item lets that clearer error through.
            return 1
        return value

    def fragment(self, name: str, inherited: int | None) -> tuple[int, int]:
        key = (name, inherited)
        if key in self.memo:
            return self.memo[key]
        definition = self.fragment_nodes.get(name)
        if definition is None or key in self.in_progress:
            return 0, 0
        self.in_progress.add(key)
        on = self.schema.get_type(definition.type_condition.name.value)
        measured = self.selection_set(definition.selection_set, on, inherited)
        self.in_progress.discard(key)
        self.memo[key] = measured
        return measured


def _bounded(value: Any, low: int, high: int, default: int) -> int:
    """An argument as counted: out of range, the resolver refuses it (INVALID_INPUT), so it
    is counted at the nearest bound, never more than the largest value that can run."""
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(low, min(high, value))


def analytic_work(name: str, args: Mapping[str, Any], settings: Settings) -> int:
    """The estimated work of an analytic root field, in cost units, from its arguments."""
    subsidiaries = SUBSIDIARY_FACTOR if args.get("includeSubsidiaries") is True else 1
    if name in ("warmIntroductions", "relationshipPath"):
        hops = _bounded(args.get("maxHops"), 1, settings.max_path_hops, 4)
        limit = _bounded(args.get("limit"), 1, settings.max_page_size, 5)
        if name == "warmIntroductions":
            # One neighbourhood of maxHops levels around the target.
            loaded = min(int(PATH_BRANCHING**hops), settings.max_path_nodes)
        else:
            # Meet in the middle: two neighbourhoods of half the hops.
            loaded = 2 * min(int(PATH_BRANCHING ** ((hops + 1) // 2)), settings.max_path_nodes)
        return loaded + PATH_SEARCH_WORK * limit * hops
    if name == "keyDeciders":
        limit = _bounded(args.get("limit"), 1, settings.max_page_size, 10)
        return ACCOUNT_PEOPLE * subsidiaries + limit
    if name == "decisionAssessment":
        # The deciders' ranking, then every level and decider assessed.
        return 2 * ACCOUNT_PEOPLE * subsidiaries
    if name == "orgChart":
        depth = _bounded(args.get("depth"), 1, settings.max_org_chart_depth, 3)
        charted = min(int(ORG_CHART_BRANCHING**depth), ORG_CHART_PEOPLE)
        return charted * (2 if args.get("includeSubsidiaries") is True else 1)
    if name == "crossSell":
        limit = _bounded(args.get("limit"), 1, settings.max_page_size, 10)
        return CROSS_SELL_ROWS + PATH_SEARCH_WORK * limit
    return 0


_ANALYTIC = frozenset(
    {
        "warmIntroductions",
        "relationshipPath",
        "keyDeciders",
        "decisionAssessment",
        "orgChart",
        "crossSell",
    }
)


def measure(
    schema: GraphQLSchema,
    document: DocumentNode,
    settings: Settings,
    variables: Mapping[str, Any] | None = None,
    operation_name: str | None = None,
) -> tuple[int, int] | None:
    """(depth, cost) of the operation to run; None when there is no such single operation."""
    return _measured(schema, document, settings, variables, operation_name)[0]


def _measured(
    schema: GraphQLSchema,
    document: DocumentNode,
    settings: Settings,
    variables: Mapping[str, Any] | None,
    operation_name: str | None,
) -> tuple[tuple[int, int] | None, frozenset[str]]:
    """`measure`, and the names of the variables the measure depends on."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1:
        return None, frozenset()
    measuring = _Measure(schema, fragments, settings, variables)
    measured = measuring.operation(operations[0])
    return measured, frozenset(measuring.variables_read)


class CostMemo:
    """The cost measures of the operations a service has run, by their text and the values
    of the few variables a measure reads (`first`, `limit`, `maxHops`...: the 360° view's
    `$id` is not one of them), so that a repeated operation is not measured again. Measuring
    walks the whole document against the schema: for the 360° view about as much CPU as
    graphql-core's execution of its answer. Bounded: when full it starts again empty."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        # (query text, operation name) -> the variables its measure reads
        self.reads: dict[tuple[str, str | None], frozenset[str]] = {}
        # (query text, operation name, those variables' values as JSON) -> the measure
        self.measures: dict[tuple[str, str | None, bytes], tuple[int, int] | None] = {}

    def measure(
        self,
        schema: GraphQLSchema,
        query: str | None,
        document: DocumentNode,
        settings: Settings,
        variables: Mapping[str, Any],
        operation_name: str | None,
    ) -> tuple[int, int] | None:
        """`measure(schema, document, settings, variables, operation_name)`, remembered by the
        document's text (`query`; without one, measured and not kept)."""
        if query is None:
            return measure(schema, document, settings, variables, operation_name)
        reads = self.reads.get((query, operation_name))
        key = None if reads is None else self._key(query, operation_name, reads, variables)
        if key is not None and key in self.measures:
            return self.measures[key]
        measured, reads = _measured(schema, document, settings, variables, operation_name)
        key = self._key(query, operation_name, reads, variables)
        if key is not None:
            if len(self.measures) >= self.size or len(self.reads) >= self.size:
                self.measures.clear()
                self.reads.clear()
            self.reads[(query, operation_name)] = reads
            self.measures[key] = measured
        return measured

    @staticmethod
    def _key(
        query: str, operation_name: str | None, reads: frozenset[str], variables: Mapping[str, Any]
    ) -> tuple[str, str | None, bytes] | None:
        """None (not kept) when a value read is not plain JSON."""
        try:
            values = orjson.dumps(
                [[name, name in variables, variables.get(name)] for name in sorted(reads)]
            )
        except TypeError:
            return None
        return query, operation_name, values


def _operation_label(node: OperationDefinitionNode) -> str:
    return f"operation {node.name.value!r}" if node.name else "the query"


def limits_rule(settings: Settings) -> type[ValidationRule]:
    """The validation rule for depth and aliases (built once per schema: the validation cache
    is keyed by the rule classes)."""
    max_depth, max_aliases = settings.max_depth, settings.max_aliases

    class QueryLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.aliases = 0
            fragments = {
                d.name.value: d
                for d in context.document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            self.measure = _Measure(context.schema, fragments, settings)

        def enter_field(self, node: FieldNode, *_args: Any) -> None:
            if node.alias is not None:
                self.aliases += 1

        def leave_document(self, *_args: Any) -> None:
            if self.aliases > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"the query has {self.aliases} aliases, more than "
                        f"GRAPH_API_MAX_ALIASES = {max_aliases}",
                        extensions=too_complex("GRAPH_API_MAX_ALIASES", max_aliases, self.aliases),
                    )
                )

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            depth, _ = self.measure.operation(node)
            depth -= 1  # the operation's own selection is not a level
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"{_operation_label(node)} is nested {depth} levels deep, deeper than "
                        f"GRAPH_API_MAX_DEPTH = {max_depth}",
                        nodes=[node],
                        extensions=too_complex("GRAPH_API_MAX_DEPTH", max_depth, depth),
                    )
                )

    return QueryLimits


class CostLimit(SchemaExtension):
    """Refuses an operation whose estimated cost, with its variables, is over GRAPH_API_MAX_COST;
    it runs after validation and before any resolver."""

    def __init__(self, settings: Settings, memo: CostMemo) -> None:
        self.settings = settings
        self.memo = memo

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and ctx.result is None:
            measured = self.memo.measure(
                ctx.schema._schema,
                ctx.query,
                ctx.graphql_document,
                self.settings,
                ctx.variables or {},
                ctx.operation_name,
            )
            limit = self.settings.max_cost
            if measured is not None and measured[1] > limit:
                cost = measured[1]
                ctx.result = GraphQLExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"the query has an estimated cost of {cost}, more than "
                            f"GRAPH_API_MAX_COST = {limit} (ask for fewer items with "
                            "`first`/`limit`, fewer nested lists, or fewer or smaller "
                            "analytic fields: maxHops, depth, includeSubsidiaries)",
                            extensions=too_complex("GRAPH_API_MAX_COST", limit, cost),
                        )
                    ],
                )
        yield


def limit_extensions(settings: Settings) -> tuple[Any, Any, Any]:
    """The extensions enforcing the limits: tokens (before parsing), depth and aliases (a
    validation rule), cost (before execution)."""
    rules: list[type[ASTValidationRule]] = [limits_rule(settings)]
    max_tokens = settings.max_tokens
    memo = CostMemo()
    return (
        lambda: TokenLimit(max_tokens),
        lambda: AddValidationRules(rules),
        lambda: CostLimit(settings, memo),
    )
