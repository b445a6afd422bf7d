// companion.mjs - the carer's companion driven as a carer would, in
// Debian's chromium at phone (390x844) and tablet (820x1180) size, against
// a real hubweb on a temporary database filled by hubctl: pair from the
// link `hubctl device pair` prints, check visitors in (a double tap and a
// resend saved once), log an emergency arrival, write a record in Arabic
// and Chinese (kept through a reload and a lost answer, saved once), raise
// and close a concern, tick a roll call offline, book a visit; then replay
// every request the pages made without the cookie and with a foreign
// Origin (nothing readable, nothing written), run axe-core and measure
// targets on every page at both sizes, take the screenshots, measure the
// first load, and revoke the device and see the page refused.
//
//   HK_BUILD=build/me node tests/browser/companion.mjs
//
// Prints "ok - ..." / "not ok - ..." lines; exits 1 when any failed.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
	check, note, failed, hubctl, tsv, journalLength, startHub, raw, launch, context, sizes,
	watch, axe, axeText, smallTargets, shots, sleep, state,
} from './lib.mjs';

const ARABIC = 'لعبت في الحديقة وقرأت قصة قبل النوم';
const CHINESE = '我今天很开心，下次还想来。';
const WORRY = 'Asked twice who would pick her up and went quiet.';

const errors = [];
const requests = [];
let hub, browser, completed = false;

// A step: its exceptions are a failed line, and the next step still runs.
let current = null;            // the carer's page, pictured when a step fails
async function step(name, fn) {
	try {
		await fn();
	} catch (e) {
		if (current) await current.screenshot({ path: path.join(shots, 'failed-' + name.replace(/\W+/g, '-') + '.png') }).catch(() => {});
		const m = String(e && e.message || e).split('\n');
		check(name + ' ran to its end', false, [m[0], ...m.filter((l) => /waiting for|resolved to/.test(l)).slice(0, 2)].join(' / '));
	}
}

const noticeText = (page) => page.locator('#notice').innerText();
async function saved(page, text, timeout = 5000) {
	const n = page.locator('#notice p.good', { hasText: text });
	await n.first().waitFor({ timeout });
	return n.first().innerText();
}

