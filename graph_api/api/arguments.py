"""Described arguments of the query and mutation fields, for those several fields share."""

import datetime
from typing import Annotated, TypeVar

import strawberry

T = TypeVar("T")

First = Annotated[
    int | None,
    strawberry.argument(
        description="Page size, 1..GRAPH_API_MAX_PAGE_SIZE (default GRAPH_API_DEFAULT_PAGE_SIZE)."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="Start after this cursor (pageInfo.endCursor of the previous page)."
    ),
]
IncludeSubsidiaries = Annotated[
    bool,
    strawberry.argument(
        description="Also the organizations below it (branches, subsidiaries, departments)."
    ),
]
AccountId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The account (organization or person); or opportunityId."),
]
OpportunityId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="The opportunity whose buying centre to use; or accountId."),
]
AsOf = Annotated[
    datetime.date | None,
    strawberry.argument(description="The day the signals are computed for (default: today, UTC)."),
]
MaxHops = Annotated[
    int, strawberry.argument(description="Most links in a path, 1..GRAPH_API_MAX_PATH_HOPS.")
]
Limit = Annotated[int, strawberry.argument(description="Most results returned.")]
# A mutation's one input: the change it makes, described by its input type.
Input = Annotated[T, strawberry.argument(description="The change to make.")]
GraphAsOf = Annotated[
    datetime.date | None,
    strawberry.argument(
        description=(
            "Read the graph as it was that day: only the links valid then (jobs, reporting "
            "lines, buying roles and attitudes, coverage, influence, acquaintance, family). "
            "Default: the current graph."
        )
    ),
]
