// The relationship explorer: find a party, draw its account, and answer who decides, who is with
// us, who can introduce us and what else to sell — all through the public GraphQL API.
import "./explorer.css";
import { ApiError, fetchData, graphql, session } from "./api.js";
import { h, replace } from "./dom.js";
import { ATTITUDE_MARK, ROLE_MARK, label, language, loadEnumLabels, round, setLanguage, t } from "./i18n.js";
import { AccountMap } from "./map.js";
import { drawPath } from "./paths.js";
import { CROSS_SELL, DECIDERS, INTRODUCTIONS, ORG_CHART, PARTY, SEARCH } from "./queries.js";
import { cardOf } from "./card.js";

const LANG_STORE = "graph-api-explorer.language";
const MAX_DEPTH = 10;
// Reporting levels (and organization levels) of the first, quick chart.
const FIRST_DEPTH = 2;

const state = {
  partyId: null,
  accountId: null,
  introTarget: null,
  tab: "card",
  lastDraw: null,
};

const ui = {};
// For the browser tests and for measuring: the map, the last draw's figures.
window.__explorer = { state, get map() { return ui.map; } };

function layout() {
  const app = document.getElementById("app");
  ui.search = h("input.search", {
    type: "search",
    placeholder: t("searchPlaceholder"),
    "data-testid": "search",
    autocomplete: "off",
    onInput: debounce(() => runSearch(ui.search.value), 250),
    onKeydown: (e) => {
      if (e.key === "Enter") runSearch(ui.search.value, true);
      if (e.key === "Escape") ui.hits.hidden = true;
    },
  });
  ui.hits = h("ul.hits", { "data-testid": "hits", hidden: true });
  ui.mode = h("span.mode", { "data-testid": "mode" });
  ui.langButton = h("button.lang", { onClick: toggleLanguage, "data-testid": "language" }, language() === "en" ? "中文" : "EN");
  ui.signOut = h("button.signout", { hidden: true, onClick: signOut }, t("signOut"));
  const header = h(
    "header.top",
    {},
    h("h1", {}, t("title")),
    h("div.find", {}, ui.search, ui.hits),
    h("div.who", {}, ui.mode, ui.signOut, ui.langButton),
  );
  ui.mapTitle = h("span.map-title", { "data-testid": "map-title" });
  ui.subs = h("input", { type: "checkbox", checked: true, onChange: () => reloadAccount() });
  ui.influence = h("input", { type: "checkbox", checked: true, onChange: () => reloadAccount() });
  const tool = (word, action) => h("button", { onClick: action, "data-testid": `tool-${word}` }, t(word));
  const toolbar = h(
    "div.toolbar",
    {},
    ui.mapTitle,
    tool("fit", () => ui.map.fit()),
    tool("zoomIn", () => ui.map.zoom(1.25)),
    tool("zoomOut", () => ui.map.zoom(0.8)),
    tool("expandAll", () => ui.map.expandAll()),
    tool("collapseAll", () => ui.map.collapseAll()),
    h("label", {}, ui.subs, t("subsidiaries")),
    h("label", {}, ui.influence, t("influence")),
  );
  ui.mapBox = h("div.map", { "data-testid": "map" });
  ui.status = h("div.status", { "data-testid": "status" }, t("pickParty"));
  const pane = h("section.map-pane", {}, toolbar, ui.mapBox, legend(), ui.status);
  ui.tabs = {};
  ui.panels = {};
  const tabBar = h("nav.tabs", {});
  for (const name of ["card", "deciders", "intros", "crossSell"]) {
    ui.tabs[name] = h("button.tab", { onClick: () => showTab(name), "data-testid": `tab-${name}` }, t(name));
    ui.panels[name] = h("div.panel", { "data-testid": `panel-${name}`, hidden: true });
    tabBar.appendChild(ui.tabs[name]);
  }
  const side = h("aside.side", {}, tabBar, ...Object.values(ui.panels));
  replace(app, header, h("main", {}, pane, side));
  ui.map = new AccountMap(ui.mapBox, {
    onSelect: (personId) => personId && selectParty(personId, { keepMap: true }),
    onDraw: reportDraw,
  });
  replace(ui.panels.card, h("p.muted", {}, t("pickParty")));
  showTab(state.tab);
}

