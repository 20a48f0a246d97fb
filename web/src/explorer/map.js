// The account map: the org chart drawn with Cytoscape.js and ELK's layered layout. Large
// accounts open progressively: units collapse into one box each, people below the first levels
// appear when their manager is expanded, so the first draw stays small whatever the account.
import cytoscape from "cytoscape";
import elk from "cytoscape-elk";
import { ATTITUDE_MARK, ROLE_MARK, label, round, t } from "./i18n.js";

cytoscape.use(elk);

// Above this many people a chart opens collapsed (units closed, two levels shown).
const LARGE_CHART = 150;
const OPEN_DEPTH_LARGE = 2;
// The most people "expand all" draws at once on a large chart.
const MAX_DRAWN = 600;
const EXTERNAL = "__external";
const EXTRA = "__path";

const STYLE = [
  {
    selector: "node.person",
    style: {
      shape: "round-rectangle",
      width: 156,
      height: 66,
      "background-color": "#ffffff",
      "border-width": 1,
      "border-color": "#9aa5b1",
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": 150,
      "text-valign": "center",
      "font-size": 12,
      "font-family": '"Noto Sans CJK SC", "Noto Sans SC", system-ui, sans-serif',
      color: "#1f2933",
      "line-height": 1.3,
    },
  },
  { selector: "node.att-SUPPORTER", style: { "background-color": "#d3f9d8" } },
  { selector: "node.att-NEUTRAL", style: { "background-color": "#f1f3f5" } },
  { selector: "node.att-NON_SUPPORTER", style: { "background-color": "#ffe8cc" } },
  { selector: "node.att-OPPONENT", style: { "background-color": "#ffc9c9" } },
  { selector: "node.inf-HIGH", style: { "font-weight": "bold" } },
  {
    selector: "node.covered",
    style: { "border-color": "#1c7ed6", "border-width": "data(coverWidth)" },
  },
  { selector: "node.has-hidden", style: { "border-style": "double", "border-width": 4 } },
  {
    selector: "node.unit",
    style: {
      shape: "round-rectangle",
      "background-color": "#f8f9fa",
      "background-opacity": 0.6,
      "border-color": "#adb5bd",
      "border-width": 1,
      label: "data(label)",
      "text-valign": "top",
      "text-halign": "center",
      "font-size": 14,
      "font-weight": "bold",
      "font-family": '"Noto Sans CJK SC", system-ui, sans-serif',
      color: "#334e68",
      padding: 16,
    },
  },
  {
    selector: "node.unit.collapsed",
    style: {
      width: 180,
      height: 48,
      "text-valign": "center",
      "background-color": "#e7f5ff",
      "border-style": "dashed",
      "border-color": "#1c7ed6",
    },
  },
  { selector: "node.unit.external-group", style: { "background-color": "#fff9db" } },
  { selector: "node.unit.path-group", style: { "background-color": "#f3f0ff" } },
  {
    selector: "node.rep",
    style: {
      shape: "ellipse",
      width: 90,
      height: 44,
      "background-color": "#e5dbff",
      "border-color": "#7048e8",
      "border-width": 2,
      label: "data(label)",
      "text-wrap": "wrap",
      "text-valign": "center",
      "font-size": 12,
      "font-family": '"Noto Sans CJK SC", system-ui, sans-serif',
    },
  },
  {
    selector: "edge.reports",
    style: {
      width: 1.5,
      "line-color": "#9aa5b1",
      "curve-style": "taxi",
      "taxi-direction": "downward",
      "target-arrow-shape": "none",
    },
  },
  {
    selector: "edge.influence",
    style: {
      width: "data(width)",
      "line-color": "#f08c00",
      "line-style": "dashed",
      "target-arrow-shape": "triangle",
      "target-arrow-color": "#f08c00",
      "curve-style": "bezier",
      opacity: 0.8,
    },
  },
  { selector: "node.level-gap", style: { "underlay-color": "#fab005", "underlay-padding": 5, "underlay-opacity": 0.5, "underlay-shape": "round-rectangle" } },
  { selector: "node.risk-uncovered", style: { "underlay-color": "#f03e3e", "underlay-padding": 7, "underlay-opacity": 0.45, "underlay-shape": "round-rectangle" } },
  { selector: "node.risk-opponent", style: { "underlay-color": "#c92a2a", "underlay-padding": 7, "underlay-opacity": 0.6, "underlay-shape": "round-rectangle" } },
  { selector: "node.focus", style: { "border-color": "#000", "border-width": 4 } },
  {
    selector: "node.on-path",
    style: { "underlay-color": "#7048e8", "underlay-padding": 9, "underlay-opacity": 0.7, "underlay-shape": "round-rectangle" },
  },
  {
    selector: "edge.path-link",
    style: {
      width: 5,
      "line-color": "#7048e8",
      "target-arrow-shape": "triangle",
      "target-arrow-color": "#7048e8",
      "curve-style": "bezier",
      label: "data(label)",
      "font-size": 11,
      "font-family": '"Noto Sans CJK SC", system-ui, sans-serif',
      "text-background-color": "#fff",
      "text-background-opacity": 0.9,
      "text-background-padding": 2,
      color: "#5f3dc4",
      "z-index": 10,
    },
  },
  { selector: "node:selected", style: { "overlay-color": "#1c7ed6", "overlay-opacity": 0.15 } },
  { selector: ".faded", style: { opacity: 0.25 } },
];

