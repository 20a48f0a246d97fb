// A path of the graph (warm introduction, cross-sell evidence) drawn on its own, left to right.
import cytoscape from "cytoscape";
import { round } from "./i18n.js";

const KIND_COLOR = {
  REP: "#e5dbff",
  PERSON: "#e7f5ff",
  ORGANIZATION: "#fff3bf",
  PRODUCT: "#d3f9d8",
  HOLDING: "#d3f9d8",
  RULE: "#ffe8cc",
  EVENT: "#f1f3f5",
  OPPORTUNITY: "#fff0f6",
};

export function drawPath(container, path) {
  const elements = [
    // A chain reads best left to right, in the path's order.
    ...path.nodes.map((n, i) => ({
      group: "nodes",
      data: { id: n.id, label: n.label, color: KIND_COLOR[n.kind] || "#fff" },
      position: { x: i * 125, y: (i % 2) * 16 },
    })),
    ...path.links.map((l, i) => ({
      group: "edges",
      data: {
        id: `l${i}`,
        source: l.source,
        target: l.target,
        label: `${l.label}${l.strength != null ? ` ${round(l.strength)}` : ""}`,
      },
    })),
  ];
  const cy = cytoscape({
    container,
    elements,
    userZoomingEnabled: false,
    userPanningEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    style: [
      {
        selector: "node",
        style: {
          shape: "round-rectangle",
          width: 84,
          height: 30,
          "background-color": "data(color)",
          "border-width": 1,
          "border-color": "#7048e8",
          label: "data(label)",
          "text-valign": "center",
          "text-wrap": "ellipsis",
          "text-max-width": 80,
          "font-size": 11,
          "font-family": '"Noto Sans CJK SC", system-ui, sans-serif',
        },
      },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#7048e8",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#7048e8",
          "curve-style": "bezier",
          label: "data(label)",
          "font-size": 10,
          "text-rotation": "autorotate",
          "text-margin-y": -8,
          "font-family": '"Noto Sans CJK SC", system-ui, sans-serif',
          color: "#5f3dc4",
        },
      },
    ],
    layout: { name: "preset", fit: true, padding: 10 },
  });
  return cy;
}
