// Saves a full-page PNG of a web page as a patient's browser shows it, for looking at by eye.
// Usage: node screenshot.mjs PAGE.html OUT.png [WIDTH=320] [TEXT_SCALE=1]
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [file, out, width = "320", scale = "1"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"], headless: true });
try {
  const page = await (await browser.newContext({ viewport: { width: Number(width), height: 800 } })).newPage();
  await page.goto(pathToFileURL(resolve(file)).href);
  await page.evaluate((s) => {
    const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
    document.documentElement.style.setProperty("font-size", `${size * s}px`, "important");
  }, Number(scale));
  await page.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