export class AccountMap {
  constructor(container, { onSelect, onDraw }) {
    this.container = container;
    this.onSelect = onSelect;
    this.onDraw = onDraw;
    this.cy = cytoscape({
      container,
      style: STYLE,
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 3,
      boxSelectionEnabled: false,
    });
    this.chart = null;
    // Layouts under way (a test or a measurement waits for none).
    this.rendering = 0;
    this.highlights = { uncovered: new Set(), opponents: new Set(), levelGaps: new Set() };
    this.path = null;
    this.cy.on("tap", "node.person", (e) => {
      const id = e.target.id();
      if (e.target.hasClass("has-hidden")) this.expand(id);
      this.onSelect?.(id);
    });
    this.cy.on("tap", "node.unit", (e) => {
      const unit = e.target.data("unit");
      if (!unit || unit === EXTERNAL || unit === EXTRA) return;
      this.toggleUnit(unit);
    });
    this.cy.on("tap", "node.rep", (e) => this.onSelect?.(null, e.target.id()));
  }

  /** A new chart (the orgChart answer). */
  show(chart, { focusId, started } = {}) {
    this.chart = indexChart(chart);
    this.path = null;
    const large = this.chart.nodes.size > LARGE_CHART;
    this.openDepth = large ? OPEN_DEPTH_LARGE : Infinity;
    this.expanded = new Set();
    this.collapsedUnits = new Set();
    if (large) {
      for (const unit of this.chart.units.values()) {
        if (unit.parentUnit) this.collapsedUnits.add(unit.id);
      }
    }
    if (focusId) this.reveal([focusId]);
    this.focusId = focusId;
    this.render({ started, fit: true });
  }

  /** The whole chart, after a first one of its top levels: what is drawn stays drawn. */
  update(chart) {
    const before = this.chart;
    this.chart = indexChart(chart);
    if (this.chart.nodes.size > LARGE_CHART && this.openDepth === Infinity) {
      // Now known to be large: open as deep as the first chart went, new units closed.
      this.openDepth = OPEN_DEPTH_LARGE;
      for (const unit of this.chart.units.values()) {
        if (unit.parentUnit && !before?.units.has(unit.id)) this.collapsedUnits.add(unit.id);
      }
    }
    if (this.focusId) this.reveal([this.focusId]);
    if (this.path) this.reveal(this.path.nodes.map((n) => n.id));
    this.render({ fit: true });
  }

  clear() {
    this.chart = null;
    this.cy.elements().remove();
  }

  /** Expands units and managers so that these people are drawn. */
  reveal(ids) {
    if (!this.chart) return;
    for (const id of ids) {
      let node = this.chart.nodes.get(id);
      let guard = 0;
      while (node && guard++ < 100) {
        let unit = this.chart.units.get(node.unitId);
        while (unit) {
          this.collapsedUnits.delete(unit.id);
          unit = this.chart.units.get(unit.parentUnit);
        }
        const manager = node.managerId && this.chart.nodes.get(node.managerId);
        if (manager) this.expanded.add(manager.id);
        node = manager;
      }
    }
  }

