// The 360° card of a person or an organization. A field withheld from the viewer is shown as
// masked (the API lists it in `masked`), never as empty.
import { h } from "./dom.js";
import { label, round, t } from "./i18n.js";

export function cardOf(party, { open, openMap }) {
  const masked = new Set(party.masked || []);
  const link = (p) => h("a.party", { href: "#", onClick: (e) => { e.preventDefault(); open(p.id); } }, p.name);
  const hidden = () => h("span.masked", { title: t("maskedHint") }, `■ ${t("masked")}`);
  const field = (name, value, title) =>
    h("tr", { "data-field": name }, h("th", {}, title), h("td", {}, masked.has(name) ? hidden() : value ?? "—"));
  const section = (title, ...content) => h("section", {}, h("h3", {}, title), ...content);
  const list = (name, items, render) =>
    masked.has(name) ? h("p", { "data-field": name }, hidden()) : items.length ? h("ul", { "data-field": name }, items.map((i) => h("li", {}, render(i)))) : h("p.muted", {}, t("none"));

  const head = h(
    "header.card-head",
    {},
    h("h2", { "data-testid": "card-name" }, party.name),
    party.aliases?.length ? h("div.aliases", {}, party.aliases.join(" · ")) : null,
    h("div.badges", {}, [
      party.tier && h("span.badge", {}, label("Tier", party.tier)),
      party.grade != null && h("span.badge", {}, `${t("grade")} ${party.grade}`),
      party.confidential && h("span.badge.warn", {}, "confidential"),
      party.kind === "ORGANIZATION" && h("button.small", { onClick: () => openMap(party.id) }, t("openMap")),
    ]),
  );
  const parts = [head];
  if (party.kind === "PERSON") {
    parts.push(
      section(
        t("employment"),
        list("employments", party.employments, (e) => [link(e.organization), " ", e.title || "", e.department ? ` · ${e.department}` : "", e.primary ? " ★" : ""]),
        party.managers.length ? h("p", {}, `${t("reportsTo")}: `, join(party.managers.map(link))) : null,
        party.directReports.length ? h("p", {}, "↓ ", join(party.directReports.map(link))) : null,
      ),
      section(
        t("contact"),
        h("table.fields", {}, field("phone", party.phone, t("phone")), field("email", party.email, t("email")), field("homeAddress", party.homeAddress, t("homeAddress")), field("birthDate", party.birthDate, t("birthDate"))),
      ),
      section(t("household"), list("household", party.household, (m) => [link(m.person), ` (${label("FamilyKind", m.relation)})`])),
      section(t("holdings"), list("holdings", party.holdings, (x) => holding(x))),
      section(
        t("householdHoldings"),
        list("householdHoldings", party.householdHoldings, (x) => [
          holding(x),
          ` · ${x.holder.name}${x.householdRelation ? ` (${label("FamilyKind", x.householdRelation)})` : ""}`,
          x.beneficiaries.length ? ` · ⇢ ${x.beneficiaries.map((b) => `${b.person.name}${b.share != null ? ` ${round(b.share * 100, 0)}%` : ""}`).join(", ")}` : "",
        ]),
      ),
    );
  } else {
    parts.push(
      section(
        t("structure"),
        h("table.fields", {}, [
          field("orgType", label("OrgType", party.orgType), t("orgType")),
          field("industry", party.industry, t("industry")),
          field("city", party.city, t("city")),
          field("employees", party.employees?.toLocaleString(), t("employees")),
          field("people", party.people?.totalCount, t("people")),
        ]),
        party.ancestors.length ? h("p", {}, "↑ ", join(party.ancestors.map(link))) : null,
        party.children.length ? h("p", {}, "↓ ", join(party.children.map(link))) : null,
      ),
      section(t("groupHoldings"), list("holdings", party.holdings, (x) => [holding(x), ` · ${x.holder.name}`])),
      section(
        t("opportunities"),
        list("openOpportunities", party.openOpportunities, (o) => `${o.name} · ${label("OpportunityStage", o.stage)} · ${round(o.probability * 100, 0)}%${o.closeDate ? ` · ${o.closeDate}` : ""}`),
      ),
    );
  }
  parts.push(signals(party.signals));
  parts.push(section(t("coverage"), list("coverage", party.coverage, (c) => `◆ ${c.rep.name} ${round(c.strength)}${c.kind ? ` (${c.kind})` : ""}`)));
  if (party.relationships.length) {
    parts.push(section(t("relationships"), list("relationships", party.relationships, (r) => [label("RelationshipKind", r.kind), " ", link(r.party), r.strength != null ? ` ${round(r.strength)}` : "", r.influenceKind ? ` (${r.influenceKind})` : ""])));
  }
  const interactions = party.interactions;
  parts.push(
    section(
      `${t("interactions")} (${interactions?.totalCount ?? 0})`,
      list("interactions", interactions?.edges.map((e) => e.node) || [], (i) => `${i.at.slice(0, 10)} · ${label("InteractionKind", i.kind)} · ${i.subject || ""}${i.reps.length ? ` · ${i.reps.map((r) => r.name).join(", ")}` : ""}`),
    ),
  );
  return h("article.card", { "data-testid": "card", "data-id": party.id }, parts);
}

function holding(x) {
  return `${x.product.name}${x.amount != null ? ` ${x.amount.toLocaleString()}` : ""}${x.status && x.status !== "ACTIVE" ? ` (${x.status})` : ""}`;
}

function signals(s) {
  const sleeping = s.sleeping;
  const profile = s.profile;
  return h(
    "section.signals",
    { "data-testid": "signals" },
    h("h3", {}, t("signals")),
    h(
      "table.fields",
      {},
      h("tr", {}, h("th", {}, t("tier")), h("td", {}, label("Tier", s.tier) || "—", s.grade != null ? ` · ${s.grade}` : "")),
      h("tr", {}, h("th", {}, t("radCell")), h("td", {}, s.radCell || "—")),
      h(
        "tr",
        {},
        h("th", {}, t("sleeping")),
        h(
          "td",
          { class: sleeping.sleeping ? "warn" : "" },
          sleeping.sleeping ? t("sleeping") : t("awake"),
          sleeping.daysSinceLastInteraction != null ? ` · ${sleeping.daysSinceLastInteraction} ${t("days")}` : "",
          sleeping.escalated ? ` · ${t("escalated")} ${label("Escalation", sleeping.escalateTo)}` : "",
        ),
      ),
      h(
        "tr",
        {},
        h("th", {}, t("profile")),
        h(
          "td",
          { class: profile.compliant ? "" : "warn" },
          `${profile.score} / 100 (≥ ${profile.threshold})`,
          profile.missingFields.length ? ` · ${t("missing")}: ${profile.missingFields.map((f) => `${f.field} (${f.points})`).join(", ")}` : "",
        ),
      ),
    ),
  );
}

function join(nodes) {
  return nodes.flatMap((n, i) => (i ? [", ", n] : [n]));
}