function legend() {
  const swatch = (cls, text) => h("li", {}, h(`span.sw.${cls}`), text);
  return h(
    "details.legend",
    { open: true, "data-testid": "legend" },
    h("summary", {}, t("legend")),
    h(
      "ul",
      {},
      h("li", {}, Object.entries(ROLE_MARK).map(([v, m]) => `${m} ${label("BuyingRole", v)}`).join(" · ")),
      h("li", {}, Object.entries(ATTITUDE_MARK).map(([v, m]) => `${m} ${label("Attitude", v)}`).join(" · ")),
      swatch("att-SUPPORTER", label("Attitude", "SUPPORTER")),
      swatch("att-NEUTRAL", label("Attitude", "NEUTRAL")),
      swatch("att-NON_SUPPORTER", label("Attitude", "NON_SUPPORTER")),
      swatch("att-OPPONENT", label("Attitude", "OPPONENT")),
      swatch("covered", `◆ ${t("coveredLegend")}`),
      swatch("influence", t("influences")),
      swatch("uncovered", t("uncovered")),
      swatch("opponent", t("opponent")),
      swatch("level-gap", t("levelGap")),
      swatch("path", t("onPath")),
      h("li", {}, `⊕ ${t("showReports")}`),
    ),
  );
}

function showTab(name) {
  state.tab = name;
  for (const [key, panel] of Object.entries(ui.panels)) {
    panel.hidden = key !== name;
    ui.tabs[key].classList.toggle("active", key === name);
  }
  // Paths drawn while their panel was hidden had no size: fit them now that it shows.
  for (const cy of pathGraphs) {
    if (!cy.container()?.isConnected) cy.destroy(); // its panel was redrawn
    else if (cy.container().offsetParent) {
      cy.resize();
      cy.fit(undefined, 10);
    }
  }
}

const pathGraphs = new Set();

function setStatus(text, error = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle("error", error);
}

function reportDraw({ ms, drawn, total }) {
  state.draws = (state.draws || 0) + 1;
  state.lastDraw = { ms: Math.round(ms), drawn, total, sinceNavigation: Math.round(performance.now()) };
  state.firstDraw ||= state.lastDraw;
  setStatus(`${t("drawn")} ${drawn} ${t("of")} ${total} ${t("people")} · ${Math.round(ms)} ms`);
}

function explain(error) {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
    askForCredential(error.message);
  }
  return `${t("error")}: ${error.message}${error.code ? ` (${error.code})` : ""}`;
}

// ----- find -----

let searchSeq = 0;
async function runSearch(text, pickFirst = false) {
  const query = text.trim();
  const seq = ++searchSeq;
  if (!query) {
    ui.hits.hidden = true;
    return;
  }
  try {
    const data = await fetchData(SEARCH, { text: query });
    if (seq !== searchSeq) return;
    const edges = data.search?.edges || [];
    if (pickFirst && edges.length) {
      ui.hits.hidden = true;
      selectParty(edges[0].node.id);
      return;
    }
    replace(
      ui.hits,
      edges.length
        ? edges.map(({ node }) =>
            h(
              "li",
              { onClick: () => { ui.hits.hidden = true; selectParty(node.id); }, "data-id": node.id },
              h("strong", {}, node.name),
              " ",
              h("small", {}, describeHit(node)),
            ),
          )
        : h("li.none", {}, t("noHits")),
    );
    ui.hits.hidden = false;
  } catch (error) {
    replace(ui.hits, h("li.none", {}, explain(error)));
    ui.hits.hidden = false;
  }
}

function describeHit(node) {
  if (node.kind === "ORGANIZATION") return [label("OrgType", node.orgType), node.city].filter(Boolean).join(" · ");
  const job = node.employments?.[0];
  return job ? `${job.organization.name} ${job.title || ""}` : "";
}

// ----- a party: its card, its account's map, deciders, introductions, cross-sell -----

