// The storefront's page script: plain JavaScript, no framework, no build step.
//
// The pages are static files nginx serves; this script makes them live through the shopper
// API (same site, /api/...): the countdown on the shop's clock, sign-up and sign-in, the
// sale's secret path at the reveal, a Buy button that cannot be hammered, the place in line
// and the order. The operators' switches and sold-out marks come from /status.json, a static
// file the server rewrites when they change, so watching them costs the API nothing.
"use strict";

(function () {
    const API = "/api";
    const TOKEN_KEY = "flashsale.session";
    // After a click the Buy button stays disabled this long (or for the Retry-After the API
    // asks for, when longer): a shopper's double click or hammering sends one request.
    const BUY_COOLDOWN_MS = 3000;
    const STATUS_POLL_MS = 2000; // /status.json: the kill switch's message within seconds
    const SALE_REFRESH_MS = 30000; // the sale's state and the clock, from the API
    const ORDER_POLL_FIRST_MS = 400; // orders/me: first poll, then longer waits
    const ORDER_POLL_MAX_MS = 5000;
    const ORDER_POLL_GIVE_UP_MS = 180000;

    const $ = (id) => document.getElementById(id);

    // ---------------------------------------------------------------------------------
    // The shop's clock: serverTime of an API answer, corrected by half the round trip.
    // The sample with the shortest round trip wins (the least uncertain one).
    const clock = { offsetMs: 0, bestRoundTripMs: Infinity };
    function serverNow() {
        return Date.now() + clock.offsetMs;
    }
    function learnClock(serverTime, sentAt, receivedAt) {
        const server = Date.parse(serverTime);
        if (Number.isNaN(server)) return;
        const roundTrip = receivedAt - sentAt;
        // A much later sample is taken too, even if slower: clocks drift.
        if (roundTrip <= clock.bestRoundTripMs || roundTrip < 50) {
            clock.bestRoundTripMs = roundTrip;
            clock.offsetMs = server + roundTrip / 2 - receivedAt;
        }
    }

    // ---------------------------------------------------------------------------------
    // The API. Every answer is {status, body, retryAfterMs}; status 0 means no answer (the
    // API or the network is down), like nginx's own 502/504 pages.
    async function call(method, path, body, token) {
        const headers = { Accept: "application/json" };
        if (body !== undefined) headers["Content-Type"] = "application/json";
        if (token) headers.Authorization = "Bearer " + token;
        const sentAt = Date.now();
        let response;
        try {
            response = await fetch(API + path, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body),
                cache: "no-store",
                credentials: "omit",
            });
        } catch (e) {
            return { status: 0, body: {}, retryAfterMs: 0 };
        }
        const receivedAt = Date.now();
        let json = null;
        try {
            json = await response.json();
        } catch (e) {
            json = null;
        }
        // nginx's answer when no API instance answers ("unavailable"), or an error page
        // that is not the API's JSON at all: the API is down.
        if (json === null || (response.status >= 500 && json.error === "unavailable"))
            return { status: json === null && response.status < 500 ? response.status : 0, body: {}, retryAfterMs: 0 };
        if (json && typeof json.serverTime === "string") learnClock(json.serverTime, sentAt, receivedAt);
        const retryAfter = Number(response.headers.get("Retry-After"));
        return {
            status: response.status,
            body: json || {},
            retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0,
        };
    }

    function describe(reply, fallback) {
        return (reply.body && reply.body.message) || fallback;
    }

    // ---------------------------------------------------------------------------------
    // Presentation helpers

    function countdown(ms) {
        const total = Math.max(0, Math.ceil(ms / 1000));
        const d = Math.floor(total / 86400);
        const h = Math.floor((total % 86400) / 3600);
        const m = Math.floor((total % 3600) / 60);
        const s = total % 60;
        const two = (n) => String(n).padStart(2, "0");
        if (d > 0) return `${d} d ${h} h ${two(m)} min`;
        if (h > 0) return `${h}:${two(m)}:${two(s)}`;
        return `${m}:${two(s)}`;
    }

    function localiseTimes() {
        for (const t of document.querySelectorAll("time[datetime]")) {
            const when = new Date(t.getAttribute("datetime"));
            if (!Number.isNaN(when.getTime())) t.textContent = when.toLocaleString();
        }
    }

    function phaseAt(now, sale) {
        if (now < sale.revealAt) return "scheduled";
        if (now < sale.startAt) return "revealed";
        if (now < sale.endAt) return "live";
        return "ended";
    }

    function timesOf(element) {
        return {
            goodsId: element.dataset.goodsId,
            revealAt: Date.parse(element.dataset.revealAt),
            startAt: Date.parse(element.dataset.startAt),
            endAt: Date.parse(element.dataset.endAt),
        };
    }

    // The switches and sold-out marks: {site: {on, message}, goods: {id: {on, message, soldOut}}}.
    async function readStatus() {
        try {
            const response = await fetch("/status.json", { cache: "no-store" });
            if (!response.ok) return null;
            return await response.json();
        } catch (e) {
            return null;
        }
    }

    function showConnection(up) {
        const badge = $("connection");
        if (!badge) return;
        badge.hidden = up;
        badge.textContent = up ? "" : "The shop cannot be reached right now; still trying…";
    }

    // ---------------------------------------------------------------------------------
    // The index page: each card's state on the shop's clock.

    function startIndex() {
        localiseTimes();
        const cards = Array.from(document.querySelectorAll(".card"));
        let status = null;
        const paint = () => {
            const now = serverNow();
            for (const card of cards) {
                const sale = timesOf(card);
                const label = card.querySelector("[data-role=state]");
                const own = status && status.goods && status.goods[sale.goodsId];
                const phase = phaseAt(now, sale);
                let text;
                if (phase === "ended") text = "Ended";
                else if (own && own.soldOut) text = "Sold out";
                else if (phase === "live") text = "On sale now";
                else text = "Starts in " + countdown(sale.startAt - now);
                label.textContent = text;
                card.hidden = phase === "ended";
            }
            const notice = $("site-notice");
            const site = status && status.site;
            notice.hidden = !(site && site.on);
            notice.textContent = site && site.on ? site.message : "";
        };
        const sync = async () => {
            const reply = await call("GET", "/sales");
            showConnection(reply.status !== 0);
            setTimeout(sync, reply.status === 0 ? 5000 : SALE_REFRESH_MS);
        };
        const poll = async () => {
            status = (await readStatus()) || status;
            setTimeout(poll, STATUS_POLL_MS);
        };
        sync();
        poll();
        paint();
        setInterval(paint, 500);
    }

    // ---------------------------------------------------------------------------------
    // The sale page.

    // The sale's proof-of-work challenge (docs/api.md): ask for one, then find a decimal
    // nonce such that SHA-256(challenge + ":" + nonce) starts with `bits` zero bits. Web
    // Crypto hashes asynchronously, so a batch of candidates is hashed at once; progress is
    // shown as the share of the expected 2^bits tries. Returns {challenge, nonce}, or null
    // when no challenge could be had (the caller says so).
    const SOLVE_BATCH = 512;

    function leadingZeroBits(digest, bits) {
        const bytes = new Uint8Array(digest);
        let i = 0;
        for (; bits >= 8; bits -= 8, i++) if (bytes[i] !== 0) return false;
        return bits === 0 || bytes[i] >> (8 - bits) === 0;
    }

    async function solveChallenge(request, token, onProgress) {
        if (!window.crypto || !window.crypto.subtle) return null; // only in secure contexts
        const reply = await call("GET", `/sales/${request.goodsId}/challenge`, undefined, token);
        if (reply.status !== 200 || !reply.body.challenge) return null;
        const { challenge, bits } = reply.body;
        const encoder = new TextEncoder();
        const expected = 2 ** bits;
        for (let base = 0; ; base += SOLVE_BATCH) {
            const nonces = Array.from({ length: SOLVE_BATCH }, (_, i) => base + i);
            const digests = await Promise.all(
                nonces.map((n) => crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n))));
            const found = digests.findIndex((d) => leadingZeroBits(d, bits));
            if (found >= 0) return { challenge, nonce: String(nonces[found]) };
            if (onProgress) onProgress(Math.min(0.99, (base + SOLVE_BATCH) / expected));
            // Let the page breathe between batches: clicks, painting, the countdown.
            await new Promise((resolve) => setTimeout(resolve, 0));
        }
    }

    function startSale() {
        localiseTimes();
        const root = $("sale");
        const sale = timesOf(root);
        const s = {
            session: readSession(),
            apiUp: null, // unknown until the first answer
            apiSoldOut: false, // the API said sold out (state or a 410)
            statusSoldOut: false, // /status.json says sold out
            switchMessage: null, // the operator's kill switch (site or this product)
            degradedMessage: null, // a 503 degraded answer, until its Retry-After passes
            degradedUntil: 0,
            rateLimitedUntil: 0,
            path: null,
            pathRequested: false,
            pathProblem: null,
            challengeBits: 0, // the sale's proof-of-work difficulty (0: none), from the API
            buying: false, // a buy request is on its way
            cooldownFrom: 0,
            cooldownUntil: 0,
            order: null, // {status, orderId, position}
            lastPhase: null,
        };

        function readSession() {
            try {
                const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || "null");
                if (saved && saved.token && Date.parse(saved.expiresAt) > Date.now()) return saved;
            } catch (e) {
                /* a damaged entry is no session */
            }
            return null;
        }
        function saveSession(session) {
            s.session = session;
            if (session) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
            else sessionStorage.removeItem(TOKEN_KEY);
        }
        function sessionEnded() {
            saveSession(null);
            s.path = null;
            s.pathRequested = false;
            setMessage("signin-message", "Your session has ended: please sign in again.", true);
        }

        function setMessage(id, text, bad) {
            const el = $(id);
            el.textContent = text || "";
            el.classList.toggle("bad", !!bad);
        }

        // What the shopper sees, worked out afresh from the state on every tick.
        function paint() {
            const now = serverNow();
            const phase = phaseAt(now, sale);
            if (phase !== s.lastPhase) {
                // At a boundary ask the API as well: it decides, and it corrects the clock.
                if (s.lastPhase !== null) refreshSale();
                s.lastPhase = phase;
            }
            const soldOut = s.apiSoldOut || s.statusSoldOut;
            const degraded = s.switchMessage || (Date.now() < s.degradedUntil ? s.degradedMessage : null);
            const rateLimited = Date.now() < s.rateLimitedUntil;
            let state;
            let text;
            let next = "";
            // An ended sale is over whatever the API answers now: say that, not that the
            // shop is unreachable (a refresh at the end may well fail under the rush).
            if (phase === "ended") {
                state = "ended";
                text = "This sale has ended.";
            } else if (s.apiUp === false) {
                state = "api_down";
                text = "The shop's servers cannot be reached right now. This page keeps trying.";
            } else if (soldOut) {
                state = "sold_out";
                text = "Sold out: every unit has been taken.";
            } else if (degraded) {
                state = "degraded";
                text = degraded;
            } else if (phase === "scheduled" || phase === "revealed") {
                state = "not_started";
                text = "The sale has not started yet.";
                next = "Starts in " + countdown(sale.startAt - now);
            } else if (rateLimited) {
                state = "rate_limited";
                text = "So many shoppers at once: please wait a moment, the button comes back by itself.";
            } else {
                state = "live";
                text = "On sale now!";
                next = "Ends in " + countdown(sale.endAt - now);
            }
            if (state === "live" && s.pathProblem) text = s.pathProblem;
            const stateEl = $("state");
            stateEl.dataset.state = state;
            if (stateEl.textContent !== text) stateEl.textContent = text;
            $("countdown").textContent = next;

            // Sign-in form and account line
            const signedIn = !!s.session;
            $("signin").hidden = signedIn;
            const account = $("account");
            if (signedIn && account.dataset.user !== s.session.username) {
                account.dataset.user = s.session.username;
                account.textContent = "Signed in as " + s.session.username;
                const out = document.createElement("button");
                out.type = "button";
                out.id = "signout";
                out.textContent = "Sign out";
                out.addEventListener("click", () => {
                    saveSession(null);
                    s.order = null;
                    s.path = null;
                    s.pathRequested = false;
                    paintOrder();
                });
                account.appendChild(out);
            } else if (!signedIn && account.dataset.user) {
                delete account.dataset.user;
                account.textContent = "";
            }

            // From the reveal on, a signed-in shopper fetches the sale's secret path.
            if (signedIn && phase !== "scheduled" && phase !== "ended" && !s.path && !s.pathRequested)
                fetchPath();

            // The Buy button
            const cooling = Date.now() < s.cooldownUntil;
            const holding = s.order && ["queued", "created", "paid"].includes(s.order.status);
            const buy = $("buy");
            buy.disabled = !(state === "live" && signedIn && s.path && !cooling && !s.buying && !holding);
            const progress = $("buy-progress");
            progress.hidden = !(cooling || s.buying);
            if (!progress.hidden) {
                const span = Math.max(1, s.cooldownUntil - s.cooldownFrom);
                progress.value = Math.min(100, (100 * (Date.now() - s.cooldownFrom)) / span);
            }
            if (!signedIn && state === "live") setMessage("buy-message", "Sign in to buy.");
            else if ($("buy-message").textContent === "Sign in to buy.") setMessage("buy-message", "");
        }

        function paintOrder() {
            const section = $("order");
            const order = s.order;
            const shown = order && ["created", "paid", "cancelled"].includes(order.status);
            section.hidden = !shown;
            if (!shown) return;
            $("order-id").textContent = String(order.orderId);
            $("order-price").textContent = order.price || root.dataset.flashPrice;
            const words = { created: "waiting for payment", paid: "paid, thank you!", cancelled: "cancelled" };
            $("order-status").textContent = words[order.status];
            $("order").dataset.status = order.status;
            $("pay").hidden = order.status !== "created";
            $("cancel").hidden = order.status !== "created";
        }

        async function refreshSale() {
            const reply = await call("GET", `/sales/${sale.goodsId}`);
            s.apiUp = reply.status !== 0;
            showConnection(s.apiUp);
            if (reply.status === 200) {
                s.apiSoldOut = reply.body.state === "sold_out";
                s.challengeBits = Number(reply.body.challengeBits) || 0;
            }
            paint();
            return reply.status !== 0;
        }

        // The sale's state and the clock every SALE_REFRESH_MS; while the API does not
        // answer, again after 1, 2, 4 ... 15 s.
        let refreshTimer = null;
        let refreshFailures = 0;
        function refreshSoon(ms) {
            clearTimeout(refreshTimer);
            refreshTimer = setTimeout(keepSaleFresh, ms);
        }
        async function keepSaleFresh() {
            const up = await refreshSale();
            refreshFailures = up ? 0 : refreshFailures + 1;
            refreshSoon(up ? SALE_REFRESH_MS : Math.min(15000, 1000 * 2 ** (refreshFailures - 1)));
        }

        async function pollStatus() {
            const status = await readStatus();
            if (status) {
                const own = (status.goods && status.goods[sale.goodsId]) || {};
                const site = status.site || {};
                s.switchMessage = site.on ? site.message : own.on ? own.message : null;
                s.statusSoldOut = !!own.soldOut;
                paint();
            }
            setTimeout(pollStatus, STATUS_POLL_MS);
        }

        async function fetchPath() {
            s.pathRequested = true;
            let solution = null;
            const token = s.session && s.session.token;
            const solve = async () => {
                // The sale asks for a proof of work before its path (Sale.challengeBits).
                const found = await solveChallenge({ goodsId: sale.goodsId }, token, (share) => {
                    s.pathProblem = `Checking you are not a robot… ${Math.round(share * 100)}%`;
                    paint();
                });
                if (!found) {
                    s.pathProblem = "This sale asks for a proof of work this browser cannot do here (it needs a secure connection).";
                    paint();
                }
                return found;
            };
            if (s.challengeBits > 0) {
                solution = await solve();
                if (!solution) return;
            }
            for (let attempt = 0; attempt < 3; attempt++) {
                const query = solution ? "?" + new URLSearchParams(solution).toString() : "";
                const reply = await call("GET", `/sales/${sale.goodsId}/path${query}`, undefined, s.session && s.session.token);
                if (reply.status === 200 && reply.body.path) {
                    s.path = reply.body.path;
                    s.pathProblem = null;
                    paint();
                    return;
                }
                if (reply.status === 401) return sessionEnded();
                if (reply.status === 403 && reply.body && String(reply.body.error).startsWith("challenge_")) {
                    // Required (the difficulty was raised), failed (expired) or used: a new one.
                    solution = await solve();
                    if (solution) continue;
                    return;
                }
                // Not revealed yet on the shop's clock, or no answer: try again shortly.
                if (reply.status === 0) {
                    s.apiUp = false;
                    refreshSoon(1000);
                }
                setTimeout(() => {
                    s.pathRequested = false;
                }, Math.max(1000, reply.retryAfterMs));
                return;
            }
        }

        async function signIn(signUp) {
            const username = $("username").value.trim();
            const password = $("password").value;
            if (!username || password.length < 8) {
                setMessage("signin-message", "A name, and a password of at least 8 characters.", true);
                return;
            }
            $("signin-button").disabled = $("signup-button").disabled = true;
            setMessage("signin-message", signUp ? "Signing up…" : "Signing in…");
            try {
                if (signUp) {
                    const made = await call("POST", "/users", { username, password });
                    if (made.status !== 201) {
                        setMessage("signin-message", made.status === 0 ? "The shop cannot be reached; try again." : describe(made, "Could not sign up."), true);
                        return;
                    }
                }
                const reply = await call("POST", "/sessions", { username, password });
                if (reply.status !== 200) {
                    setMessage("signin-message", reply.status === 0 ? "The shop cannot be reached; try again." : describe(reply, "Could not sign in."), true);
                    return;
                }
                saveSession({ token: reply.body.token, username, expiresAt: reply.body.expiresAt });
                setMessage("signin-message", "");
                $("password").value = "";
                await checkOrder();
            } finally {
                $("signin-button").disabled = $("signup-button").disabled = false;
                paint();
            }
        }

        function coolDown(ms) {
            const now = Date.now();
            if (now >= s.cooldownUntil) s.cooldownFrom = now;
            s.cooldownUntil = Math.max(s.cooldownUntil, now + ms);
        }

        async function buy() {
            if ($("buy").disabled || s.buying) return;
            s.buying = true;
            coolDown(BUY_COOLDOWN_MS);
            setMessage("buy-message", "Sending your order…");
            paint();
            const reply = await call("POST", `/sales/${sale.goodsId}/${encodeURIComponent(s.path)}/orders`, {}, s.session.token);
            s.buying = false;
            if (reply.retryAfterMs) coolDown(reply.retryAfterMs);
            const code = reply.body.error;
            if (reply.status === 202) {
                s.order = { status: "queued", position: reply.body.position };
                setMessage("buy-message", queuedText(reply.body.position));
                followOrder();
            } else if (reply.status === 0) {
                s.apiUp = false;
                refreshSoon(1000);
                setMessage("buy-message", "No answer from the shop: your order may not have arrived. Try again in a moment.", true);
            } else if (reply.status === 401) {
                sessionEnded();
                setMessage("buy-message", "");
            } else if (code === "sold_out") {
                s.apiSoldOut = true;
                setMessage("buy-message", "");
            } else if (code === "duplicate") {
                setMessage("buy-message", "You already have an order for this sale.");
                followOrder();
            } else if (code === "too_frequent" || code === "rate_limited") {
                s.rateLimitedUntil = Date.now() + Math.max(reply.retryAfterMs, 1000);
                setMessage("buy-message", describe(reply, "Too many requests.") + ` Try again in ${Math.ceil(Math.max(reply.retryAfterMs, 1000) / 1000)} s.`, true);
            } else if (code === "degraded") {
                s.degradedMessage = describe(reply, "The sale is paused for a moment.");
                s.degradedUntil = Date.now() + Math.max(reply.retryAfterMs, 2000);
                setMessage("buy-message", "");
            } else if (code === "not_started" || code === "ended") {
                setMessage("buy-message", describe(reply, ""));
                refreshSale();
            } else if (reply.status === 404) {
                // The path no longer matches (the sale was rescheduled): fetch it again.
                s.path = null;
                s.pathRequested = false;
                setMessage("buy-message", "The sale changed; please press Buy again.", true);
            } else {
                setMessage("buy-message", describe(reply, `Unexpected answer (${reply.status}).`), true);
            }
            paint();
            paintOrder();
        }

        function queuedText(position) {
            return position ? `You are number ${position} in line.` : "You are in line.";
        }

        // orders/me until the order is created or failed, waiting longer each time.
        let following = false;
        async function followOrder() {
            if (following) return;
            following = true;
            const started = Date.now();
            let wait = ORDER_POLL_FIRST_MS;
            try {
                while (s.session && Date.now() - started < ORDER_POLL_GIVE_UP_MS) {
                    await new Promise((resolve) => setTimeout(resolve, wait));
                    wait = Math.min(ORDER_POLL_MAX_MS, Math.round(wait * 1.6));
                    const reply = await call("GET", `/sales/${sale.goodsId}/orders/me`, undefined, s.session.token);
                    if (reply.status === 401) return sessionEnded();
                    if (reply.status !== 200) continue; // the API is busy or down: wait longer
                    const status = reply.body.status;
                    if (status === "queued") {
                        s.order = { status, position: reply.body.position || (s.order && s.order.position) };
                        setMessage("buy-message", queuedText(s.order.position));
                    } else if (status === "created") {
                        s.order = { status, orderId: reply.body.orderId };
                        setMessage("buy-message", "Your order is in. Pay for it to keep it.");
                        break;
                    } else if (status === "failed") {
                        s.order = { status };
                        setMessage("buy-message", "Sorry, your order could not be made.", true);
                        break;
                    }
                }
                if (s.order && s.order.status === "queued")
                    setMessage("buy-message", "Your order is still being made; reload this page later to see it.");
            } finally {
                following = false;
                paint();
                paintOrder();
            }
        }

        // After a sign-in or a reload: is there an order of this shopper already?
        async function checkOrder() {
            if (!s.session) return;
            const reply = await call("GET", `/sales/${sale.goodsId}/orders/me`, undefined, s.session.token);
            if (reply.status === 401) return sessionEnded();
            if (reply.status !== 200) return;
            const status = reply.body.status;
            if (status === "created") s.order = { status, orderId: reply.body.orderId };
            else if (status === "queued") {
                s.order = { status, position: reply.body.position };
                setMessage("buy-message", queuedText(reply.body.position));
                followOrder();
            }
            paint();
            paintOrder();
        }

        async function settle(method, path, done) {
            $("pay").disabled = $("cancel").disabled = true;
            const reply = await call(method, path, undefined, s.session && s.session.token);
            $("pay").disabled = $("cancel").disabled = false;
            if (reply.status === 200) {
                s.order = { status: reply.body.status, orderId: reply.body.orderId, price: null };
                setMessage("order-message", done);
            } else if (reply.status === 401) {
                sessionEnded();
            } else {
                setMessage("order-message", reply.status === 0 ? "The shop cannot be reached; try again." : describe(reply, "That did not work."), true);
            }
            paint();
            paintOrder();
        }

        $("signin").addEventListener("submit", (e) => {
            e.preventDefault();
            signIn(false);
        });
        $("signup-button").addEventListener("click", () => signIn(true));
        $("buy").addEventListener("click", buy);
        $("pay").addEventListener("click", () => settle("POST", `/orders/${s.order.orderId}/payment`, "Paid."));
        $("cancel").addEventListener("click", () => settle("DELETE", `/orders/${s.order.orderId}`, "Cancelled: the unit is back on sale."));

        paint();
        keepSaleFresh();
        pollStatus();
        checkOrder();
        setInterval(paint, 200);
    }

    // A merchant's image that does not load gives way to the plain placeholder (no inline
    // onerror: the CSP forbids it).
    function placeholdBrokenImages() {
        for (const img of document.querySelectorAll(".picture img, .card img")) {
            const swap = () => {
                const span = document.createElement("span");
                span.className = "no-image";
                span.setAttribute("aria-hidden", "true");
                img.replaceWith(span);
            };
            if (img.complete && img.naturalWidth === 0) swap();
            else img.addEventListener("error", swap, { once: true });
        }
    }

    document.addEventListener("DOMContentLoaded", () => {
        placeholdBrokenImages();
        const page = document.body.dataset.page;
        if (page === "sale") startSale();
        else if (page === "index") startIndex();
    });
})();
