// opener.mjs - open.html, the opener on the export stick, in Debian's
// chromium the way a liaison worker uses it: opened from file:// with the
// network cut (every request but the page and its own blob: URLs aborted
// and counted), given their key and the sealed export through the two
// file inputs. Checks what the person sees and what they save: the
// report, every file byte for byte as `age -d` and unzip gave it, a clear
// and different message for each thing that is wrong and then no report,
// and a key pair made in the page that Debian's age accepts.
// tests/cli/opener_browser.sh makes the fixture and runs it.
//
// Environment: OPENER (open.html), SEALED (the export sealed to
// FIX_DIR/reader.key), FIX_DIR (reader.key, stranger.key, plain.zip,
// expected/NAME, flipped.age, cut.age, altered.age, missing.age,
// extra.age, plain.txt), STICK_TOKEN (the stick's hubkiosk-export.key),
// and lib.mjs's (HK_NODE_DIR, HK_CHROMIUM, HK_SHOTS, HK_TMP).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, note, failed, launch, axe, axeText, watch, shots, tmp } from './lib.mjs';

const E = process.env;
const F = E.FIX_DIR;
const fix = (n) => path.join(F, n);
const url = pathToFileURL(E.OPENER).href;
const expected = Object.fromEntries(readdirSync(fix('expected'))
	.map((n) => [n, readFileSync(path.join(fix('expected'), n))]));
const manifestNames = readFileSync(fix('expected/manifest.txt'), 'utf8').split('\n')
	.filter((l) => /^[0-9a-f]{64} {2}/.test(l)).map((l) => l.slice(66));

const browser = await launch();
const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1366, height: 768 },
	deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/London' });
const page = await ctx.newPage();
const errors = [], requests = [], aborted = [];
watch(page, errors);
// Nothing may leave: only the page itself and the blob: URLs it makes
// may load; anything else is aborted, and counted either way.
await ctx.route('**/*', (r) => {
	const u = r.request().url();
	if (u === url || u.startsWith('blob:'))
		return r.continue();
	aborted.push(u);
	return r.abort();
});
page.on('request', (r) => requests.push(r.url()));