async function selectParty(id, { keepMap = false } = {}) {
  state.partyId = id;
  // An organization is its own account: its chart is asked for beside its card, not after.
  const prefetch = keepMap ? null : { started: performance.now() };
  if (prefetch) prefetch.promise = chartRequest(id, FIRST_DEPTH).catch(() => null);
  // The party in the address (a link to share); never the credential.
  history.replaceState(null, "", `#party=${encodeURIComponent(id)}`);
  replace(ui.panels.card, h("p.muted", {}, t("loading")));
  showTab("card");
  let party;
  try {
    party = (await fetchData(PARTY, { id })).party;
  } catch (error) {
    replace(ui.panels.card, h("p.error", {}, explain(error)));
    // The card failed (a timeout, say) but the id may still be an account: try its map.
    if (!keepMap && !["NOT_FOUND", "UNAUTHENTICATED", "FORBIDDEN"].includes(error.code)) {
      loadAccount(id);
    }
    return;
  }
  replace(ui.panels.card, cardOf(party, { open: (pid) => selectParty(pid), openMap: (oid) => loadAccount(oid) }));
  loadCrossSell(party);
  if (party.kind === "PERSON") setIntroTarget(party.id, party.name, { quiet: true });
  const account = accountOf(party);
  if (account && !keepMap) {
    loadAccount(account, party.kind === "PERSON" ? party.id : null, account === id ? prefetch : null);
  }
}

function accountOf(party) {
  if (party.kind === "ORGANIZATION") return party.id;
  const jobs = party.employments || [];
  const job = jobs.find((j) => j.primary) || jobs[0];
  if (!job) return null;
  // The top of the employer's group: the map shows the whole account, branches as groups.
  const ancestors = job.organization.ancestors || [];
  return ancestors.length ? ancestors[ancestors.length - 1].id : job.organization.id;
}

function reloadAccount() {
  if (state.accountId) loadAccount(state.accountId, ui.map.focusId);
}

function chartRequest(id, depth) {
  return fetchData(ORG_CHART, { id, depth, subs: ui.subs.checked, influence: ui.influence.checked });
}

async function loadAccount(accountId, focusId = null, prefetch = null) {
  state.accountId = accountId;
  state.complete = false;
  state.lastDraw = null;
  state.firstDraw = null;
  const started = prefetch?.started ?? performance.now();
  setStatus(t("loading"));
  const subs = ui.subs.checked;
  const influence = ui.influence.checked;
  replace(ui.panels.deciders, h("p.muted", {}, t("loading")));
  const chart = (depth) => fetchData(ORG_CHART, { id: accountId, depth, subs, influence });
  // The top of the account first (small, fast to draw), then the whole chart behind it: a
  // 2,000-person account is drawn in the time of a 100-person one.
  const firstPromise = (prefetch && (await prefetch.promise) && prefetch.promise) || chart(FIRST_DEPTH);
  const fullPromise = chart(MAX_DEPTH).catch((error) =>
    // A service configured with a smaller GRAPH_API_MAX_ORG_CHART_DEPTH: its default depth.
    error.code === "INVALID_INPUT" ? chart(3) : Promise.reject(error),
  );
  const decidersPromise = fetchData(DECIDERS, { id: accountId, subs });
  try {
    const { orgChart } = await firstPromise;
    if (state.accountId !== accountId) return;
    ui.mapTitle.textContent = orgChart?.organization.name || "";
    if (!orgChart || !orgChart.nodes.length) {
      ui.map.clear();
      setStatus(t("noChart"));
    } else {
      ui.map.show(orgChart, { focusId, started });
    }
    const full = (await fullPromise).orgChart;
    if (state.accountId !== accountId) return;
    if (full?.nodes.length) {
      if (orgChart?.nodes.length) ui.map.update(full);
      else ui.map.show(full, { focusId, started });
    }
    state.complete = true;
  } catch (error) {
    setStatus(explain(error), true);
  }
  try {
    const data = await decidersPromise;
    if (state.accountId !== accountId) return;
    renderDeciders(data.keyDeciders || [], data.decisionAssessment);
    ui.map.reveal((data.keyDeciders || []).map((d) => d.person.id));
    ui.map.setAssessment(data.decisionAssessment);
    state.decidersShown = accountId;
  } catch (error) {
    replace(ui.panels.deciders, h("p.error", {}, explain(error)));
  }
}

