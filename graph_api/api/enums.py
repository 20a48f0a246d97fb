"""The domain enums, registered with strawberry once, before any type uses them."""

import strawberry

from graph_api.domain import deciders as d
from graph_api.domain import model as m
from graph_api.domain import org_chart as oc
from graph_api.domain import signals as s
from graph_api.domain import view as v
from graph_api.domain import writes as w

strawberry.enum(m.PartyKind, description="A party is a person or an organization.")
strawberry.enum(m.OrgType, description="Place of an organization in its structure.")
strawberry.enum(m.Tier, description="客户分层: STRATEGIC (Top-10), MID, NON_STRATEGIC.")
strawberry.enum(m.FamilyKind, description="Family link, read from the viewed party.")
strawberry.enum(m.BuyingRole, description="Buying-centre role: 决 审 研 咨 用.")
strawberry.enum(m.Attitude, description="Attitude to us: + = - X.")
strawberry.enum(m.InfluenceLevel)
strawberry.enum(
    m.PathLinkType,
    description=(
        "A kind of link a relationship path may use. COLLEAGUE: two people of one unit, "
        "team or reporting line (derived from WORKS_FOR and REPORTS_TO). Personal links "
        "only: FAMILY, INFLUENCES, KNOWS, COVERS."
    ),
)
strawberry.enum(m.RepRole, description="AE outside sales, SR inside sales.")
strawberry.enum(m.ProductSegment)
strawberry.enum(m.HoldingStatus)
strawberry.enum(m.OpportunityStage, description="Funnel level.")
strawberry.enum(m.InteractionKind)
strawberry.enum(m.InteractionDirection)
strawberry.enum(m.InteractionPurpose)
strawberry.enum(m.Channel)
strawberry.enum(m.Gender)
strawberry.enum(v.RelationshipKind, description="An informal link, read from the viewed party.")
strawberry.enum(s.Escalation, description="Who must hear of a sleeping customer.")
strawberry.enum(
    oc.ChartLinkType,
    description="REPORTS_TO: source reports to target. INFLUENCES: target listens to source.",
)
strawberry.enum(d.RoleSource, description="Where a buying-centre marker comes from.")
strawberry.enum(d.ScoreComponent, description="A component of a decider's score.")
strawberry.enum(d.RiskKind, description="A gap in our position in the buying centre.")
strawberry.enum(d.Severity)
strawberry.enum(w.LinkKind, description="A kind of link between nodes of the graph.")
strawberry.enum(w.EntityKind, description="A kind of node or link the mutations write.")
strawberry.enum(w.AuditAction, description="What a change did to its node or link.")