try {
	// The counting works: a page that asks the network for something is
	// seen and stopped.
	const probe = await ctx.newPage();
	await probe.goto('http://127.0.0.1:9/probe').catch(() => {});
	await probe.close();
	check('a request for the network is seen and aborted (the counting works)',
	      aborted.includes('http://127.0.0.1:9/probe'), aborted.join(' '));
	aborted.length = 0;

	await page.goto(url, { waitUntil: 'load' });
	const csp = await page.evaluate(() =>
		document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '');
	check("the page's policy fetches nothing by default (default-src 'none')",
	      /(^|;)\s*default-src 'none'/.test(csp), csp);
	check('the policy has no connect-src at all', !/connect-src/.test(csp), csp);
	check('its script is allowed by hash only', /script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/.test(csp),
	      csp);
	check('frames may hold only what the page made (frame-src blob:)', /frame-src blob:(;|$)/.test(csp));
	const fetched = await page.evaluate(() => fetch('http://127.0.0.1:9/x').then(() => 'fetched', () => 'refused'));
	check("the page's policy refuses a fetch before it leaves the browser",
	      fetched === 'refused' && aborted.length === 0 && requests.length === 1, requests.join(' '));
	errors.length = 0;      // the policy's own report of that refusal
	const keyInput = page.getByLabel('Your key', { exact: true });
	const exportInput = page.getByLabel('The export', { exact: true });
	check('a file input is named "Your key"', (await keyInput.getAttribute('type')) === 'file');
	check('a file input is named "The export"', (await exportInput.getAttribute('type')) === 'file');
	let v = await axe(page);
	check('axe finds nothing serious on the page as it opens', v.length === 0, axeText(v));
	await page.screenshot({ path: path.join(shots, 'opener-start.png'), fullPage: true });

	// Both files in, "Open the export" pressed; what the page then shows.
	const open = async (key, file) => {
		await keyInput.setInputFiles(key);
		await exportInput.setInputFiles(file);
		await page.getByRole('button', { name: 'Open the export' }).click();
		await page.waitForFunction(() => !document.getElementById('result').hidden ||
			!document.getElementById('refusal').hidden, null, { timeout: 30000 });
		const blobFrames = page.frames().filter((f) => f.url().startsWith('blob:')).length;
		return { blobFrames, ...await page.evaluate(() => {
			const $ = (id) => document.getElementById(id);
			return {
				shown: !$('result').hidden, refused: !$('refusal').hidden,
				code: $('refusal').hidden ? '' : $('refusal').dataset.code,
				title: $('refusal-title').textContent, text: $('refusal-text').textContent,
				frame: $('report').getAttribute('src') || '',
				links: document.querySelectorAll('#files tbody a, #result a[href^="blob:"]').length,
				focus: document.activeElement?.id || '',
			};
		}) };
	};

	// ---- the right key --------------------------------------------------
	let r = await open(fix('reader.key'), E.SEALED);
	check('the right key opens the export', r.shown && !r.refused, `${r.code} ${r.title}`);
	check('the focus moves to the heading of what opened', r.focus === 'result-h', r.focus);
	const listed = await page.$$eval('#files tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
	check(`every file of the manifest is offered for saving (${manifestNames.length} + manifest.txt)`,
	      JSON.stringify(listed) === JSON.stringify([...manifestNames, 'manifest.txt']), listed.join(' '));
	const sandbox = await page.getAttribute('#report', 'sandbox');
	check('the report is in a frame sandboxed without scripts', sandbox === '', String(sandbox));
	const frame = await (await page.$('#report')).contentFrame();
	for (let i = 0; i < 100 && !frame.url().startsWith('blob:'); i++)
		await page.waitForTimeout(50);
	await frame.waitForLoadState('load');
	const inFrame = frame.url().startsWith('blob:') ? await frame.evaluate(() => ({
		title: document.title, concerns: !!document.getElementById('concerns'),
		children: document.querySelectorAll('section.child').length,
		styled: getComputedStyle(document.body).fontFamily,
	})) : {};
	check('the report is shown: its title and concerns section', inFrame.title === 'Support care report' &&
	      inFrame.concerns, JSON.stringify(inFrame));
	check("the report's own style applies in its frame", /DejaVu Sans/.test(inFrame.styled || ''),
	      inFrame.styled);
	check('a child has a page of their own in the shown report', inFrame.children > 0);
	v = await axe(page);
	check('axe finds nothing serious with the export open', v.length === 0, axeText(v));
	// (a full-page screenshot leaves the report's frame blank: two views)
	await page.screenshot({ path: path.join(shots, 'opener-open.png') });
	await page.locator('#report').scrollIntoViewIfNeeded();
	await page.waitForTimeout(500);     // an out-of-process frame paints a little later
	await page.screenshot({ path: path.join(shots, 'opener-report.png') });

	// Every file saved, as a person would: byte for byte what age -d and
	// unzip gave; and the whole zip as age -d gave it. Chromium lets a page
	// start ten downloads, then asks: the page is opened afresh before.
	let onPage = 0;
	const save = async (name) => {
		if (onPage++ === 8) {
			await page.reload({ waitUntil: 'load' });
			onPage = 1;
			await open(fix('reader.key'), E.SEALED);
		}
		const [d] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('link', { name, exact: true }).click()]);
		return { file: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
	};
	const saved = {};
	for (const name of listed)
		saved[name] = await save(`Save ${name}`);
	const same = listed.filter((n) => saved[n].file === n && expected[n] && saved[n].bytes.equals(expected[n]));
	check(`every saved file is byte for byte what age -d + unzip gives (${same.length} of ` +
	      `${Object.keys(expected).length})`, same.length === Object.keys(expected).length &&
	      listed.length === same.length, listed.filter((n) => !same.includes(n)).join(' '));
	const zip = await save('Save every file in one .zip');
	check(`the one .zip (${zip.file}) is byte for byte what age -d gives`,
	      zip.file.endsWith('.zip') && zip.bytes.equals(readFileSync(fix('plain.zip'))));

	// ---- what must be refused, each with its own words, and no report ---
	const refusals = [
		['a wrong key', fix('stranger.key'), E.SEALED, 'wrong-key',
		 'This key is not one of this export’s readers'],
		['a byte flipped in the sealed file', fix('reader.key'), fix('flipped.age'), 'damaged'],
		['a sealed file cut short', fix('reader.key'), fix('cut.age'), 'damaged'],
		['a file that is not age', fix('reader.key'), fix('plain.txt'), 'export-not-age'],
		['a re-sealed export whose report.html was altered', fix('reader.key'), fix('altered.age'),
		 'file-changed', null, 'report.html'],
		['a re-sealed export without stays.csv', fix('reader.key'), fix('missing.age'), 'file-missing',
		 null, 'stays.csv'],
		['a re-sealed export with a file added', fix('reader.key'), fix('extra.age'), 'file-extra',
		 null, 'notes.txt'],
		["the stick's own token given as the key", E.STICK_TOKEN, E.SEALED, 'key-is-stick-token'],
		['the export given as the key', E.SEALED, E.SEALED, 'key-is-export'],
		['the key given as the export', fix('reader.key'), fix('reader.key'), 'export-is-key'],
	];
	const titles = new Map();
	for (const [what, key, file, code, title, names] of refusals) {
		r = await open(key, file);
		check(`${what} is refused (${code}): "${r.title}"`, r.refused && !r.shown && r.code === code &&
		      (!title || r.title === title) && (!names || r.text.includes(names)),
		      `${r.code}: ${r.title} ${r.text}`);
		check(`... and after ${what} nothing of an export is left: no report, no file to save`,
		      !r.frame && !r.blobFrames && r.links === 0,
		      `frame ${r.frame}, ${r.blobFrames} blob frames, ${r.links} links`);
		titles.set(code, r.title);
		if (code === 'wrong-key') {
			check('the message takes the focus (a screen reader says it)', r.focus === 'refusal', r.focus);
			v = await axe(page);
			check('axe finds nothing serious with a refusal shown', v.length === 0, axeText(v));
			await page.screenshot({ path: path.join(shots, 'opener-wrong-key.png'), fullPage: true });
		}
	}
	const kinds = ['wrong-key', 'damaged', 'export-not-age', 'file-changed', 'file-missing', 'file-extra',
		'key-is-stick-token'];
	check('each kind of refusal has its own message',
	      new Set(kinds.map((k) => titles.get(k))).size === kinds.length, [...titles.values()].join(' | '));

	// ---- I have no key yet -------------------------------------------------
	await page.reload({ waitUntil: 'load' });
	await page.getByRole('button', { name: 'Make my key' }).click();
	await page.waitForSelector('#key-made:not([hidden])');
	const [dk] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('link', { name: 'Save my key file' }).click()]);
	const keyFile = path.join(tmp, 'page.key');
	writeFileSync(keyFile, readFileSync(await dk.path()));
	const keyText = readFileSync(keyFile, 'utf8');
	const shownPub = await page.inputValue('#pubkey');
	check(`the key file is saved under its own name (${dk.suggestedFilename()})`,
	      /^my-hubkiosk-key-\d{4}-\d\d-\d\d\.txt$/.test(dk.suggestedFilename()));
	check("the key file is in age-keygen's format",
	      /^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\n# public key: age1[0-9a-z]{58}\nAGE-SECRET-KEY-1[0-9A-Z]{58}\n$/
		      .test(keyText), keyText.replace(/AGE-SECRET-KEY-1\S+/, 'AGE-SECRET-KEY-1…'));
	check('the public key shown is the one in the key file',
	      keyText.includes(`# public key: ${shownPub}\n`), shownPub);
	check('the secret key is not on the screen',
	      !(await page.evaluate(() => document.body.innerText)).includes('AGE-SECRET-KEY-1'));
	const y = spawnSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' });
	check("Debian's age-keygen -y finds the same public key in the file", y.stdout.trim() === shownPub,
	      y.stderr || y.stdout);
	const secretText = path.join(tmp, 'for-the-page-key.txt'), sealedToPage = path.join(tmp, 'to-page.age');
	writeFileSync(secretText, 'sealed by Debian age to the key the page made\n');
	spawnSync('age', ['-r', shownPub, '-o', sealedToPage, secretText]);
	const dec = spawnSync('age', ['-d', '-i', keyFile, sealedToPage], { encoding: 'utf8' });
	check("Debian's age -d opens a file sealed with age -r <the public key the page showed>",
	      dec.status === 0 && dec.stdout === readFileSync(secretText, 'utf8'), dec.stderr);
	spawnSync('age', ['-r', shownPub, '-o', path.join(tmp, 'export-to-page.age'), fix('plain.zip')]);
	r = await open(keyFile, path.join(tmp, 'export-to-page.age'));
	check('the page opens an export sealed to the key it made', r.shown, `${r.code} ${r.title}`);
	await page.getByRole('button', { name: 'Copy' }).click();
	// the clipboard answers asynchronously: wait for the page's word on it
	const said = await page.waitForFunction(() => document.getElementById('copied').textContent.length > 0,
						null, { timeout: 5000 }).then(() => true, () => false);
	check('the copy button says what it did', said, await page.textContent('#copied'));
	await page.locator('#newkey').scrollIntoViewIfNeeded();
	v = await axe(page);
	check('axe finds nothing serious with a new key made', v.length === 0, axeText(v));
	await page.locator('#newkey').screenshot({ path: path.join(shots, 'opener-new-key.png') });

	// ---- nothing left the page --------------------------------------------
	const outside = requests.filter((u) => u !== url && !u.startsWith('blob:'));
	check(`no network request of any kind (${requests.length} loads, all the page or its own blobs)`,
	      outside.length === 0 && aborted.length === 0, [...outside, ...aborted].join(' '));
	note('what the page loaded: ' + [...new Set(requests.map((u) => u.replace(/[0-9a-f-]{36}$/, '…')))].join(' '));
	check('no console error and no policy violation', errors.length === 0, errors.join(' | '));
	note(`screenshots in ${shots}/opener-*.png`);
} finally {
	await browser.close();
}
note('done');
process.exit(failed() ? 1 : 0);
