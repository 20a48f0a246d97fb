"""The domain enums, registered with strawberry once, before any type uses them."""

import strawberry

from graph_api.domain import model as m
from graph_api.domain import org_chart as oc
from graph_api.domain import signals as s
from graph_api.domain import view as v

strawberry.enum(m.PartyKind, description="A party is a person or an organization.")
strawberry.enum(m.OrgType, description="Place of an organization in its structure.")
strawberry.enum(m.Tier, description="客户分层: STRATEGIC (Top-10), MID, NON_STRATEGIC.")
strawberry.enum(m.FamilyKind, description="Family link, read from the viewed party.")
strawberry.enum(m.BuyingRole, description="Buying-centre role: 决 审 研 咨 用.")
strawberry.enum(m.Attitude, description="Attitude to us: + = - X.")
strawberry.enum(m.InfluenceLevel)
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
