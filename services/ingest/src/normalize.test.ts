// Unit tests for normalisation: HTML, markdown, JSON and plain text to structural blocks.
import { describe, expect, it } from "vitest";
import { RejectError } from "./blocks.ts";
import { humanize } from "./json-text.ts";
import { normalize } from "./normalize.ts";

describe("HTML", () => {
  it("keeps headings, paragraphs, nested lists and tables and drops scripts, styles and navigation", () => {
    const html = `<!doctype html><html><head><title>Shipping &amp; returns</title><style>p{color:red}</style></head><body>
      <nav><a href="/">Home</a></nav>
      <h1>Shipping</h1><p>We ship <b>worldwide</b>&nbsp;from Lisbon.</p><script>track()</script>
      <h2>Rates</h2>
      <table><caption>Rates by zone</caption><tr><th>Zone</th><th>Price</th></tr><tr><td>EU</td><td>5 &euro;</td></tr></table>
      <ul><li>Tracked parcels</li><li>Signed delivery<ol><li>Adult signature</li></ol></li></ul>
      <pre>curl -X POST /ship
  --data x</pre></body></html>`;
    const { blocks, title } = normalize(html, "text/html");
    expect(title).toBe("Shipping & returns");
    expect(blocks).toEqual([
      { kind: "heading", level: 1, text: "Shipping" },
      { kind: "paragraph", text: "We ship worldwide from Lisbon." },
      { kind: "heading", level: 2, text: "Rates" },
      { kind: "paragraph", text: "Rates by zone" },
      { kind: "table", rows: [["Zone", "Price"], ["EU", "5 €"]] },
      { kind: "list", items: ["- Tracked parcels", "- Signed delivery", "  1. Adult signature"] },
      { kind: "code", text: "curl -X POST /ship\n  --data x" },
    ]);
  });

  it("rejects a page with no text left", () => {
    expect(() => normalize("<script>x()</script><style></style>", "text/html")).toThrow(RejectError);
  });
});

describe("markdown", () => {
  it("reads ATX and setext headings, fenced code, tables, lists and paragraphs, dropping inline marks", () => {
    const md = [
      "Guide",
      "=====",
      "",
      "Read **this** [first](https://example.com) and `run` it.",
      "Still the same paragraph.",
      "",
      "## Limits",
      "",
      "| Plan | Seats |",
      "|------|------:|",
      "| Team | 10 |",
      "",
      "* one",
      "* two",
      "  continued",
      "",
      "```sh",
      "npm test",
      "```",
    ].join("\n");
    expect(normalize(md, "text/markdown").blocks).toEqual([
      { kind: "heading", level: 1, text: "Guide" },
      { kind: "paragraph", text: "Read this first and run it. Still the same paragraph." },
      { kind: "heading", level: 2, text: "Limits" },
      { kind: "table", rows: [["Plan", "Seats"], ["Team", "10"]] },
      { kind: "list", items: ["* one", "* two continued"] },
      { kind: "code", text: "npm test" },
    ]);
  });

  it("takes the first top-level heading as the title", () => {
    expect(normalize("# Onboarding\n\nWelcome.", "text/markdown").title).toBe("Onboarding");
  });
});

describe("JSON", () => {
  it("flattens scalars to readable lines and nests objects and arrays of objects as sections", () => {
    const json = JSON.stringify({ productName: "Widget", price_eur: 12.5, tags: ["a", "b"], dimensions: { widthCm: 3 }, variants: [{ name: "Blue", stock: 4 }, { stock: 0 }] });
    expect(normalize(json, "application/json").blocks).toEqual([
      { kind: "list", items: ["Product name: Widget", "Price eur: 12.5", "Tags: a, b"] },
      { kind: "heading", level: 1, text: "Dimensions" },
      { kind: "list", items: ["Width cm: 3"] },
      { kind: "heading", level: 1, text: "Variants" },
      { kind: "heading", level: 2, text: "Blue" },
      { kind: "list", items: ["Name: Blue", "Stock: 4"] },
      { kind: "heading", level: 2, text: "Variants 2" },
      { kind: "list", items: ["Stock: 0"] },
    ]);
  });

  it("rejects text that is not JSON, with the parser's reason", () => {
    expect(() => normalize("{ nope", "application/json")).toThrow(/not valid JSON/);
  });

  it("humanises camelCase and snake_case keys", () => {
    expect(humanize("shippingTimeDays")).toBe("Shipping time days");
    expect(humanize("max_weight_kg")).toBe("Max weight kg");
  });
});

describe("plain text", () => {
  it("splits paragraphs on blank lines, unwraps hard line breaks and keeps bulleted runs as lists", () => {
    const text = "First line\nwraps here.\r\n\r\nSteps:\n- open\n- close\n\nLast.";
    expect(normalize(text, "text/plain").blocks).toEqual([
      { kind: "paragraph", text: "First line wraps here." },
      { kind: "paragraph", text: "Steps:" },
      { kind: "list", items: ["- open", "- close"] },
      { kind: "paragraph", text: "Last." },
    ]);
  });
});
