// The console end to end in headless Chromium against the mesh: sign-in, every page's main flow, errors and key hygiene.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { ACME_KEY, DEMO_KEY, uniqueId } from "../helpers.ts";
import { browserMissing, CHROMIUM, launch, openPage, screenshot, signIn, type Browser } from "./browser.ts";

if (browserMissing) console.log(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; CI installs it)`);

/** Deadline for what the page shows next: CI machines are slow, and polling stops as soon as it holds. */
const POLL = { timeout: 15_000 };

describe.skipIf(browserMissing)("the console in a browser", () => {
  const url = inject("gatewayUrl");
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launch();
    page = await browser.context.newPage();
    page.on("dialog", (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("serves the console at /console with a strict CSP, and / redirects there", async () => {
    const root = await fetch(`${url}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/console");
    const shell = await fetch(`${url}/console/usage`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain('<div id="app">');
    expect(shell.headers.get("content-security-policy")).toContain("default-src 'none'; script-src 'self'");
    expect(shell.headers.get("x-frame-options")).toBe("DENY");
    expect(shell.headers.get("x-content-type-options")).toBe("nosniff");
    // The API stays with the Worker, even for a browser navigation.
    const api = await fetch(`${url}/v1/usage`, { headers: { "sec-fetch-mode": "navigate", accept: "text/html" } });
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("unauthorized");
  });

  it("shows the 401 message with a trace id for a wrong key", async () => {
    await signIn(page, url, "sk-not-a-real-key");
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.textContent(), POLL).toContain("Your API key was not accepted");
    expect(await alert.textContent()).toMatch(/Trace id: [0-9a-f-]{36}/);
    await screenshot(page, "sign-in-401");
  });

  it("signs in and shows the tenant and the key's scopes", async () => {
    await signIn(page, url, DEMO_KEY);
    await expect.poll(() => page.getByTestId("who").textContent(), POLL).toMatch(/tenant demo · key \S+ · scopes \*/);
    const nav = await page.getByRole("navigation", { name: "Pages" }).getByRole("link").allTextContents();
    expect(nav).toEqual(expect.arrayContaining(["Chat", "Documents", "Search", "Tools", "Speech", "Usage"]));
    await screenshot(page, "chat-empty");
  });

  it("streams a chat answer, stops a long one, and lists the session", async () => {
    await openPage(page, "Chat");
    await page.getByLabel("Message").fill("Hello there, console");
    await page.getByRole("button", { name: "Send" }).click();
    const assistant = page.getByRole("article", { name: "Assistant" }).last();
    await expect.poll(() => assistant.textContent(), { timeout: 15_000 }).toMatch(/\w{3,}/);
    await page.getByRole("button", { name: "Send" }).waitFor();
    expect(await page.getByRole("complementary", { name: "Sessions" }).getByRole("listitem").count()).toBe(1);

    // A slow network keeps a long answer streaming long enough to press Stop.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 50, downloadThroughput: 4000, uploadThroughput: -1 });
    await page.getByLabel("Message").fill(`Tell me everything about ${"refund policy and annual plans ".repeat(60)}`);
    await page.getByRole("button", { name: "Send" }).click();
    const stopping = page.getByRole("article", { name: "Assistant" }).last();
    await expect.poll(() => stopping.locator(".content").textContent(), { timeout: 15_000 }).toMatch(/\w{3,}/);
    await page.getByRole("button", { name: "Stop" }).click();
    await stopping.getByText("Stopped before the answer was complete.").waitFor();
    const kept = (await stopping.locator(".content").textContent()) ?? "";
    await page.getByRole("button", { name: "Send" }).waitFor();
    expect(kept.length).toBeGreaterThan(0);
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await screenshot(page, "chat");
  });

  it("uploads a file, then searches it and opens a cited passage with the words highlighted", async () => {
    await openPage(page, "Documents");
    const id = uniqueId("glaciers");
    await page.locator('input[type="file"]').setInputFiles({
      name: `${id}.md`,
      mimeType: "text/markdown",
      buffer: Buffer.from("# Glaciers\n\nThe Perito Moreno glacier advances about two metres per day. It sits in Patagonia.\n"),
    });
    await expect.poll(() => page.locator(".job").textContent(), { timeout: 20_000 }).toMatch(/completed \(1 of 1\)/);
    await page.getByText(`${id}.md`, { exact: false }).first().waitFor();
    await screenshot(page, "documents");

    await openPage(page, "Search");
    await page.getByLabel("Question").fill("How fast does the Perito Moreno glacier advance?");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    const cite = page.getByRole("button", { name: /^Open source \d+$/ }).first();
    await cite.waitFor({ timeout: 20_000 });
    expect(await page.locator(".confidence").textContent()).toMatch(/Confidence: (high|medium|low)/);
    await cite.click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.locator("mark").allTextContents()).toEqual(expect.arrayContaining(["Perito", "Moreno", "glacier", "advances"]));
    await screenshot(page, "search");
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  it("shows tool calls and sources in the chat as they stream", async () => {
    await openPage(page, "Chat");
    await page.getByRole("button", { name: "New chat" }).click();
    await page.getByLabel("Allow tools").check();
    await page.getByLabel("Message").fill("classify_intent: I want to cancel my subscription");
    await page.getByRole("button", { name: "Send" }).click();
    const step = page.locator(".tool-step").last();
    await expect.poll(() => step.locator("summary").textContent(), POLL).toMatch(/Tool classify_intent done/);
    await page.getByRole("button", { name: "Send" }).waitFor();
    await page.getByLabel("Allow tools").uncheck();
    await page.getByLabel("Use my documents (RAG)").check();
    await page.getByLabel("Message").fill("How fast does the Perito Moreno glacier advance?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => page.locator(".sources summary").last().textContent(), POLL).toMatch(/\d+ sources?$/);
    await page.getByRole("button", { name: "Send" }).waitFor();
    await screenshot(page, "chat-tools-rag");
  });

  it("runs a tool from the form generated from its schema and shows it in the audit log", async () => {
    await openPage(page, "Tools");
    await page.getByLabel("Tool", { exact: true }).selectOption("classify_intent");
    await page.getByLabel(/^text/).fill("I want to cancel my subscription");
    await page.getByRole("button", { name: "Run tool" }).click();
    await expect.poll(() => page.locator(".tool-result pre").textContent(), { timeout: 15_000 }).toContain("cancellation");
    await expect.poll(() => page.getByRole("table").textContent(), POLL).toContain("classify_intent");
    await screenshot(page, "tools");
  });

  it("synthesises speech, plays it and offers the download", async () => {
    await openPage(page, "Speech");
    await page.getByLabel("Text").fill("Hello from the browser test.");
    await page.getByRole("button", { name: "Play" }).click();
    const audio = page.getByLabel("Synthesised speech");
    await audio.waitFor({ timeout: 15_000 });
    await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.readyState), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    expect(await audio.evaluate((el: HTMLAudioElement) => el.duration)).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Download" }).getAttribute("download")).toMatch(/^speech\.(wav|mp3|opus)$/);
    await screenshot(page, "speech");
  });

  it("shows usage and sees it move", async () => {
    await openPage(page, "Usage");
    const requests = page.getByTestId("day-requests");
    await requests.waitFor();
    const count = async () => Number((await requests.textContent())?.replace(/,/g, ""));
    const before = await count();
    await expect.poll(count, { timeout: 25_000, interval: 1000 }).toBeGreaterThan(before);
    expect(await page.locator(".chart canvas").count()).toBe(3);
    await screenshot(page, "usage");
  });

  it("explains a 429 with when to retry, and a 403, each with the trace id", async () => {
    const envelope = (status: number, code: string, message: string, headers: Record<string, string>) => ({
      status,
      headers: { "content-type": "application/json", "x-trace-id": `trace-${status}-0001`, ...headers },
      body: JSON.stringify({ ok: false, error: { code, message }, traceId: `trace-${status}-0001` }),
    });
    await page.route("**/v1/tools", (route) => route.fulfill(envelope(429, "rate_limited", "rate limit exceeded", { "retry-after": "42" })));
    await page.route("**/v1/tts/voices", (route) => route.fulfill(envelope(403, "forbidden", "this API key lacks the `tts` scope", {})));
    await openPage(page, "Tools");
    const limited = page.getByRole("alert");
    await expect.poll(() => limited.textContent(), POLL).toContain("Too many requests");
    expect(await limited.textContent()).toMatch(/try again in 42 seconds \(at .+\).*Trace id: trace-429-0001/);
    await screenshot(page, "error-429");
    await openPage(page, "Speech");
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toMatch(/This key may not do that.*lacks the `tts` scope.*trace-403-0001/);
    await page.unrouteAll();
  });

  it("fits a 375 px wide screen without sideways scrolling", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    // Each page is measured once what makes it wide has loaded: the model list (a select is as wide as its longest
    // option), an answer with its sources and the why panel open, the usage cards and charts.
    const loaded: Record<string, () => Promise<unknown>> = {
      Chat: () => expect.poll(() => page.getByLabel("Model").locator("option").count(), POLL).toBeGreaterThan(1),
      Search: async () => {
        await page.getByLabel("Question").fill("How fast does the Perito Moreno glacier advance?");
        await page.getByRole("button", { name: "Search", exact: true }).click();
        await page.locator(".why summary").click();
      },
      Usage: () => expect.poll(() => page.locator(".chart canvas").count(), POLL).toBe(3),
    };
    for (const [name, ready] of Object.entries(loaded)) {
      await openPage(page, name);
      await ready();
      // Charts resize on a ResizeObserver callback, after the viewport change: poll until layout settles.
      // What is polled names the elements wider than the screen, so a failure says which one.
      await expect.poll(() => page.evaluate(overflowing), POLL).toEqual([]);
    }
    await screenshot(page, "usage-375");
    await page.setViewportSize({ width: 1200, height: 800 });
  });

  it("keeps the key out of localStorage, URLs and the mesh log, and forgets it on sign-out", async () => {
    const stored = await page.evaluate(() => ({ local: JSON.stringify({ ...localStorage }), session: sessionStorage.getItem("console.apiKey") }));
    expect(stored.session).toBe(DEMO_KEY);
    expect(stored.local).not.toContain(DEMO_KEY);
    expect(page.url()).not.toContain(DEMO_KEY);
    const meshLog = inject("meshLogPath");
    if (meshLog) expect(readFileSync(meshLog, "utf8")).not.toContain(DEMO_KEY);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API key").waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("console.apiKey"))).toBeNull();
  });

  it("tells an acme key that TTS is not enabled for its tenant", async () => {
    await signIn(page, url, ACME_KEY);
    await openPage(page, "Speech");
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toContain("TTS is not enabled for this tenant");
    await screenshot(page, "speech-acme");
    await page.getByRole("button", { name: "Sign out" }).click();
  });
});

/** In the page: the innermost elements reaching past the right edge of the screen (those inside a scroller aside). */
function overflowing(): string[] {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolled = (el: Element): boolean => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== "visible") return true;
    return false;
  };
  const wide = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolled(el));
  const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
  return [`scrollWidth=${document.documentElement.scrollWidth}`, ...innermost.map((el) => `${el.tagName.toLowerCase()}.${String(el.className)} right=${Math.round(el.getBoundingClientRect().right)}`)];
}