async function main() {
	// ---- the hub: the demo's people, visits and beds, and a free bed ----
	let r = hubctl('demo');
	check('hubctl demo fills the test database', r.rc === 0, r.err);
	hubctl('bed', 'add', 'Rowan', '--room', 'Box room');
	const people = tsv('person', 'list');
	const names = new Set();
	for (const p of people) for (const n of [p.display, p.full_name]) if (n && n.length > 1) names.add(n);
	check('the demo has people whose names the tests look for', names.size >= 8, names.size + ' names');
	const leaks = (text) => [...names, ARABIC, CHINESE, WORRY].filter((n) => text.includes(n));

	hub = await startHub();
	note('hubweb at ' + hub.base);
	browser = await launch();
	note('chromium ' + browser.version());

	// ---- an unpaired browser -------------------------------------------
	await step('the unpaired browser', async () => {
		const ctx = await context(browser);
		const page = await ctx.newPage();
		watch(page, errors);
		await page.goto(hub.base + '/');
		check('an unpaired browser opening the hub gets the pairing page', await page.getByRole('button', { name: 'Pair this phone' }).isVisible());
		await page.waitForFunction(() => !document.querySelector('#fp').textContent.startsWith('Reading'));
		const html = await page.content();
		check('the pairing page names nobody of the hub', leaks(html).length === 0, leaks(html).join(', '));
		await page.getByLabel('Pairing code').fill('ABCD EFGH JK');
		await page.getByRole('button', { name: 'Pair this phone' }).click();
		await page.locator('#msg.bad').waitFor();
		const said = await page.locator('#msg').innerText();
		check('a wrong code is told plainly', /^Not paired - that code/.test(said), said);
		for (const p of ['/api/today', '/api/house', '/api/people', '/api/status', '/api/records?child=2', '/api/concerns', '/app.js']) {
			const a = await raw(hub.base + p);
			check(`unpaired GET ${p} is refused and names nobody`, a.status === 401 && !leaks(a.body).length && !a.body.includes('Willow'), a.status + ' ' + a.body.slice(0, 80));
		}
		const idx = await raw(hub.base + '/index.html');
		check('unpaired GET /index.html gets the pairing page instead', idx.body.includes('Pair this phone') && !leaks(idx.body).length, idx.status + '');
		await ctx.close();
	});

	// ---- pairing from the printed link -----------------------------------
	const ctx = await context(browser);
	const page = await ctx.newPage();
	current = page;
	watch(page, errors);
	page.on('request', (q) => requests.push({ method: q.method(), url: q.url(), body: q.postData(), key: q.headers()['x-hk-request'] }));

	await step('pairing', async () => {
		r = hubctl('device', 'pair', '--name', 'Test phone', '--state', state, '--url', hub.base);
		const link = (r.out.match(/https:\/\/\S+code=[A-Z0-9]+/) || [])[0];
		const fp = (r.out.match(/([0-9A-F]{2}:){31}[0-9A-F]{2}/) || [])[0];
		check('hubctl device pair prints a one-time link', !!link, r.out.slice(0, 200) + r.err);
		await page.goto(link);
		await page.waitForFunction(() => !document.querySelector('#fp').textContent.startsWith('Reading'));
		const shown = (await page.locator('#fp').innerText()).replace(/\s+/g, ':').replace(/:+$/, '');
		check('the pairing page shows the fingerprint the console printed', fp && shown === fp, `page ${shown} console ${fp}`);
		const code = link.split('code=')[1];
		check('the code from the link is filled in', (await page.locator('#code').inputValue()) === code);
		check('the code is taken out of the address bar', !page.url().includes(code), page.url());
		await page.getByRole('button', { name: 'Pair this phone' }).click();
		await page.getByRole('button', { name: 'Emergency arrival', exact: true }).waitFor({ timeout: 5000 });
		check('after "Pair this phone" the companion opens', page.url().startsWith(hub.base + '/'));
		const dev = tsv('device', 'list').find((d) => d.name === 'Test phone');
		check('hubctl device list shows the phone, paired', dev && dev.status === 'paired', JSON.stringify(dev));
		const again = await raw(hub.base + '/api/pair', { method: 'POST', headers: { Origin: hub.base, 'Content-Type': 'application/json', 'X-HK-Request': randomUUID() }, body: JSON.stringify({ code, name: 'Thief' }) });
		check('the code works once', again.status >= 400 && !again.headers['set-cookie'], again.status + ' ' + again.body);
	});

	// ---- Today: check in, double tap, resend --------------------------------
	await step('checking in', async () => {
		const visits = tsv('visit', 'list');
		const saoirse = visits.find((v) => v.person === 'Saoirse');
		const card = page.locator('#items li', { hasText: 'Saoirse' });
		await card.getByRole('button', { name: 'Check in' }).click();
		await saved(page, 'Saoirse checked in');
		const now = tsv('visit', 'list').find((v) => v.id === saoirse.id);
		check('"Check in" on the phone checks Saoirse in (hubctl visit list: here)', now.status === 'here', now.status);
		await card.getByRole('button', { name: 'Check out' }).waitFor();
		check('her card then offers "Check out"', true);

		const lucja = visits.find((v) => v.person === 'Łucja');
		const n0 = journalLength();
		await page.locator('#items li', { hasText: 'Łucja' }).getByRole('button', { name: 'Check in' }).dblclick();
		await saved(page, 'Łucja checked in');
		await sleep(300);
		check('a double tap on "Check in" writes one journal entry', journalLength() === n0 + 1, `${journalLength() - n0} entries`);
		check('... and shows no refusal', !(await page.locator('#notice p.bad').count()), await noticeText(page));

		const sent = requests.filter((q) => q.url.endsWith('/api/visit/checkin') && q.body && JSON.parse(q.body).visit === Number(lucja.id));
		check('the double tap sent one request', sent.length === 1, sent.length + ' requests');
		const n1 = journalLength();
		const again = await page.evaluate(async ([body, key]) => {
			const x = await fetch('/api/visit/checkin', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-HK-Request': key }, body });
			return [x.status, await x.json()];
		}, [sent[0].body, sent[0].key]);
		check('resending the same check-in answers duplicate', again[0] === 200 && again[1].duplicate === true, JSON.stringify(again));
		check('... and writes nothing', journalLength() === n1);
	});

	// ---- the emergency arrival -----------------------------------------------
	await step('the emergency arrival', async () => {
		const before = tsv('stay', 'list').length;
		const t0 = Date.now();
		await page.getByRole('button', { name: 'Emergency arrival', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Emergency arrival', exact: true });
		await dialog.waitFor();
		const focused = await page.evaluate(() => document.activeElement.textContent.trim());
		check('one tap opens the emergency arrival with Save ready', focused === 'Save', focused);
		check('the free bed is chosen already', await dialog.getByRole('radio', { name: /Rowan/ }).isChecked());
		await dialog.getByRole('button', { name: 'Save' }).click();
		const said = await saved(page, 'emergency arrival');
		note(`emergency arrival: ${Date.now() - t0} ms from the first tap to "Saved"`);
		check('"Saved" names the bed', said.includes('Rowan'), said);
		const stays = tsv('stay', 'list');
		const s = stays.find((x) => x.bed === 'Rowan');
		check('hubctl stay list has the new emergency stay in Rowan', stays.length === before + 1 && s && s.kind === 'emergency', JSON.stringify(s));
		await page.locator('#beds li', { hasText: 'Rowan' }).locator('.badge.emergency').waitFor();
		check("Today's beds show Rowan taken by an emergency", true);
	});

	await step('a visitor who was not expected', async () => {
		await page.getByRole('button', { name: 'A visitor who was not expected' }).click();
		const dlg = page.getByRole('dialog', { name: 'A visitor who was not expected' });
		await dlg.getByLabel("Visitor's name").fill('Bartek');
		await dlg.getByRole('button', { name: 'Save' }).click();
		await saved(page, 'checked in');
		const v = tsv('visit', 'list').find((x) => x.person === 'Bartek');
		check('an unexpected visitor is checked in at once (hubctl visit list)', v && v.status === 'here' && v.unexpected === 'yes', JSON.stringify(v));
	});

	await step('ending a stay', async () => {
		const card = page.locator('#beds li', { hasText: 'Rowan' });
		await card.getByRole('button', { name: 'End stay' }).click();
		const dlg = page.getByRole('dialog', { name: 'End this stay?' });
		await dlg.getByRole('button', { name: 'End stay' }).click();
		await saved(page, 'the stay in Rowan ended');
		const s = tsv('stay', 'list', '--all').find((x) => x.bed === 'Rowan');
		check('"End stay" ends the emergency stay (hubctl stay list --all)', s && s.ended !== '', JSON.stringify(s));
		await card.locator('.badge.free').waitFor();
		check('... and Rowan shows free again', true);
	});

	await step('an emergency arrival whose answer is lost', async () => {
		const before = tsv('stay', 'list', '--all').length;
		await page.route('**/api/emergency', async (route) => { await route.fetch(); await route.abort('connectionreset'); });
		await page.getByRole('button', { name: 'Emergency arrival', exact: true }).click();
		const dialog = page.getByRole('dialog', { name: 'Emergency arrival', exact: true });
		await dialog.getByLabel("Child's name").fill('Amira');
		await dialog.getByRole('button', { name: 'Save' }).click();
		await page.locator('#em-status.bad').waitFor();
		check('a lost answer to an emergency arrival says "Not saved - try again"', (await page.locator('#em-status').innerText()).startsWith('Not saved - try again'));
		await page.unroute('**/api/emergency');
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		await page.getByRole('button', { name: 'Emergency arrival', exact: true }).click();
		check('opened again, it warns that the last arrival was not confirmed', await dialog.getByText('was not confirmed by the hub').isVisible());
		await page.screenshot({ path: path.join(shots, 'emergency-unconfirmed-390x844.png') });
		await dialog.getByLabel("Child's name").fill('Amira');
		await dialog.getByRole('button', { name: 'Save' }).click();
		const said = await saved(page, 'emergency arrival');
		check('Save then says it had reached the hub', said.includes('already reached the hub'), said);
		const stays = tsv('stay', 'list', '--all');
		check('... and Amira is recorded once', stays.length === before + 1 && stays.filter((x) => x.person === 'Amira').length === 1, `${stays.length - before} stays`);
	});

	// ---- a record: draft through a reload, a lost answer, saved once ---------
	const layla = people.find((p) => p.display === 'ليلى');
	const recordsOf = () => tsv('record', 'list', '--child', layla.id);
	await step('writing a record', async () => {
		const had = recordsOf().length;         // the demo's own record of her
		await page.getByRole('link', { name: 'Record' }).click();
		await page.getByRole('button', { name: 'Write a record for ليلى' }).click();
		await page.getByLabel('Activities').fill(ARABIC);
		await page.getByLabel('In their own words').fill(CHINESE);
		await page.getByLabel("Carer's view").fill('Settled well after a quiet evening.');
		await page.reload();
		await page.getByRole('link', { name: 'Record' }).click();
		await page.getByRole('button', { name: /Finish the record for/ }).click();
		check('after a reload the draft comes back', (await page.getByLabel('Activities').inputValue()) === ARABIC && (await page.getByLabel('In their own words').inputValue()) === CHINESE);

		// The hub saves, the answer is lost on the way back.
		let firstKey = null;
		await page.route('**/api/record', async (route) => {
			firstKey = route.request().headers()['x-hk-request'];
			await route.fetch();
			await route.abort('connectionreset');
		});
		await page.locator('#rec').getByRole('button', { name: 'Save' }).click();
		await page.locator('#rec-status.bad').waitFor();
		const st = await page.locator('#rec-status').innerText();
		check('a lost answer shows "Not saved - try again"', st.startsWith('Not saved - try again'), st);
		await page.unroute('**/api/record');
		check('... and the draft is still on the phone', (await page.getByLabel('Activities').inputValue()) === ARABIC);
		const tapped = requests.length;
		await page.locator('#rec').getByRole('button', { name: 'Save' }).click();
		await page.locator('#rec-status.good').waitFor();
		check('"Save" again shows "Saved"', (await page.locator('#rec-status').innerText()).startsWith('Saved'));
		const again = requests.slice(tapped).find((q) => q.url.endsWith('/api/record'));
		check('the second Save resends the same request key', again && again.key === firstKey, `${firstKey} / ${again && again.key}`);
		const recs = recordsOf();
		const mine = recs.find((r) => r.activities === ARABIC);
		check('the record is saved once (hubctl record list)', recs.length === had + 1, `${recs.length - had} new records`);
		check('... with the Arabic and the Chinese as typed', mine && mine.words === CHINESE, JSON.stringify(mine));
		check('... by the phone', mine && mine.author.startsWith('device:') && mine.author.includes('Test phone'), mine && mine.author);
		check('the saved draft is gone from the phone', await page.evaluate((id) => localStorage.getItem('hk.draft.' + id) === null, layla.id));
	});

	await step('saving without a connection', async () => {
		const n = recordsOf().length;
		await page.getByLabel('Medicines given').fill('Paracetamol 250 mg at 20:00');
		await ctx.setOffline(true);
		await page.locator('#rec').getByRole('button', { name: 'Save' }).click();
		await page.locator('#rec-status.bad').waitFor();
		check('offline, Save says "Not saved - try again"', (await page.locator('#rec-status').innerText()).startsWith('Not saved - try again'));
		await page.locator('#rec-status').scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(shots, 'record-offline-390x844.png') });
		await ctx.setOffline(false);
		await page.locator('#rec').getByRole('button', { name: 'Save' }).click();
		await page.locator('#rec-status.good').waitFor();
		check('back online, Save saves it once', recordsOf().length === n + 1, recordsOf().length - n + ' records');
		await page.getByLabel('How they were').fill('Slept through; ate a good breakfast.');
		await page.locator('#rec').getByRole('button', { name: 'Save' }).dblclick();
		await page.locator('#rec-status.good').waitFor();
		await sleep(300);
		check('a double tap on Save saves one record', recordsOf().length === n + 2, recordsOf().length - n - 1 + ' records');
	});

	// ---- a concern: raised, reminded, closed ---------------------------------
	await step('a concern', async () => {
		// the demo day has an urgent concern of its own once its afternoon
		// (16:55) has passed: count from what is open already
		const before = tsv('concern', 'list', '--open').length;
		const reminder = (n) => n === 1 ? '1 urgent concern is open' : `${n} urgent concerns are open`;
		await page.getByRole('checkbox', { name: 'Raise a concern' }).check();
		await page.getByLabel('What worries you').fill(WORRY);
		await page.getByRole('radio', { name: 'Urgent' }).check();
		await page.getByLabel('What was done').fill('Reassured her; wrote it down.');
		await page.getByLabel('Who was told').fill('Duty social worker');
		await page.locator('#rec').getByRole('button', { name: 'Save' }).click();
		await page.locator('#rec-status.good').waitFor();
		const open = tsv('concern', 'list', '--open');
		check('"Raise a concern" saves an urgent concern (hubctl concern list --open)', open.length === before + 1 && open.some((c) => JSON.stringify(c).includes(WORRY)), JSON.stringify(open));
		await page.getByRole('link', { name: 'Today' }).click();
		const rem = page.locator('#reminder');
		await rem.getByText(reminder(before + 1)).waitFor();
		check('Today reminds of the open urgent concern', true);
		await rem.getByRole('button').click();
		const card = page.locator('#concerns li', { hasText: WORRY });
		await card.getByRole('button', { name: 'Close the concern' }).click();
		const dlg = page.getByRole('dialog', { name: 'Close the concern' });
		await dlg.getByLabel('Outcome').fill('Her carer collected her; she was glad to go.');
		await dlg.getByRole('button', { name: 'Close the concern' }).click();
		await saved(page, 'the concern is closed');
		check('closing it from the phone leaves it open no more', tsv('concern', 'list', '--open').length === before);
	});

	// ---- the roll call ---------------------------------------------------------
	await step('the roll call', async () => {
		await page.getByRole('link', { name: 'Who is in the house' }).click();
		const boxes = page.locator('#roll input[type=checkbox]');
		await boxes.first().waitFor();
		const total = await boxes.count();
		check('"Who is in the house" lists the people in the house', total >= 3, total + ' people');
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		check('ticking two counts them', (await page.locator('#roll-count').innerText()).startsWith(`2 of ${total} ticked`));
		await page.reload();
		await page.locator('#roll input[type=checkbox]').first().waitFor();
		check('the ticks survive a reload', (await page.locator('#roll-count').innerText()).startsWith(`2 of ${total} ticked`));
		await ctx.setOffline(true);
		await page.getByRole('button', { name: 'Refresh the list' }).click();
		await boxes.nth(2).check();
		check('offline, the list stays and ticking still counts', (await page.locator('#roll-count').innerText()).startsWith(`3 of ${total} ticked`) && (await boxes.count()) === total);
		await ctx.setOffline(false);
	});

	// ---- a booking from More ------------------------------------------------
	await step('booking a visit', async () => {
		await page.getByRole('link', { name: 'More' }).click();
		await page.getByRole('button', { name: 'Book a visit' }).click();
		const dlg = page.getByRole('dialog', { name: 'Book a visit' });
		await dlg.getByLabel("Visitor's name").fill('Kwame');
		// The form offers the next quarter hour, which after 23:45 is
		// tomorrow: ask for the day the form was saved with.
		const on = (await dlg.getByLabel('Expected at').inputValue()).slice(0, 10);
		await dlg.getByRole('button', { name: 'Save' }).click();
		await saved(page, 'the visit is booked');
		check('"Book a visit" books it (hubctl visit list)', tsv('visit', 'list', '--on', on).some((v) => v.person === 'Kwame'), 'on ' + on);
	});

	// ---- replay: without the cookie, with a foreign Origin --------------------
	await step('the replay', async () => {
		const cookies = await ctx.cookies(hub.base);
		const dev = cookies.find((c) => c.name === 'hk_dev');
		check('the credential cookie is Secure, HttpOnly and SameSite=Strict', dev && dev.secure && dev.httpOnly && dev.sameSite === 'Strict', JSON.stringify(dev && { ...dev, value: '...' }));
		const seen = new Set();
		const list = requests.filter((q) => q.url.startsWith(hub.base) && !seen.has(q.method + q.url + q.body) && seen.add(q.method + q.url + q.body));
		check('every request the pages made went to the hub itself', requests.every((q) => q.url.startsWith(hub.base) || q.url.startsWith('data:')), requests.filter((q) => !q.url.startsWith(hub.base)).map((q) => q.url).join(' '));
		const n0 = journalLength();
		let readable = [], written = [], allowed = [];
		for (const q of list) {
			const hdr = { 'Content-Type': 'application/json', 'X-HK-Request': randomUUID() };
			const bare = await raw(q.url, { method: q.method, headers: { ...hdr, Origin: hub.base }, body: q.body });
			if (leaks(bare.body).length) readable.push(q.method + ' ' + q.url);
			if (q.method === 'POST' && bare.status < 400) written.push(q.url);
			if (q.method === 'POST') {
				const foreign = await raw(q.url, { method: 'POST', headers: { ...hdr, Origin: 'https://evil.example', Cookie: 'hk_dev=' + dev.value }, body: q.body });
				if (foreign.status !== 403) allowed.push(q.url + ' ' + foreign.status);
			} else {
				const foreign = await raw(q.url, { headers: { Origin: 'https://evil.example', Cookie: 'hk_dev=' + dev.value } });
				if (foreign.headers['access-control-allow-origin']) allowed.push(q.url + ' lets another site read it');
			}
		}
		note(`replayed ${list.length} distinct requests (${list.filter((q) => q.method === 'POST').length} changes)`);
		check('without the cookie, no answer names anyone or holds the record', !readable.length, readable.join(' '));
		check('without the cookie, no change is accepted', !written.length, written.join(' '));
		check('with a foreign Origin, every change is refused (403) and no read is shared', !allowed.length, allowed.join(' '));
		check('the replays wrote nothing (hubctl journal length unchanged)', journalLength() === n0, `${n0} -> ${journalLength()}`);
	});

	await step('another site in the same browser', async () => {
		const n0 = journalLength();
		const evil = await ctx.newPage();
		const other = hub.base.replace('127.0.0.1', 'localhost');
		await evil.goto(other + '/pair');
		const got = await evil.evaluate(async (base) => {
			const out = {};
			try { const x = await fetch(base + '/api/today', { credentials: 'include' }); out.read = await x.text(); } catch (e) { out.read = 'refused'; }
			try {
				await fetch(base + '/api/emergency', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: '{"child":null}' });
				out.write = 'sent';
			} catch { out.write = 'refused'; }
			return out;
		}, hub.base);
		check('a page of another site cannot read the hub with the phone\'s cookie', got.read === 'refused', got.read.slice(0, 80));
		await sleep(200);
		check('... nor write to it', journalLength() === n0, `${journalLength() - n0} entries`);
		await evil.close();
	});

	// ---- accessibility, targets, screenshots at both sizes --------------------
	const storage = await ctx.storageState();
	const views = [
		['today', async (p) => p.goto(hub.base + '/#today')],
		['emergency', async (p) => { await p.goto(hub.base + '/#today'); await p.getByRole('button', { name: 'Emergency arrival', exact: true }).click(); await p.getByRole('dialog').waitFor(); }],
		['house', async (p) => { await p.goto(hub.base + '/#house'); await p.locator('#roll input').first().waitFor(); }],
		['record', async (p) => { await p.goto(hub.base + '/#record'); await p.getByRole('button', { name: /Write a record for/ }).first().waitFor(); }],
		['record-form', async (p) => {
			await p.goto(hub.base + '/#record');
			await p.getByRole('button', { name: 'Write a record for ليلى' }).click();
			await p.getByRole('checkbox', { name: 'Raise a concern' }).check();
			await p.locator('#rec-list h2').waitFor();
		}],
		['book-stay', async (p) => { await p.goto(hub.base + '/#more'); await p.getByRole('button', { name: 'Book a stay' }).click(); await p.getByRole('dialog').waitFor(); }],
		['more', async (p) => { await p.goto(hub.base + '/#more'); await p.locator('#devices li').first().waitFor(); }],
	];
	for (const size of sizes) {
		await step('the pages at ' + size.name + ' size', async () => {
			const tag = `${size.width}x${size.height}`;
			const c = await context(browser, size, { storageState: storage });
			const p = await c.newPage();
			watch(p, errors);
			for (const [name, open] of views) {
				await p.goto('about:blank');
				await open(p);
				await p.waitForLoadState('networkidle');
				await sleep(150);
				const v = await axe(p);
				check(`axe: no serious or critical violation on ${name} at ${tag}`, !v.length, axeText(v));
				const small = await smallTargets(p);
				check(`every control on ${name} at ${tag} is at least 48x48`, !small.length, small.slice(0, 6).join('; '));
				if (name === 'today') {
					await p.keyboard.press('Tab');
					await p.keyboard.press('Tab');
					const ring = await p.evaluate(() => { const st = getComputedStyle(document.activeElement); return st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2; });
					check(`the keyboard focus is visible on today at ${tag}`, ring);
				}
				const wide = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				check(`nothing on ${name} at ${tag} is wider than the screen`, wide <= 0, wide + ' px too wide');
				await p.screenshot({ path: path.join(shots, `${name}-${tag}.png`), fullPage: !['emergency', 'book-stay'].includes(name) });
				await p.evaluate(() => localStorage.clear());
			}
			const u = await context(browser, size);
			const q = await u.newPage();
			watch(q, errors);
			await q.goto(hub.base + '/pair');
			await q.waitForFunction(() => !document.querySelector('#fp').textContent.startsWith('Reading'));
			const v = await axe(q);
			check(`axe: no serious or critical violation on pair at ${tag}`, !v.length, axeText(v));
			const small = await smallTargets(q);
			check(`every control on pair at ${tag} is at least 48x48`, !small.length, small.join('; '));
			await q.screenshot({ path: path.join(shots, `pair-${tag}.png`), fullPage: true });
			await u.close();
			await c.close();
		});
	}
	await step('dark mode', async () => {
		const c = await context(browser, sizes[0], { storageState: storage, colorScheme: 'dark' });
		const p = await c.newPage();
		for (const [name, open] of views.filter(([n]) => ['today', 'record-form', 'house'].includes(n))) {
			await p.goto('about:blank');
			await open(p);
			await p.waitForLoadState('networkidle');
			const v = await axe(p);
			check(`axe: no serious or critical violation on ${name} in dark mode`, !v.length, axeText(v));
			await p.screenshot({ path: path.join(shots, `${name}-dark-390x844.png`), fullPage: true });
		}
		await c.close();
	});

	// ---- the first load, in bytes on the wire ----------------------------------
	async function firstLoad(url, extra) {
		const c = await context(browser, sizes[0], extra);
		const p = await c.newPage();
		const cdp = await c.newCDPSession(p);
		await cdp.send('Network.enable');
		await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
		let bytes = 0, n = 0;
		cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; n++; });
		await p.goto(url);
		await p.waitForLoadState('networkidle');
		await sleep(300);
		await c.close();
		return [bytes, n];
	}
	await step('the first load', async () => {
		const [app, na] = await firstLoad(hub.base + '/', { storageState: storage });
		note(`first load of the companion: ${app} bytes transferred in ${na} responses`);
		check('the companion\'s first load is at most 100 kB', app > 0 && app <= 100 * 1024, app + ' bytes');
		const [pair, np] = await firstLoad(hub.base + '/pair');
		note(`first load of the pairing page: ${pair} bytes transferred in ${np} responses`);
		check('the pairing page\'s first load is at most 100 kB', pair > 0 && pair <= 100 * 1024, pair + ' bytes');
	});

	await step('signing out other devices', async () => {
		r = hubctl('device', 'pair', '--name', 'Old tablet', '--state', state, '--url', hub.base);
		const link = (r.out.match(/https:\/\/\S+code=[A-Z0-9]+/) || [])[0];
		const other = await context(browser, sizes[1]);
		const tab = await other.newPage();
		await tab.goto(link);
		await tab.getByRole('button', { name: 'Pair this phone' }).click();
		await tab.getByRole('button', { name: 'Emergency arrival', exact: true }).waitFor();
		await page.getByRole('link', { name: 'Today' }).click();
		await page.getByRole('link', { name: 'More' }).click();
		await page.locator('#devices li', { hasText: 'Old tablet' }).waitFor();
		await page.getByRole('button', { name: 'Sign out other devices' }).click();
		const dlg = page.getByRole('dialog', { name: 'Sign out other devices?' });
		await dlg.getByRole('button', { name: 'Sign out other devices' }).click();
		const said = await saved(page, 'signed out');
		check('"Sign out other devices" says how many', said.includes('1 other device'), said);
		await tab.reload();
		check('the other tablet is refused at once', await tab.getByRole('button', { name: 'Pair this phone' }).isVisible());
		const devs = tsv('device', 'list');
		check('... and this phone stays paired', devs.find((d) => d.name === 'Test phone').status === 'paired' && devs.find((d) => d.name === 'Old tablet').status === 'signed out', JSON.stringify(devs.map((d) => d.status)));
		await other.close();
	});

	// ---- revoked: refused at once -------------------------------------------
	await step('revocation', async () => {
		await page.goto(hub.base + '/#house');
		await page.locator('#roll input').first().waitFor();
		const dev = tsv('device', 'list').find((d) => d.name === 'Test phone');
		r = hubctl('device', 'revoke', dev.id);
		check('hubctl device revoke signs the phone out', r.rc === 0, r.err);
		await page.getByRole('button', { name: 'Refresh the list' }).click();
		await page.getByRole('link', { name: 'Pair again' }).waitFor({ timeout: 5000 });
		await page.screenshot({ path: path.join(shots, 'revoked-390x844.png') });
		const text = await page.locator('body').innerText();
		check('the open page, refused, says so and forgets the names on screen', !leaks(text).length, leaks(text).join(', '));
		await page.reload();
		check('reloaded, the revoked phone gets the pairing page', await page.getByRole('button', { name: 'Pair this phone' }).isVisible());
		const html = await page.content();
		check('... which names nobody', !leaks(html).length, leaks(html).join(', '));
		const cookie = (await ctx.cookies(hub.base)).find((c) => c.name === 'hk_dev');
		const a = await raw(hub.base + '/api/today', { headers: { Cookie: 'hk_dev=' + (cookie ? cookie.value : '') } });
		check('the revoked credential gets 401 from the API', a.status === 401 && !leaks(a.body).length, a.status + '');
	});

	const bad = errors.filter((e) => /Content Security Policy|page error|Refused to/.test(e));
	check('no page broke the content security policy or threw', !bad.length, bad.slice(0, 3).join(' | '));
	note('screenshots in ' + shots);
	await ctx.close();
	completed = true;
}

try {
	await main();
} catch (e) {
	check('the browser tests ran to their end', false, String(e && e.stack || e).split('\n').slice(0, 3).join(' '));
} finally {
	if (browser) await browser.close().catch(() => {});
	if (hub) hub.stop();
}
if (completed) console.log('# done');
process.exit(failed() ? 1 : 0);