  expand(id) {
    this.expanded.add(id);
    this.render({});
  }

  toggleUnit(unitId) {
    if (this.collapsedUnits.has(unitId)) this.collapsedUnits.delete(unitId);
    else this.collapsedUnits.add(unitId);
    this.render({});
  }

  expandAll() {
    this.collapsedUnits.clear();
    // A large chart opens one reporting level more per click: laying out 2,000 people at
    // once keeps the page busy for many seconds (bench/explorer_first_draw.py).
    const large = this.chart && this.chart.nodes.size > LARGE_CHART;
    const before = this.openDepth;
    this.openDepth = large ? this.openDepth + 1 : Infinity;
    // Past MAX_DRAWN people the layout would hold the page for minutes on a busy machine:
    // the units open, the people then open by manager (a click on ⊕).
    if (large && this.visiblePeople().size > MAX_DRAWN) this.openDepth = before;
    this.render({ fit: true });
  }

  collapseAll() {
    this.openDepth = 1;
    this.expanded.clear();
    for (const unit of this.chart?.units.values() || []) {
      if (unit.parentUnit) this.collapsedUnits.add(unit.id);
    }
    this.render({ fit: true });
  }

  fit() {
    this.cy.fit(undefined, 30);
  }

  zoom(factor) {
    const center = { x: this.cy.width() / 2, y: this.cy.height() / 2 };
    this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: center });
  }

  /** The assessment's findings, marked on the people they concern. */
  setAssessment(assessment) {
    const uncovered = new Set();
    const opponents = new Set(assessment?.opponents?.map((o) => o.person.id) || []);
    const gapLevels = new Set();
    for (const risk of assessment?.risks || []) {
      if (risk.kind === "UNCOVERED_DECIDER" && risk.personId) uncovered.add(risk.personId);
      if (risk.kind === "OPPOSED_DECIDER" && risk.personId) opponents.add(risk.personId);
      if (risk.kind === "LEVEL_WITHOUT_COVERAGE" && risk.level != null) gapLevels.add(risk.level);
    }
    const levelGaps = new Set();
    for (const level of assessment?.levels || []) {
      if (gapLevels.has(level.level)) level.uncoveredIds.forEach((id) => levelGaps.add(id));
    }
    this.highlights = { uncovered, opponents, levelGaps };
    if (this.chart) {
      this.reveal([...uncovered, ...opponents]);
      this.render({ fit: true });
    }
  }

  /** A path (warm introduction or cross-sell evidence) drawn over the chart; null clears it. */
  setPath(path) {
    this.path = path;
    if (path && this.chart) this.reveal(path.nodes.map((n) => n.id));
    this.render({ fit: !!path });
  }

  visiblePeople() {
    const { nodes, units } = this.chart;
    const unitOpen = (unitId) => {
      let unit = units.get(unitId);
      while (unit) {
        if (this.collapsedUnits.has(unit.id)) return false;
        unit = units.get(unit.parentUnit);
      }
      return true;
    };
    const visible = new Set();
    const seen = new Map();
    const isVisible = (node, depth = 0) => {
      if (seen.has(node.id)) return seen.get(node.id);
      seen.set(node.id, false); // a reporting cycle in bad data must not loop
      let result;
      if (!unitOpen(node.unitId)) result = false;
      else {
        const manager = node.managerId && nodes.get(node.managerId);
        if (!manager || manager.unitId !== node.unitId) result = true;
        else
          result =
            depth < 200 &&
            isVisible(manager, depth + 1) &&
            (this.expanded.has(manager.id) || manager.rank < this.openDepth);
      }
      seen.set(node.id, result);
      return result;
    };
    for (const node of nodes.values()) if (isVisible(node)) visible.add(node.id);
    return visible;
  }

  render({ started, fit }) {
    if (!this.chart) return;
    const t0 = started ?? performance.now();
    const { nodes, units, edges } = this.chart;
    const visible = this.visiblePeople();
    const elements = [];
    const shownUnits = new Set();
    const hiddenBelow = new Map();
    for (const node of nodes.values()) {
      if (!visible.has(node.id) && node.managerId && visible.has(node.managerId)) {
        hiddenBelow.set(node.managerId, (hiddenBelow.get(node.managerId) || 0) + 1);
      }
    }
    const unitVisible = (unit) => {
      let parent = units.get(unit.parentUnit);
      while (parent) {
        if (this.collapsedUnits.has(parent.id)) return false;
        parent = units.get(parent.parentUnit);
      }
      return true;
    };
    for (const unit of units.values()) {
      if (!unitVisible(unit)) continue;
      if (unit.id === EXTERNAL && !unit.size) continue;
      shownUnits.add(unit.id);
      const collapsed = this.collapsedUnits.has(unit.id);
      const count = collapsed ? ` · ${unit.total} ${t("people")} ⊕` : "";
      elements.push({
        group: "nodes",
        data: {
          id: `unit:${unit.id}`,
          unit: unit.id,
          label: `${unit.name}${count}`,
          parent: unit.parentUnit && shownUnits.has(unit.parentUnit) ? `unit:${unit.parentUnit}` : undefined,
        },
        classes: [
          "unit",
          collapsed ? "collapsed" : "",
          unit.id === EXTERNAL ? "external-group" : "",
        ].join(" "),
      });
    }
    const { uncovered, opponents, levelGaps } = this.highlights;
    const onPath = new Set(this.path?.nodes.map((n) => n.id) || []);
    for (const id of visible) {
      const node = nodes.get(id);
      const hidden = hiddenBelow.get(id) || 0;
      const strongest = Math.max(0, ...node.coverage.map((c) => c.strength ?? 0.5));
      const classes = ["person"];
      if (node.attitude) classes.push(`att-${node.attitude}`);
      if (node.influence) classes.push(`inf-${node.influence}`);
      if (node.coverage.length) classes.push("covered");
      if (hidden) classes.push("has-hidden");
      if (uncovered.has(id)) classes.push("risk-uncovered");
      if (opponents.has(id)) classes.push("risk-opponent");
      if (levelGaps.has(id)) classes.push("level-gap");
      if (onPath.has(id)) classes.push("on-path");
      if (id === this.focusId) classes.push("focus");
      elements.push({
        group: "nodes",
        data: {
          id,
          parent: `unit:${node.unitId}`,
          label: personLabel(node, hidden),
          coverWidth: 2 + 4 * strongest,
        },
        classes: classes.join(" "),
      });
    }
    for (const edge of edges) {
      if (!visible.has(edge.source) || !visible.has(edge.target)) continue;
      if (edge.type === "REPORTS_TO") {
        // Drawn manager -> report, so that the layered layout puts managers above.
        elements.push({
          group: "edges",
          data: { id: `r:${edge.source}`, source: edge.target, target: edge.source },
          classes: "reports",
        });
      } else {
        elements.push({
          group: "edges",
          data: {
            id: `i:${edge.source}:${edge.target}`,
            source: edge.source,
            target: edge.target,
            width: 1 + 3 * (edge.strength ?? 0.5),
          },
          classes: "influence",
        });
      }
    }
    if (this.path) addPath(elements, this.path, visible);
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(elements);
    });
    const layoutEdges = this.cy.edges(".reports, .path-link.to-extra");
    const layout = this.cy.elements().not(this.cy.edges().not(layoutEdges)).layout({
      name: "elk",
      fit: false,
      animate: false,
      nodeDimensionsIncludeLabels: false,
      elk: {
        algorithm: "layered",
        "elk.direction": "DOWN",
        "elk.hierarchyHandling": "INCLUDE_CHILDREN",
        "elk.layered.spacing.nodeNodeBetweenLayers": 40,
        "elk.spacing.nodeNode": 18,
        "elk.spacing.componentComponent": 40,
        "elk.padding": "[top=30,left=12,bottom=12,right=12]",
        "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
      },
    });
    this.rendering++;
    layout.one("layoutstop", () => {
      this.rendering--;
      if (fit) this.fit();
      if (this.focusId && this.cy.$id(this.focusId).length && !this.path) {
        this.cy.$id(this.focusId).select();
      }
      // The next frame is when the browser has painted the chart.
      requestAnimationFrame(() =>
        this.onDraw?.({
          ms: performance.now() - t0,
          drawn: visible.size,
          total: nodes.size,
        }),
      );
    });
    layout.run();
  }
}