function renderDeciders(deciders, assessment) {
  const yesNo = (flag) => h(`span.answer.${flag ? "yes" : "no"}`, {}, flag ? t("yes") : t("no"));
  const parts = [];
  if (assessment) {
    parts.push(
      h(
        "section.assessment",
        { "data-testid": "assessment" },
        h("h3", {}, `${t("assessment")} · ${assessment.accountName || ""}`),
        h("p", {}, h("b", {}, t("tas9")), " ", yesNo(assessment.decisionLayerSupportsUs), h("br"), assessment.supportAnswer),
        h("p", {}, h("b", {}, t("tas10")), " ", yesNo(assessment.relationshipsAtEveryLevel), h("br"), assessment.coverageAnswer),
        assessment.risks.length
          ? h(
              "ul.risks",
              {},
              assessment.risks.map((r) =>
                h(
                  `li.sev-${r.severity}`,
                  { onClick: () => r.personId && focusPerson(r.personId) },
                  h("b", {}, `${label("RiskKind", r.kind)} (${label("Severity", r.severity)})`),
                  " ",
                  r.message,
                ),
              ),
            )
          : null,
        h(
          "table.levels",
          {},
          h("tr", {}, h("th", {}, t("level")), h("th", {}, t("people")), h("th", {}, t("covered"))),
          assessment.levels.map((l) =>
            h(`tr${l.covered ? "" : ".gap"}`, {}, h("td", {}, l.level), h("td", {}, l.people), h("td", {}, l.covered)),
          ),
        ),
      ),
    );
  }
  parts.push(
    h(
      "ol.deciders",
      { "data-testid": "deciders" },
      deciders.map((d) =>
        h(
          "li",
          { "data-id": d.person.id },
          h(
            "div.head",
            { onClick: () => focusPerson(d.person.id) },
            h("span.rank", {}, `#${d.rank}`),
            h("b", {}, d.person.name),
            h("span.marks", {}, [d.role && ROLE_MARK[d.role], d.attitude && ATTITUDE_MARK[d.attitude]].filter(Boolean).join(" ")),
            h("span.score", {}, `${t("score")} ${round(d.score)}`),
          ),
          h("div.meta", {}, [d.title, d.organizationName, d.role && label("BuyingRole", d.role), d.attitude && label("Attitude", d.attitude)].filter(Boolean).join(" · ")),
          h("p.explanation", {}, d.explanation),
          h(
            "div.coverage",
            {},
            d.coverage.length ? `◆ ${d.coverage.map((c) => `${c.rep.name} ${round(c.strength)}`).join(", ")}` : h("span.uncovered", {}, t("uncovered")),
            " ",
            h("button.small", { onClick: () => { setIntroTarget(d.person.id, d.person.name); showTab("intros"); } }, t("introduceMe")),
          ),
        ),
      ),
    ),
  );
  replace(ui.panels.deciders, parts);
}

function focusPerson(id) {
  ui.map.reveal([id]);
  ui.map.focusId = id;
  ui.map.render({});
  const node = ui.map.cy.$id(id);
  if (node.length) {
    ui.map.cy.animate({ center: { eles: node }, zoom: Math.max(ui.map.cy.zoom(), 0.8) }, { duration: 200 });
  }
}

// ----- warm introductions -----

async function setIntroTarget(id, name, { quiet = false } = {}) {
  state.introTarget = id;
  replace(ui.panels.intros, h("p.muted", {}, `${t("introTarget")}: ${name} · ${t("loading")}`));
  try {
    const data = await fetchData(INTRODUCTIONS, { id });
    if (state.introTarget !== id) return;
    const paths = data.warmIntroductions || [];
    replace(
      ui.panels.intros,
      h("h3", {}, `${t("introTarget")}: ${name}`),
      paths.length
        ? h(
            "ol.paths",
            { "data-testid": "intro-paths" },
            paths.map((p, i) => pathItem(p, i, `${round(p.weight)} · ${p.hops}`)),
          )
        : h("p.muted", {}, t("noPath")),
    );
    if (!quiet && paths.length) highlightPath(paths[0], ui.panels.intros.querySelector("li"));
    else if (!quiet) ui.map.setPath(null);
  } catch (error) {
    replace(ui.panels.intros, h("p.error", {}, explain(error)));
  }
}

