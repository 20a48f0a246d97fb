"""Admin fields for API keys stored in the database: create, list and revoke them."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from graph_api.api.arguments import Input
from graph_api.api.context import Info
from graph_api.api.enums import register
from graph_api.domain.access import Role
from graph_api.services.api_keys import StoredKey

register(
    Role,
    "Who a caller is: what they may read and write (README, Security).",
    {
        "ADMIN": "Sees and changes everything, manages API keys.",
        "MANAGER": "Sees what their reps' account teams cover; sets their reps' coverage.",
        "REP": "Sees the customers of their account teams.",
    },
    name="ViewerRole",
)


@strawberry.type(
    name="ApiKey",
    description="An API key stored in the database (its hash only: the key is never shown again).",
)
class ApiKeyRecord:
    id: strawberry.ID = strawberry.field(description="The key's id (to revoke it).")
    prefix: str = strawberry.field(description="The key's first characters, to recognise it.")
    subject: str = strawberry.field(description="Who the key stands for (logged, audited).")
    role: Role = strawberry.field(description="The caller's role.")
    rep_id: strawberry.ID | None = strawberry.field(
        description="The Rep id of a manager or rep (whose account teams they see)."
    )
    label: str | None = strawberry.field(description="What the key is for.")
    created_at: datetime.datetime = strawberry.field(description="When it was created (UTC).")
    created_by: str = strawberry.field(description="The admin who created it.")
    revoked_at: datetime.datetime | None = strawberry.field(
        description="When it was revoked (UTC); null while it works."
    )
    revoked_by: str | None = strawberry.field(description="The admin who revoked it.")

    @classmethod
    def from_domain(cls, k: StoredKey) -> ApiKeyRecord:
        return cls(
            id=strawberry.ID(k.id),
            prefix=k.prefix,
            subject=k.subject,
            role=k.role,
            rep_id=None if k.rep_id is None else strawberry.ID(k.rep_id),
            label=k.label,
            created_at=k.created_at,
            created_by=k.created_by,
            revoked_at=k.revoked_at,
            revoked_by=k.revoked_by,
        )


@strawberry.type(description="A new API key: the key itself, shown this once, and its record.")
class CreatedApiKey:
    key: str = strawberry.field(
        description="The key (X-API-Key or Authorization: Bearer); not stored, not shown again."
    )
    api_key: ApiKeyRecord = strawberry.field(description="The stored record of the key.")


@strawberry.input(description="Whom a new API key stands for.")
class CreateApiKeyInput:
    subject: str = strawberry.field(description="Who the key is for, e.g. crm-web (1-200 chars).")
    role: Role = strawberry.field(description="The caller's role.")
    rep_id: strawberry.ID | None = strawberry.field(
        default=None, description="The caller's Rep id (required for MANAGER and REP)."
    )
    label: str | None = strawberry.field(default=None, description="What the key is for.")


@strawberry.type
class KeysQuery:
    @strawberry.field(description="The API keys stored in the database (admins only).")
    async def api_keys(
        self,
        info: Info,
        include_revoked: Annotated[
            bool, strawberry.argument(description="Also the revoked keys.")
        ] = False,
    ) -> list[ApiKeyRecord]:
        keys = await info.context.key_admin().list(include_revoked)
        return [ApiKeyRecord.from_domain(k) for k in keys]


@strawberry.type
class KeysMutation:
    @strawberry.mutation(
        description=(
            "Creates an API key (admins only), working at once on every process; the answer "
            "holds the key, which is not stored and not shown again."
        )
    )
    async def create_api_key(self, info: Info, input: Input[CreateApiKeyInput]) -> CreatedApiKey:
        key, stored = await info.context.key_admin().create(
            input.subject, input.role.value, input.rep_id, input.label
        )
        return CreatedApiKey(key=key, api_key=ApiKeyRecord.from_domain(stored))

    @strawberry.mutation(
        description=(
            "Revokes an API key (admins only): refused at once by this process, within "
            "GRAPH_API_API_KEY_CACHE_S seconds by the others. Revoking it again changes nothing."
        )
    )
    async def revoke_api_key(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The key's id.")],
    ) -> ApiKeyRecord:
        return ApiKeyRecord.from_domain(await info.context.key_admin().revoke(str(id)))
