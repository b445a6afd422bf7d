// lib.mjs - what the companion's browser tests share: TAP-like lines, a
// real hubweb on a temporary database and state directory, hubctl on the
// same database, Debian's chromium through playwright-core, and axe-core.
//
// Environment: HK_BUILD (the build directory holding hubweb and hubctl;
// default build), HK_TMP (a fresh temporary directory; default a new one),
// HK_NODE_DIR (where node_modules is; default tests/browser), HK_CHROMIUM
// (default /usr/bin/chromium), HK_SHOTS (where screenshots go; default
// build/browser).
import { createRequire } from 'node:module';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import https from 'node:https';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const nodeDir = process.env.HK_NODE_DIR || here;
const req = createRequire(path.join(nodeDir, 'node_modules') + '/');
export const { chromium } = req('playwright-core');
export const axeSource = readFileSync(req.resolve('axe-core/axe.min.js'), 'utf8');

export const build = path.resolve(root, process.env.HK_BUILD || 'build');
export const tmp = process.env.HK_TMP || mkdtempSync(path.join(os.tmpdir(), 'hk-browser-'));
export const shots = path.resolve(root, process.env.HK_SHOTS || 'build/browser');
mkdirSync(shots, { recursive: true });
const env = { ...process.env, TZ: 'Europe/London' };
delete env.HUBKIOSK_DB;

// ---- lines a person and tests/run read -------------------------------

let failures = 0;
export function check(sentence, cond, why = '') {
	console.log(`${cond ? 'ok' : 'not ok'} - ${sentence}${cond || !why ? '' : ` (${why})`}`);
	if (!cond) failures++;
	return !!cond;
}
export const note = (s) => console.log('# ' + s);
export const failed = () => failures;

// ---- hubctl ---------------------------------------------------------------

export const db = path.join(tmp, 'hub.db');
export const state = path.join(tmp, 'state');

// hubctl ARGS on the test's database: {rc, out, err}.
export function hubctl(...args) {
	const r = spawnSync(path.join(build, 'hubctl'), ['--db', db, ...args], { env, encoding: 'utf8' });
	return { rc: r.status, out: r.stdout || '', err: r.stderr || '' };
}
// The rows of a --tsv listing as objects by the header's names.
export function tsv(...args) {
	const r = hubctl(...args, '--tsv');
	const lines = r.out.split('\n').filter((l) => l.length);
	if (!lines.length) return [];
	const head = lines[0].split('\t');
	return lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [head[i], v])));
}
// The journal's length, as `hubctl journal --tsv | wc -l` counts it.
export const journalLength = () => hubctl('journal', '--tsv').out.split('\n').length - 1;

// ---- hubweb ---------------------------------------------------------------

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
}

// One HTTPS request that does not trust the hub's certificate, without a
// browser: {status, headers, body}.
export function raw(url, { method = 'GET', headers = {}, body } = {}) {
	return new Promise((resolve) => {
		const r = https.request(url, { method, headers, rejectUnauthorized: false, timeout: 5000 }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
		});
		r.on('error', (e) => resolve({ status: 0, headers: {}, body: String(e) }));
		r.on('timeout', () => r.destroy(new Error('timeout')));
		if (body != null) r.write(body);
		r.end();
	});
}

// Starts hubweb on 127.0.0.1:<a free port> with the test's database and
// state directory, serving assets/web; resolves once it answers.
export async function startHub() {
	const port = await freePort();
	const bin = path.join(build, 'hubweb');
	const log = [];
	const p = spawn(bin, ['--db', db, '--listen', '127.0.0.1:' + port, '--state', state,
		'--static', path.join(root, 'assets/web')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	p.stdout.on('data', (d) => log.push(String(d)));
	p.stderr.on('data', (d) => log.push(String(d)));
	const base = 'https://127.0.0.1:' + port;
	for (let i = 0; i < 100; i++) {
		if (p.exitCode != null) break;
		const r = await raw(base + '/pair');
		if (r.status === 200) return { base, port, proc: p, log, stop: () => p.kill('SIGTERM') };
		await new Promise((res) => setTimeout(res, 100));
	}
	p.kill('SIGKILL');
	throw new Error('hubweb did not start: ' + log.join('').slice(-500));
}

// ---- the browser ----------------------------------------------------------

export async function launch() {
	const exe = process.env.HK_CHROMIUM || '/usr/bin/chromium';
	const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
	return chromium.launch({ executablePath: exe, args });
}

export const sizes = [{ width: 390, height: 844, name: 'phone' }, { width: 820, height: 1180, name: 'tablet' }];

export async function context(browser, size = sizes[0], extra = {}) {
	return browser.newContext({
		ignoreHTTPSErrors: true, viewport: { width: size.width, height: size.height },
		deviceScaleFactor: 1, hasTouch: true, isMobile: size.width < 600,
		timezoneId: 'Europe/London', locale: 'en-GB', ...extra,
	});
}

// Every console error and CSP report of a page, for a check at the end.
export function watch(page, into) {
	page.on('console', (m) => { if (m.type() === 'error') into.push(m.text()); });
	page.on('pageerror', (e) => into.push('page error: ' + e.message));
}

// axe-core on the page as it is: the serious and critical violations.
export async function axe(page) {
	if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
	const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
export const axeText = (vs) => vs.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join('; ');

// The controls a thumb must hit that are smaller than 48 x 48 CSS pixels
// (a check box or a radio counts by its label).
export function smallTargets(page) {
	return page.evaluate(() => {
		const out = [];
		for (const el of document.querySelectorAll('button, a[href], input, select, textarea, summary')) {
			if (el.closest('[hidden]') || el.type === 'hidden') continue;
			const box = (el.type === 'checkbox' || el.type === 'radio') && el.closest('label') ? el.closest('label') : el;
			const r = box.getBoundingClientRect();
			if (!r.width && !r.height) continue;          // not shown
			if (el.classList.contains('skip')) continue;  // off screen until focused
			if (r.width < 47.5 || r.height < 47.5) out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.name || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
		}
		return out;
	});
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const exists = existsSync;