function personLabel(node, hidden) {
  const marks = [
    node.role ? ROLE_MARK[node.role] : "",
    node.attitude ? ATTITUDE_MARK[node.attitude] : "",
    node.influence ? label("InfluenceLevel", node.influence) : "",
  ]
    .filter(Boolean)
    .join(" ");
  const title = node.title ? truncate(node.title, 16) : "";
  const cover = node.coverage.length
    ? `◆ ${node.coverage
        .slice(0, 2)
        .map((c) => `${c.rep.name} ${round(c.strength, 1)}`)
        .join(", ")}`
    : "";
  const more = hidden ? `⊕ ${hidden} ${t("hidden")}` : "";
  return [`${node.name}${marks ? `  ${marks}` : ""}`, title, cover || more, cover ? more : ""]
    .filter(Boolean)
    .join("\n");
}

function truncate(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function addPath(elements, path, visible) {
  const known = new Set(visible);
  let extras = 0;
  for (const node of path.nodes) {
    if (known.has(node.id)) continue;
    extras++;
    elements.push({
      group: "nodes",
      data: { id: node.id, label: node.label, parent: `unit:${EXTRA}` },
      classes: node.kind === "PERSON" ? "person on-path" : "rep on-path",
    });
    known.add(node.id);
  }
  if (extras) {
    elements.push({
      group: "nodes",
      data: { id: `unit:${EXTRA}`, unit: EXTRA, label: t("onPath") },
      classes: "unit path-group",
    });
  }
  path.links.forEach((link, i) => {
    const toExtra = !visible.has(link.source) || !visible.has(link.target);
    elements.push({
      group: "edges",
      data: {
        id: `p:${i}`,
        source: link.source,
        target: link.target,
        label: `${link.label}${link.strength != null ? ` ${round(link.strength)}` : ""}`,
      },
      classes: `path-link${toExtra ? " to-extra" : ""}`,
    });
  });
}

/** The chart's people by id with their unit, and the units (root, sub-charts, outside). */
function indexChart(chart) {
  const units = new Map();
  const root = chart.organization;
  units.set(root.id, { id: root.id, name: root.name, parentUnit: null, size: 0, total: 0 });
  for (const sub of chart.subCharts) {
    units.set(sub.organization.id, {
      id: sub.organization.id,
      name: sub.organization.name,
      parentUnit: sub.parentId,
      size: 0,
      total: 0,
    });
  }
  units.set(EXTERNAL, { id: EXTERNAL, name: t("external"), parentUnit: null, size: 0, total: 0 });
  const unitOf = new Map();
  for (const sub of chart.subCharts) for (const id of sub.nodeIds) unitOf.set(id, sub.organization.id);
  const nodes = new Map();
  for (const node of chart.nodes) {
    let unitId = node.external ? EXTERNAL : node.organization?.id || unitOf.get(node.id) || root.id;
    if (!units.has(unitId)) unitId = unitOf.get(node.id) || root.id;
    nodes.set(node.id, {
      ...node,
      name: node.person.name,
      unitId,
      // Depth within its unit, from the reporting lines drawn (the levels may count the account).
      rank: 1,
    });
    units.get(unitId).size++;
  }
  for (const node of nodes.values()) {
    let depth = 1;
    let manager = node.managerId && nodes.get(node.managerId);
    const seen = new Set();
    while (manager && manager.unitId === node.unitId && !seen.has(manager.id)) {
      seen.add(manager.id);
      depth++;
      manager = manager.managerId && nodes.get(manager.managerId);
    }
    node.rank = depth;
  }
  // A collapsed unit counts everyone inside it, its own sub-units included.
  for (const unit of units.values()) {
    let current = unit;
    while (current) {
      current.total += unit.size;
      current = units.get(current.parentUnit);
    }
  }
  return { nodes, units, edges: chart.edges, root: root.id };
}