function pathItem(path, index, heading) {
  const box = h("div.path-graph");
  const item = h(
    "li.path",
    { onClick: () => highlightPath(path, item) },
    h("div.path-head", {}, h("b", {}, path.nodes.map((n) => n.label).join(" → ")), " ", h("small", {}, heading)),
    box,
    h("p.explanation", {}, path.explanation),
  );
  // Drawn once the panel lays it out (Cytoscape needs the box's size).
  requestAnimationFrame(() => {
    const cy = drawPath(box, path);
    pathGraphs.add(cy);
    cy.on("destroy", () => pathGraphs.delete(cy));
  });
  return item;
}

function highlightPath(path, item) {
  for (const li of document.querySelectorAll("li.path.active")) li.classList.remove("active");
  item?.classList.add("active");
  ui.map.setPath(path);
}

// ----- cross-sell -----

async function loadCrossSell(party) {
  replace(ui.panels.crossSell, h("p.muted", {}, t("loading")));
  try {
    const data = await fetchData(CROSS_SELL, { id: party.id });
    if (state.partyId !== party.id) return;
    const cs = data.crossSell;
    replace(
      ui.panels.crossSell,
      h("h3", {}, `${t("crossSell")}: ${party.name}`, cs.popularityFallback ? ` ${t("popularity")}` : ""),
      cs.suggestions.length
        ? h(
            "ol.suggestions",
            { "data-testid": "suggestions" },
            cs.suggestions.map((s) =>
              h(
                "li.suggestion",
                {},
                h(
                  "div.head",
                  {},
                  h("b", {}, s.product.name),
                  h("span.score", {}, `${t("score")} ${round(s.score)}`),
                  h("span.kinds", {}, s.kinds.map((k) => label("CrossSellEvidenceKind", k)).join(" · ")),
                ),
                h(
                  "ul.evidence",
                  {},
                  s.evidence.map((e, i) =>
                    pathItem(e.path, i, `${label("CrossSellEvidenceKind", e.kind)} · ${round(e.probability)}${e.reason ? ` · ${e.reason}` : ""}`),
                  ),
                ),
              ),
            ),
          )
        : h("p.muted", {}, t("noSuggestions")),
    );
  } catch (error) {
    replace(ui.panels.crossSell, h("p.error", {}, explain(error)));
  }
}

// ----- who am I, language -----

function askForCredential(message) {
  if (document.querySelector(".signin")) return;
  const input = h("input", { type: "password", "data-testid": "credential", autocomplete: "off" });
  const form = h(
    "form.signin",
    {
      onSubmit: async (e) => {
        e.preventDefault();
        session.credential = input.value.trim();
        form.remove();
        await start();
      },
    },
    h("h2", {}, t("signIn")),
    h("p", {}, t("signInHint")),
    message ? h("p.error", {}, message) : null,
    input,
    h("button", { type: "submit", "data-testid": "sign-in" }, t("signInButton")),
  );
  document.body.appendChild(form);
  input.focus();
}

function signOut() {
  session.credential = "";
  location.reload();
}

function toggleLanguage() {
  const next = language() === "en" ? "zh" : "en";
  localStorage.setItem(LANG_STORE, next);
  applyLanguage(next);
  layout();
  start();
}

function applyLanguage(code) {
  setLanguage(code);
  session.language = code === "en" ? "en" : "zh-CN";
  document.documentElement.lang = code === "en" ? "en" : "zh-CN";
  document.title = t("title");
}

async function start() {
  try {
    await graphql("{ __typename }");
  } catch (error) {
    if (error.code === "UNAUTHENTICATED") {
      ui.mode.textContent = t("prodMode");
      askForCredential(session.credential ? error.message : "");
      return;
    }
    setStatus(explain(error), true);
    return;
  }
  ui.mode.textContent = session.mode === "development" ? t("devMode") : t("prodMode");
  ui.mode.classList.toggle("dev", session.mode === "development");
  ui.signOut.hidden = !session.credential;
  await loadEnumLabels();
  const linked = /^#party=(.+)$/.exec(location.hash);
  if (!state.partyId && linked) state.partyId = decodeURIComponent(linked[1]);
  if (state.partyId) selectParty(state.partyId);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

applyLanguage(localStorage.getItem(LANG_STORE) || "zh");
layout();
start();
