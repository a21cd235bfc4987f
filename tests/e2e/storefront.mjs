// The storefront in a real browser: Debian's chromium (never a downloaded one) driven by
// playwright-core, against the real stack's nginx serving the rendered pages and proxying
// /api/ to a real flashsale-server. Run by tst_e2e_storefront (one scenario per call):
//
//   node storefront.mjs SCENARIO
//
// Environment: FLASHSALE_NGINX_URL (the storefront), FLASHSALE_PAGES_DIR (the pages it
// serves), STOREFRONT_ADMIN_URL and
// STOREFRONT_ADMIN_TOKEN (the server's admin API), STOREFRONT_SERVER_URL (the server's own
// shopper port, for its /metrics), STOREFRONT_SCREENSHOT (where the product page's picture
// goes), CHROMIUM (default /usr/bin/chromium). Exits 0 when the scenario held, else prints
// what did not and exits 1.
import { readFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const storefront = process.env.FLASHSALE_NGINX_URL;
const adminUrl = process.env.STOREFRONT_ADMIN_URL;
const adminToken = process.env.STOREFRONT_ADMIN_TOKEN;
const serverUrl = process.env.STOREFRONT_SERVER_URL;
const screenshot = process.env.STOREFRONT_SCREENSHOT;
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

class Failure extends Error {}
function check(condition, what) {
    if (!condition) throw new Failure(what);
}
const log = (...args) => console.log("storefront:", ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/// Polls \a probe until it returns something truthy or \a timeoutMs passed; that value.
async function until(what, timeoutMs, probe) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Failure(`${what}: not within ${timeoutMs} ms`);
        await sleep(50);
    }
}

