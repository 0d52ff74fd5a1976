// Opens web pages in headless Chromium and reports what a patient or an accessibility
// specialist would find wrong: axe-core violations (WCAG 2.2 A/AA and best practices),
// sideways scrolling at 320 CSS pixels and with text at 200%, table cells cut off or with
// words split at those sizes, and numbers, phone numbers,
// times and web addresses drawn out of order on right-to-left pages.
//
// Usage: node check_pages.mjs FILE...   (prints one JSON object: file -> findings)
// A .html file is opened as a web page; a .txt file is shown as a right-to-left text viewer
// shows it (a <pre dir="rtl">) and only the order of its numbers is checked.
// CHROMIUM names the browser (default /usr/bin/chromium).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

// Elements wider than the viewport, or pushing the page sideways.
function overflow() {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width + 1) {
    found.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px window`);
  }
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let clipped = false;  // inside a region that scrolls on its own: allowed (WCAG 1.4.10 exception for tables)
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (["auto", "scroll"].includes(style.overflowX)) { clipped = true; break; }
    }
    if (clipped || getComputedStyle(el).position === "absolute") continue;
    if (box.right > width + 1 || box.left < -1) {
      found.push(`<${el.tagName.toLowerCase()}> "${(el.textContent || "").trim().slice(0, 40)}" runs from ${Math.round(box.left)} to ${Math.round(box.right)}px`);
    }
  }
  return found.slice(0, 10);
}

// Every table cell's text must be readable where it is: inside the window and inside any
// region that scrolls (a cell cut off at the edge of a scrolling table is hidden
// information), and no word split across two lines.  Returns the problems and how many
// cells were measured.
function cells() {
  const width = document.documentElement.clientWidth;
  const found = [];
  let measured = 0;
  const hidden = (el) => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      const box = p.getBoundingClientRect();
      if (getComputedStyle(p).position === "absolute" && box.width <= 1) return true;  // read by screen readers only
      if (getComputedStyle(p).display === "none") return true;
    }
    return false;
  };
  for (const cell of document.querySelectorAll("td, th")) {
    if (hidden(cell) || !(cell.textContent || "").trim()) continue;
    measured++;
    const name = `"${cell.textContent.trim().slice(0, 40)}"`;
    const boxes = [];
    const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      if (!node.data.trim() || hidden(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      boxes.push(...[...range.getClientRects()].filter((b) => b.width > 0));
    }
    if (!boxes.length) continue;
    const text = { left: Math.min(...boxes.map((b) => b.left)), right: Math.max(...boxes.map((b) => b.right)) };
    let bounds = { left: 0, right: width };
    for (let p = cell.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(p).overflowX)) {
        const box = p.getBoundingClientRect();
        bounds = { left: Math.max(bounds.left, box.left), right: Math.min(bounds.right, box.right) };
      }
    }
    if (text.left < bounds.left - 1 || text.right > bounds.right + 1) {
      found.push(`cell ${name} is drawn from ${Math.round(text.left)} to ${Math.round(text.right)}px; ` +
        `only ${Math.round(bounds.left)} to ${Math.round(bounds.right)}px can be seen`);
      continue;
    }
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(node, word.index);
        r.setEnd(node, word.index + word[0].length);
        const tops = new Set([...r.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top / 4)));
        if (tops.size > 1) found.push(`the word "${word[0]}" in cell ${name} is split across lines`);
      }
    }
  }
  // A phone number is never split across lines, in a cell or anywhere else.
  for (const link of document.querySelectorAll('a[href^="tel:"]')) {
    if (hidden(link)) continue;
    const tops = new Set([...link.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top / 4)));
    if (tops.size > 1) found.push(`the phone number "${link.textContent}" is split across lines`);
  }
  return { found: found.slice(0, 10), measured };
}

// On a right-to-left page, each run of digit groups ("0118 496 0123", "8am to 5pm" is two runs),
// date range and web address must be drawn left to right: measure where each part is drawn.
function reversed() {
  const found = [];
  let measured = 0;
  const atom = String.raw`\d+(?:[.:,]\d+)*(?:\s?(?:am|pm))?`;
  const pattern = new RegExp(String.raw`${atom}(?:(?:\s?[-–—/]\s?|[ \u00a0])${atom})+` +
    String.raw`|(?:https?:\/\/|www\.)[^\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+`, "gi");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    for (const match of text.matchAll(pattern)) {
      const parts = [...match[0].matchAll(/[^\s\u00a0./:\-–@]+/g)];
      if (parts.length < 2) continue;
      const xs = [];
      for (const part of parts) {
        const range = document.createRange();
        const start = match.index + part.index;
        range.setStart(node, start);
        range.setEnd(node, start + part[0].length);
        const rects = range.getClientRects();
        if (!rects.length) { xs.length = 0; break; }
        xs.push([rects[0].left, rects[0].top]);
      }
      if (xs.length) measured++;
      for (let i = 1; i < xs.length; i++) {
        const sameLine = Math.abs(xs[i][1] - xs[i - 1][1]) < 2;
        if (sameLine && xs[i][0] < xs[i - 1][0]) {
          found.push(`"${match[0]}" is drawn out of order`);
          break;
        }
      }
    }
  }
  return { found, measured };
}

async function checkText(browser, file) {
  const text = readFileSync(file, "utf8");
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  await page.setContent(`<!DOCTYPE html><html dir="rtl" lang="ur"><body><pre style="font-family: sans-serif">${escaped}</pre></body></html>`);
  const { found, measured } = await page.evaluate(reversed);
  await context.close();
  return { violations: [], reflow: [], zoom: [], reversed: found, measured, rtl: true, cells: 0,
    cellsNarrow: { found: [], measured: 0 }, cellsZoom: { found: [], measured: 0 } };
}

async function check(browser, file) {
  if (file.endsWith(".txt")) return checkText(browser, file);
  const url = pathToFileURL(resolve(file)).href;
  const result = { violations: [], reflow: [], zoom: [], reversed: [], measured: 0, rtl: false, dialogs: [],
    scripts: 0 };
  const order = async (page) => {
    const { found, measured } = await page.evaluate(reversed);
    result.reversed.push(...found);
    result.measured = Math.max(result.measured, measured);
  };
  const wide = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await wide.newPage();
  page.on("dialog", async (dialog) => { result.dialogs.push(dialog.message()); await dialog.dismiss(); });
  await page.goto(url);
  result.scripts = await page.evaluate(() => document.scripts.length);  // before axe is added
  const openAll = () => document.querySelectorAll("details").forEach((d) => { d.open = true; });
  await page.evaluate(openAll);  // what is inside a closed section is measured too
  await page.addScriptTag({ path: axePath });
  const axe = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + ": " + n.failureSummary) }));
  }, TAGS);
  result.violations = axe;
  result.rtl = await page.evaluate(() => document.documentElement.dir === "rtl" ||
    getComputedStyle(document.body).direction === "rtl");
  await order(page);
  // Text at 200%: what a browser's text-size setting does to a page sized in rem and %.
  await page.evaluate(() => {
    const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
    document.documentElement.style.setProperty("font-size", `${size * 2}px`, "important");
  });
  result.zoom = await page.evaluate(overflow);
  result.cellsZoom = await page.evaluate(cells);
  await order(page);
  await wide.close();
  const narrow = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const small = await narrow.newPage();
  await small.goto(url);
  result.height = await small.evaluate(() => document.documentElement.scrollHeight);  // as it opens
  await small.evaluate(openAll);
  result.reflow = await small.evaluate(overflow);
  result.cellsNarrow = await small.evaluate(cells);
  result.cells = await small.evaluate(() => document.querySelectorAll("td").length);
  await order(small);
  await narrow.close();
  result.reversed = [...new Set(result.reversed)];
  return result;
}

// Playwright starts the browser with a fresh, empty profile of its own (its --user-data-dir).
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
  headless: true,
});
const out = {};
const files = process.argv.slice(2);
try {
  // A few pages at a time: each waits on the browser more than on this process.
  const workers = Array.from({ length: Math.min(4, Math.max(2, cpus().length)) }, async () => {
    while (files.length) {
      const file = files.shift();
      out[file] = await check(browser, file);
    }
  });
  await Promise.all(workers);
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out, null, 1));