async function admin(method, path, body) {
    const response = await fetch(adminUrl + path, {
        method,
        headers: { Authorization: "Bearer " + adminToken, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json();
    check(response.ok, `admin ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
}

const iso = (ms) => new Date(ms).toISOString();
const unique = () => Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36);

/// A product and its sale (times relative to now, in ms); waits for its page on nginx and
/// returns {goodsId, url, renderedMs} (renderedMs: from before the sale's PUT to the page).
async function saleWith({ name, stock = 5, revealIn = 0, startIn = 0, endIn = 3600_000, image = "", challengeBits = 0 }) {
    const goods = await admin("POST", "/admin/goods", {
        name,
        description: "A storefront test product.\nSecond line.",
        image,
        priceCents: 79900,
        flashPriceCents: 49900,
    });
    const now = Date.now();
    const before = performance.now();
    await admin("PUT", `/admin/sales/${goods.goodsId}`, {
        stock,
        revealAt: iso(now + revealIn),
        startAt: iso(now + startIn),
        endAt: iso(now + endIn),
        ratePerSecond: 1000,
        burst: 100,
        challengeBits,
    });
    const url = `${storefront}/sales/${goods.goodsId}/`;
    await until(`the page of goods ${goods.goodsId}`, 5000, async () => (await fetch(url)).status === 200);
    const renderedMs = Math.round(performance.now() - before);
    log(`goods ${goods.goodsId}: page on nginx ${renderedMs} ms after the sale was scheduled`);
    return { goodsId: goods.goodsId, url, renderedMs };
}

async function shopperToken(username) {
    const password = "storefront-pw";
    let r = await fetch(`${storefront}/api/users`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
    });
    check(r.status === 201, `sign-up of ${username}: ${r.status}`);
    r = await fetch(`${storefront}/api/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
    });
    check(r.status === 200, `sign-in of ${username}: ${r.status}`);
    return (await r.json()).token;
}

async function serverRequests() {
    const text = await (await fetch(`${serverUrl}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith("flashsale_http_requests_total"));
    check(line, "flashsale_http_requests_total in /metrics");
    return Number(line.split(/\s+/)[1]);
}

/// A fresh page whose dialogs fail the scenario and whose errors are printed.
async function openPage(browser) {
    const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    const page = await context.newPage();
    const problems = [];
    page.on("dialog", async (dialog) => {
        problems.push(`a dialog fired: ${dialog.type()} "${dialog.message()}"`);
        await dialog.dismiss();
    });
    page.on("pageerror", (e) => problems.push("script error: " + e.message));
    page.on("console", (m) => {
        if (m.type() === "error" && !m.text().includes("Failed to load resource")) problems.push("console: " + m.text());
    });
    return { page, context, problems };
}

const state = (page) => page.locator("#state").getAttribute("data-state");
async function untilState(page, wanted, timeoutMs) {
    await until(`state ${wanted}`, timeoutMs, async () => (await state(page)) === wanted);
}

async function signUp(page, username) {
    await page.fill("#username", username);
    await page.fill("#password", "storefront-pw");
    await page.click("#signup-button");
    await until("signed in", 10000, async () => (await page.locator("#account").textContent()).includes(username));
}

// ---------------------------------------------------------------------------------------

const scenarios = {
    // A sale with a proof-of-work challenge: the page asks for one, solves it with Web
    // Crypto, gets the path and buys; the time Chromium takes for 16 and 20 bits is logged.
    async challenge(browser) {
        const problems = [];
        for (const bits of [16, 20]) {
            const sale = await saleWith({ name: `Guarded ${bits} ` + unique(), revealIn: -2000, startIn: -1000, challengeBits: bits });
            const { page, problems: own } = await openPage(browser);
            let asked = 0;
            let solvedAt = 0;
            page.on("request", (r) => {
                if (/\/challenge$/.test(new URL(r.url()).pathname)) asked = asked || performance.now();
            });
            page.on("response", (r) => {
                if (r.status() === 200 && /\/path$/.test(new URL(r.url()).pathname)) solvedAt = solvedAt || performance.now();
            });
            await page.goto(sale.url);
            await signUp(page, "solver-" + unique());
            await until(`the path of a ${bits}-bit sale`, 120000, async () => solvedAt > 0);
            const ms = Math.round(solvedAt - asked);
            log(`challenge of ${bits} bits: solved by Chromium's Web Crypto in ${ms} ms (challenge asked to path given)`);
            check(asked > 0, "the page asked for a challenge");
            if (bits === 16) {
                await until("Buy enabled", 10000, async () => !(await page.locator("#buy").isDisabled()));
                await page.locator("#buy").click();
                await page.locator("#order").waitFor({ state: "visible", timeout: 30000 });
                check(/^\d+$/.test(await page.locator("#order-id").textContent()), "an order after the challenge");
            }
            problems.push(...own);
            await page.close();
        }
        return problems;
    },

    // Sign up, the countdown reaches the start, Buy enables by itself, one click ->
    // queued with a position -> created with an order id; a second click sends nothing.
    async buy(browser) {
        const sale = await saleWith({ name: "Storefront phone " + unique(), startIn: 8000 });
        check(sale.renderedMs < 1000, `the page took ${sale.renderedMs} ms to appear (more than a second)`);
        const { page, problems } = await openPage(browser);
        const buyRequests = [];
        let queued = null;
        page.on("request", (r) => {
            if (r.method() === "POST" && /\/api\/sales\/\d+\/[^/]+\/orders$/.test(new URL(r.url()).pathname)) buyRequests.push(r.url());
        });
        page.on("response", async (r) => {
            if (r.status() === 202) queued = await r.json();
        });
        await page.goto(sale.url);
        await signUp(page, "shopper-" + unique());
        await untilState(page, "not_started", 5000);
        check((await page.locator("#countdown").textContent()).startsWith("Starts in"), "a countdown to the start");
        check(await page.locator("#buy").isDisabled(), "Buy disabled before the start");
        // Record what the page says to the shopper (the place in line shows only briefly).
        await page.evaluate(() => {
            window.__said = [];
            const el = document.getElementById("buy-message");
            new MutationObserver(() => window.__said.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
        });
        await until("Buy enabled by itself at the start", 20000, async () => !(await page.locator("#buy").isDisabled()));
        check((await state(page)) === "live", "live at the start");
        // A double click, then more clicks while the button cools down.
        await page.locator("#buy").dblclick();
        check(await page.locator("#buy").isDisabled(), "Buy disabled right after the click");
        const box = await page.locator("#buy").boundingBox();
        for (let i = 0; i < 5; i++) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        check(await page.locator("#buy-progress").isVisible(), "progress shown while Buy is disabled");
        await page.locator("#order").waitFor({ state: "visible", timeout: 30000 });
        check(queued && queued.status === "queued" && queued.position >= 1, `a 202 with a position: ${JSON.stringify(queued)}`);
        const said = await page.evaluate(() => window.__said);
        check(said.includes(`You are number ${queued.position} in line.`), `"You are number ${queued.position} in line." shown; said: ${JSON.stringify(said)}`);
        const orderId = await page.locator("#order-id").textContent();
        check(/^\d+$/.test(orderId), `an order id: "${orderId}"`);
        check((await page.locator("#order-price").textContent()) === "$499.00", "the order's price");
        check(await page.locator("#pay").isVisible(), "Pay offered");
        check(await page.locator("#cancel").isVisible(), "Cancel offered");
        check(buyRequests.length === 1, `one buy request for all the clicks, not ${buyRequests.length}`);
        if (screenshot) {
            await page.screenshot({ path: screenshot });
            log("screenshot in", screenshot);
        }
        await page.click("#pay");
        await until("paid", 10000, async () => (await page.locator("#order").getAttribute("data-status")) === "paid");
        check(buyRequests.length === 1, "still one buy request");
        // The index lists the sale.
        await page.goto(storefront + "/");
        check((await page.locator(`.card[data-goods-id="${sale.goodsId}"]`).count()) === 1, "the sale on the index");
        log(`order ${orderId}, place in line ${queued.position}, ${buyRequests.length} buy request`);
        return problems;
    },

    // Sold out when the stock is gone: shown on the open page without a reload.
    async sold_out(browser) {
        const sale = await saleWith({ name: "Last lamp " + unique(), stock: 1, revealIn: -2000, startIn: -1000 });
        const { page, problems } = await openPage(browser);
        await page.goto(sale.url);
        await untilState(page, "live", 10000);
        await page.evaluate(() => (window.__sameDocument = true));
        // Somebody else takes the last unit.
        const token = await shopperToken("rival-" + unique());
        const auth = { Authorization: "Bearer " + token, "Content-Type": "application/json" };
        const path = (await (await fetch(`${storefront}/api/sales/${sale.goodsId}/path`, { headers: auth })).json()).path;
        const bought = await fetch(`${storefront}/api/sales/${sale.goodsId}/${path}/orders`, { method: "POST", headers: auth, body: "{}" });
        check(bought.status === 202, `the rival's buy: ${bought.status}`);
        await untilState(page, "sold_out", 10000);
        check(await page.evaluate(() => window.__sameDocument === true), "no reload");
        check(await page.locator("#buy").isDisabled(), "Buy disabled when sold out");
        return problems;
    },

    // The operator's kill switch message appears within seconds without a reload, and
    // lifting it reopens the sale.
    async kill_switch(browser) {
        const sale = await saleWith({ name: "Paused kettle " + unique(), revealIn: -2000, startIn: -1000 });
        const { page, problems } = await openPage(browser);
        await page.goto(sale.url);
        await untilState(page, "live", 10000);
        await page.evaluate(() => (window.__sameDocument = true));
        const message = "Back in five minutes " + unique();
        const thrown = performance.now();
        await admin("PUT", "/admin/degradation", { scope: sale.goodsId, on: true, message });
        await until("the operator's message", 10000, async () => (await state(page)) === "degraded" && (await page.locator("#state").textContent()) === message);
        log(`kill switch shown ${Math.round(performance.now() - thrown)} ms after the admin call`);
        check(await page.locator("#buy").isDisabled(), "Buy disabled while switched off");
        await admin("PUT", "/admin/degradation", { scope: sale.goodsId, on: false, message: "" });
        await untilState(page, "live", 10000);
        check(await page.evaluate(() => window.__sameDocument === true), "no reload");
        return problems;
    },

    // The end of the sale reached on the page's clock: ended, Buy disabled.
    async ended(browser) {
        const sale = await saleWith({ name: "Brief sale " + unique(), revealIn: -60000, startIn: -30000, endIn: 4000 });
        const { page, problems } = await openPage(browser);
        await page.goto(sale.url);
        await untilState(page, "live", 10000);
        await untilState(page, "ended", 15000);
        check(await page.locator("#buy").isDisabled(), "Buy disabled after the end");
        check((await page.locator("#state").textContent()).includes("ended"), "says it ended");
        return problems;
    },

    // A product named like markup renders as text: no dialog, no such element, the CSP header.
    async xss(browser) {
        const name = "<img src=x onerror=alert(1)>";
        const sale = await saleWith({ name, startIn: 60000 });
        const { page, problems } = await openPage(browser);
        const response = await page.goto(sale.url);
        const csp = response.headers()["content-security-policy"] || "";
        check(csp.includes("script-src 'self'"), `the CSP header: "${csp}"`);
        check(!csp.includes("unsafe-inline"), "no unsafe-inline");
        await untilState(page, "not_started", 10000);
        check((await page.locator("#name").textContent()) === name, "the name as text");
        check((await page.title()).startsWith(name), "the title as text");
        check((await page.locator('img[src="x"]').count()) === 0, "no element made from the name");
        await page.goto(storefront + "/");
        check((await page.locator(`.card[data-goods-id="${sale.goodsId}"] .name`).textContent()) === name, "the name as text on the index");
        check((await page.locator('img[src="x"]').count()) === 0, "no element made from the name on the index");
        await sleep(500); // time for an onerror handler to fire, were there one
        // An edit of the product is in its page file within a second, and on nginx once its
        // open-file cache looks again (open_file_cache_valid: at most a second more).
        const renamed = "Renamed & checked " + unique();
        const before = performance.now();
        await admin("PUT", `/admin/goods/${sale.goodsId}`, { name: renamed, description: "", image: "/img/x.png", priceCents: 1000, flashPriceCents: 900 });
        const heading = `<h1 id="name">${renamed.replace("&", "&amp;")}</h1>`;
        const file = `${process.env.FLASHSALE_PAGES_DIR}/sales/${sale.goodsId}/index.html`;
        await until("the edited name in the page's file", 5000, async () => (await readFile(file, "utf8").catch(() => "")).includes(heading));
        const writtenMs = Math.round(performance.now() - before);
        await until("the edited name on nginx", 5000, async () => (await (await fetch(sale.url)).text()).includes(heading));
        const servedMs = Math.round(performance.now() - before);
        log(`an edit of goods ${sale.goodsId}: page written ${writtenMs} ms, served ${servedMs} ms after the admin call`);
        check(writtenMs < 1000, `the edit took ${writtenMs} ms to reach the page's file (more than a second)`);
        check(servedMs < 2000, `the edit took ${servedMs} ms to reach nginx's answers`);
        return problems;
    },

    // Loading the storefront never reaches flashsale-server: its request counter moves
    // only by the page's own JSON calls.
    async no_server(browser) {
        const sale = await saleWith({ name: "Static stool " + unique(), startIn: 60000 });
        const first = await serverRequests();
        const perRead = (await serverRequests()) - first; // what reading the counter costs
        const base = await serverRequests();
        for (const path of ["/", `/sales/${sale.goodsId}/`, "/status.json", "/assets/storefront.js", "/assets/storefront.css"]) {
            for (let i = 0; i < 5; i++) check((await fetch(storefront + path)).status === 200, `GET ${path}`);
        }
        const afterFetches = await serverRequests();
        check(afterFetches - base === perRead, `25 page and asset loads moved the server's counter by ${afterFetches - base - perRead}`);

        const { page, context, problems } = await openPage(browser);
        let started = 0;
        let finished = 0;
        page.on("request", (r) => {
            if (new URL(r.url()).pathname.startsWith("/api/")) started++;
        });
        page.on("requestfinished", (r) => {
            if (new URL(r.url()).pathname.startsWith("/api/")) finished++;
        });
        const before = await serverRequests();
        await page.goto(sale.url);
        await untilState(page, "not_started", 10000);
        await page.goto(storefront + "/");
        await sleep(1000);
        await context.close();
        await sleep(300);
        const moved = (await serverRequests()) - before - perRead;
        log(`the browser made ${finished} API calls (${started} started); the server counted ${moved}`);
        check(moved >= finished && moved <= started, `the server counted ${moved} requests, the page's API calls were ${finished}-${started}`);
        return problems;
    },

    // The API down (the test stopped the server): the page renders and says so.
    async api_down(browser) {
        const goodsId = process.env.STOREFRONT_GOODS_ID;
        const { page, problems } = await openPage(browser);
        const response = await page.goto(`${storefront}/sales/${goodsId}/`);
        check(response.status() === 200, "the page is served");
        check((await page.locator("#name").textContent()).length > 0, "the product is shown");
        await untilState(page, "api_down", 15000);
        check(await page.locator("#connection").isVisible(), "the connection notice");
        check(await page.locator("#buy").isDisabled(), "Buy disabled");
        return problems;
    },
};

const name = process.argv[2];
const scenario = scenarios[name];
if (!scenario) {
    console.error(`storefront: unknown scenario "${name}" (${Object.keys(scenarios).join(", ")})`);
    process.exit(2);
}
let browser;
let failed = false;
try {
    browser = await chromium.launch({
        executablePath,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
    });
    const problems = await scenario(browser);
    for (const p of problems) console.error("storefront: " + p);
    failed = problems.length > 0;
} catch (e) {
    console.error("storefront: " + name + ": " + (e instanceof Failure ? e.message : e.stack));
    failed = true;
} finally {
    if (browser) await browser.close();
}
log(name, failed ? "FAILED" : "passed");
process.exit(failed ? 1 : 0);
