// app.js - the carer's companion: one page (index.html), four views reached
// from the bottom bar (Today, House, Record, More), everything from the
// hub's JSON API (doc/hubweb.md). No framework, no build step, no inline
// script or style (the CSP forbids both), nothing from another origin.
//
// Start reading at boot() at the end. Every change is a POST with a
// request key made once per submission and reused when the same
// submission is sent again (change(); a record's key lives in its draft,
// saveRecord()), so a double tap or a resend is never saved twice. Record
// drafts live in localStorage until the hub says saved; roll-call ticks in
// sessionStorage. Names reach the page only by textContent, never as
// markup.

const $ = (s, r = document) => r.querySelector(s);

// ---- small DOM helpers --------------------------------------------------

function h(tag, props, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(props || {})) {
		if (v == null || v === false) continue;
		if (k === 'class') e.className = v;
		else if (k === 'text') e.textContent = v;
		else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else e.setAttribute(k, v === true ? '' : String(v));
	}
	for (const c of kids.flat(9)) {
		if (c == null || c === false || c === '') continue;
		e.append(c.nodeType ? c : String(c));
	}
	return e;
}

const vh = (t) => h('span', { class: 'vh', text: t });
const btn = (label, cls, fn, extra) => h('button', { type: 'button', class: 'btn ' + (cls || ''), onclick: fn }, label, extra);

// A person as the page shows them: the display name, and the full name
// beside it when it says more; both isolated for right-to-left scripts.
function who(p, opts = {}) {
	if (!p) return h('span', { class: 'name', text: opts.none || 'a young person' });
	const out = [h('bdi', { class: 'name', dir: 'auto', text: p.display || p.full || '?' })];
	if (p.full && p.full !== p.display && !opts.short) out.push(' ', h('bdi', { class: 'full', dir: 'auto', text: '(' + p.full + ')' }));
	return h('span', null, out);
}
const pname = (p) => (p && (p.display || p.full)) || 'a young person';

// ---- times ----------------------------------------------------------------

const fmtT = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fmtD = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const fmtLong = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayOf = (d) => d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
const todayStr = () => dayOf(new Date());

function at(iso) {
	if (!iso) return '';
	const d = new Date(iso);
	if (isNaN(d)) return String(iso);
	return dayOf(d) === todayStr() ? fmtT.format(d) : fmtD.format(d) + ' ' + fmtT.format(d);
}
// "10:00 - 11:30", "Tue 8 Dec 10:00 - 11:30", "Sat 12 Dec, all day".
function span(from, until, allDay) {
	if (!from) return '';
	const a = new Date(from);
	if (allDay) {
		const b = until ? new Date(new Date(until).getTime() - 60000) : a;
		return (dayOf(a) === dayOf(b) ? fmtD.format(a) : fmtD.format(a) + ' - ' + fmtD.format(b)) + ', all day';
	}
	if (!until) return at(from);
	const b = new Date(until);
	return at(from) + ' - ' + (dayOf(a) === dayOf(b) ? fmtT.format(b) : at(until));
}
// A day and a time, always with the day: "Mon 7 Dec 14:30".
const stamp = (iso) => (iso ? fmtD.format(new Date(iso)) + ' ' + fmtT.format(new Date(iso)) : '');

function dayTitle(day) {
	const t = todayStr();
	const d = new Date(day + 'T12:00:00');
	if (day === t) return 'Today';
	if (day === shiftDay(t, 1)) return 'Tomorrow';
	if (day === shiftDay(t, -1)) return 'Yesterday';
	return fmtD.format(d);
}
function shiftDay(day, n) {
	const d = new Date(day + 'T12:00:00');
	d.setDate(d.getDate() + n);
	return dayOf(d);
}
// A datetime-local value for now, rounded up to the next quarter hour.
function soon(mins = 0) {
	const d = new Date(Date.now() + mins * 60000);
	d.setMinutes(Math.ceil(d.getMinutes() / 15) * 15, 0, 0);
	return dayOf(d) + 'T' + String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

// ---- requests -------------------------------------------------------------

// A request key: 1-64 of [A-Za-z0-9_-]. randomUUID needs a secure context,
// which a page over a certificate the phone does not trust may not be.
export function newKey() {
	if (crypto.randomUUID) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

const state = { status: null, today: null, day: null, house: null, children: [], people: null, online: true };

function setOnline(on) {
	state.online = on;
	const n = $('#net');
	n.hidden = on;
	n.textContent = on ? '' : 'No connection';
}

async function get(path) {
	let r;
	try {
		r = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
	} catch {
		setOnline(false);
		return { ok: false, status: 0 };
	}
	setOnline(true);
	if (r.status === 401) unpaired();
	let data = null;
	try { data = await r.json(); } catch { /* not JSON */ }
	return { ok: r.ok && !!data, status: r.status, data };
}

async function post(path, body, key) {
	let r;
	try {
		r = await fetch(path, {
			method: 'POST', credentials: 'same-origin', cache: 'no-store',
			headers: { 'Content-Type': 'application/json', 'X-HK-Request': key },
			body: JSON.stringify(body),
		});
	} catch {
		setOnline(false);
		return { ok: false, status: 0, data: null };
	}
	setOnline(true);
	let data = null;
	try { data = await r.json(); } catch { /* not JSON */ }
	if (r.status === 401) unpaired();
	return { ok: r.ok && !!data && data.ok !== false, status: r.status, data };
}

// One change, sent with the key of its submission. id names the
// submission ("checkin:12"): while it is not answered ok, sending it again
// reuses its key, and a second tap while the first is on its way is
// ignored.
const keys = new Map();
const busy = new Set();
async function change(id, path, body, button) {
	if (busy.has(id)) return null;
	busy.add(id);
	if (button) button.setAttribute('aria-disabled', 'true');
	if (!keys.has(id)) keys.set(id, newKey());
	const r = await post(path, body, keys.get(id));
	busy.delete(id);
	if (button) button.removeAttribute('aria-disabled');
	if (r.ok) keys.delete(id);
	return r;
}

// What to tell the carer about r, in one line.
function outcome(r, okText) {
	if (r.ok) return { good: true, text: r.data && r.data.duplicate ? okText + ' (it had already reached the hub)' : okText };
	if (r.status === 0) return { good: false, retry: true, text: 'Not saved - try again. No connection to the hub.' };
	if (r.status === 401) return { good: false, text: 'Not saved - this phone is not paired with the hub any more.' };
	if (r.status === 507) return { good: false, text: 'Not saved - the hub\'s storage is full: ' + ((r.data && r.data.error) || 'nothing can be recorded until space is freed') };
	if (r.status >= 500 || r.status === 429) return { good: false, retry: true, text: 'Not saved - try again. The hub was busy.' };
	const why = (r.data && r.data.error) || 'the hub refused it';
	return { good: false, text: 'Not saved - ' + why };
}

// ---- the notice line at the top ------------------------------------------

let noticeTimer = 0;
// A new change starts: what was said of the last one no longer holds.
function hush() {
	clearTimeout(noticeTimer);
	if (!gone) $('#notice').replaceChildren();
}
function say(text, good, retry) {
	const n = $('#notice');
	clearTimeout(noticeTimer);
	n.replaceChildren(h('p', { class: good ? 'good' : 'bad', role: good ? null : 'alert' },
		h('span', { text }), retry ? btn('Try again', 'ghost', retry) : null,
		btn('Close', 'ghost', () => n.replaceChildren(), vh(' this message'))));
	if (good) noticeTimer = setTimeout(() => n.replaceChildren(), 8000);
}

// Runs one change from a button and tells the outcome; retry reuses the key.
async function act(id, path, body, button, okText) {
	if (!busy.has(id)) hush();
	const r = await change(id, path, body, button);
	if (!r) return null;
	const o = outcome(r, okText);
	say(o.text, o.good, o.retry ? () => act(id, path, body, button, okText) : null);
	if (r.ok) refresh();
	return r;
}

// The credential was refused: forget what is on the screen (names,
// records), keep the drafts, and send the carer to pair again.
let gone = false;
function unpaired() {
	if (gone) return;
	gone = true;
	state.today = state.house = state.people = null;
	state.children = [];
	for (const id of ['#beds', '#items', '#events', '#roll', '#roll-count', '#pick-here', '#pick-child', '#concerns', '#devices', '#hubstate',
		'#rec-list', '#rec-title', '#drafts', '#reminder', '#storage', '#backup', '#dl-children', '#dl-people', '#df-body', '#em-beds'])
		$(id).replaceChildren();
	for (const d of document.querySelectorAll('dialog')) if (d.open) d.close();
	$('#rec').reset();
	$('#rec').hidden = true;
	current = null;
	for (const v of views) $('#v-' + v).hidden = true;
	$('.bar').hidden = true;
	$('#hub-name').textContent = 'Hub companion';
	$('#notice').replaceChildren(h('p', { class: 'bad', role: 'alert' },
		h('span', { text: 'This phone is not paired with the hub (or it was signed out). Drafts stay on this phone.' }),
		h('a', { class: 'btn primary', href: '/pair' }, 'Pair again')));
}

// ---- views ----------------------------------------------------------------

const views = ['today', 'house', 'record', 'more'];
function show(v, focus) {
	if (gone) return;
	if (!views.includes(v)) v = 'today';
	for (const x of views) $('#v-' + x).hidden = x !== v;
	for (const a of document.querySelectorAll('.bar a'))
		if (a.dataset.view === v) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
	document.title = { today: 'Today', house: 'Who is in the house', record: 'Records', more: 'More' }[v] + ' - ' + (state.status ? state.status.hub : 'Hub companion');
	if (focus) { $('#v-' + v + ' h1').focus(); window.scrollTo(0, 0); }
	if (v === 'house') loadHouse();
	if (v === 'record') loadRecordView();
	if (v === 'more') loadMore();
}
// Shows v at once (so what is opened in it can take the focus) and puts
// it in the history, for the back button.
function go(v) {
	if (location.hash !== '#' + v) history.pushState(null, '', '#' + v);
	show(v, true);
}

// ---- Today ----------------------------------------------------------------

async function loadStatus() {
	const r = await get('/api/status');
	if (!r.ok) return;
	state.status = r.data;
	$('#hub-name').textContent = r.data.hub || 'Hub companion';
	renderReminder();
	if (!$('#v-more').hidden) renderFacts();
}

function renderReminder() {
	const s = state.status, box = $('#reminder');
	const n = s ? s.concerns_open | 0 : 0;
	if (!n) { box.replaceChildren(); return; }
	box.replaceChildren(btn([n === 1 ? '1 urgent concern is open' : n + ' urgent concerns are open',
		s.concerns_oldest ? ' since ' + at(s.concerns_oldest) : ''], 'reminder', () => {
		go('record');
		$('#h-concerns').scrollIntoView();
	}, h('span', { 'aria-hidden': 'true', text: 'See ›' })));
}

async function loadToday() {
	const q = state.day ? '?day=' + encodeURIComponent(state.day) : '';
	const r = await get('/api/today' + q);
	if (!r.ok) {
		if (!state.today) $('#today-when').textContent = r.status === 0 ? 'No connection to the hub: nothing to show yet.' : '';
		return;
	}
	state.today = r.data;
	renderToday();
}

let eventsShown = false;
const isToday = () => !state.today || state.today.day === todayStr() || !state.day;

function renderToday() {
	const t = state.today;
	$('#h-today').textContent = dayTitle(t.day);
	const when = $('#today-when');
	when.replaceChildren(fmtLong.format(new Date(t.day + 'T12:00:00')));
	if (state.day && state.day !== todayStr()) when.append(' ', btn('Back to today', 'ghost', () => { state.day = null; loadToday(); }));
	$('#emergency').hidden = !isToday();
	$('#unexpected').hidden = !isToday();
	// The board's own banner, in the same words (issue 16): nothing is lost,
	// but nothing new can be recorded until space is freed.
	$('#storage').replaceChildren(...(t.storage && t.storage.full ? [h('p', { class: 'card warn' },
		h('strong', { text: 'Storage full: ' }), 'presses and changes cannot be recorded - tell the carer. ',
		'The hub\'s data partition has ' + Math.max(0, t.storage.free_kb | 0) + ' kB free; what is recorded is safe.')] : []));
	// The backup, in the console's words (issue 15): said only when it is a
	// day behind, or its medium is missing or full.
	$('#backup').replaceChildren(...(t.backup && t.backup.warn ? [h('p', { class: 'card warn' },
		h('strong', { text: 'Backup: ' }), t.backup.message + '. What is recorded is safe on the hub, but what no backup'
		+ ' holds would be lost with it - tell whoever looks after the hub.')] : []));

	const beds = (t.beds || []).map(bedCard);
	$('#beds').replaceChildren(...(beds.length ? beds : [h('li', { class: 'empty', text: 'No beds are set up.' })]));

	const items = (t.items || []).slice().sort((a, b) => String(a.at).localeCompare(String(b.at))).map(itemCard);
	$('#items').replaceChildren(...(items.length ? items : [h('li', { class: 'empty', text: 'No visits or sessions.' })]));

	const all = t.events || [];
	const evs = all.slice(0, eventsShown ? all.length : 6).map((e) => h('li', { class: 'card' },
		h('div', { class: 'when', text: span(e.from, e.until, e.all_day) }),
		h('bdi', { class: 'name', dir: 'auto', text: e.title }),
		e.location ? h('div', { class: 'muted' }, h('bdi', { dir: 'auto', text: e.location })) : null));
	if (all.length > evs.length) evs.push(h('li', null, btn('Show all ' + all.length + ' coming events', 'ghost wide', () => { eventsShown = true; renderToday(); })));
	$('#events').replaceChildren(...(evs.length ? evs : [h('li', { class: 'empty', text: 'Nothing on the calendar.' })]));
	renderPickHere();
}

const bedWord = { free: 'Free', reserved: 'Reserved', occupied: 'Occupied', unavailable: 'Unavailable' };

function bedCard(b) {
	const acts = [];
	if (b.state === 'occupied' && b.child) acts.push(recordButton(b.child));
	if (b.state === 'occupied' && b.stay_id)
		acts.push(btn('End stay', 'ghost', () => confirmDo('End this stay?',
			[pname(b.child), ' leaves ', b.name, ' now.'], 'End stay', 'Saved: the stay in ' + b.name + ' ended',
			(button) => change('stayend:' + b.stay_id, '/api/stay/end', { stay: b.stay_id }, button)),
		vh(' in ' + b.name)));
	if (b.state === 'free')
		acts.push(btn('Mark unavailable', 'ghost', (e) => act('bedoff:' + b.id, '/api/bed/unavailable', { bed: b.id, unavailable: true }, e.currentTarget, 'Saved: ' + b.name + ' is unavailable'), vh(' ' + b.name)));
	if (b.state === 'unavailable')
		acts.push(btn('Mark available', 'ghost', (e) => act('bedon:' + b.id, '/api/bed/unavailable', { bed: b.id, unavailable: false }, e.currentTarget, 'Saved: ' + b.name + ' is available again'), vh(' ' + b.name)));
	const line = [];
	if (b.child) line.push(who(b.child));
	if (b.since) line.push(b.state === 'reserved' ? ' from ' + at(b.since) : ' since ' + at(b.since));
	if (b.until) line.push(', until ' + at(b.until));
	return h('li', { class: 'card item' },
		h('div', { class: 'what' },
			h('h3', null, h('bdi', { dir: 'auto', text: b.name }),
				b.room ? h('span', { class: 'muted', text: ' · ' + b.room }) : null,
				h('span', { class: 'badge ' + b.state, text: bedWord[b.state] || b.state }),
				b.emergency ? h('span', { class: 'badge emergency', text: 'Emergency' }) : null,
				b.overdue ? h('span', { class: 'badge overdue', text: 'Overdue' }) : null),
			line.length ? h('p', { class: 'sec' }, line) : null),
		acts.length ? h('div', { class: 'acts' }, acts) : null);
}

// about: the time a new record is about (a session that is over), else now.
function recordButton(child, about) {
	return btn('Write a record', 'primary', () => { go('record'); openRecord(child, about); }, vh(' for ' + pname(child)));
}
// An ISO time as a datetime-local value, in this phone's zone.
function localInput(iso) {
	const d = new Date(iso);
	if (isNaN(d)) return '';
	return dayOf(d) + 'T' + String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
}

const kindWord = { visit: 'Visit', contact: 'Contact session', care: 'Care session' };
// The day's states (core/day.h): visits expected, late, here, left; care
// sessions expected, here, left; contact sessions upcoming, now, done.
const isHere = (it) => it.state === 'here' || it.state === 'now';
const isOver = (it) => ['left', 'done', 'cancelled'].includes(it.state);
const stateWords = {
	visit: { expected: 'Expected', late: 'Late', here: 'Here', left: 'Left' },
	care: { expected: 'Expected', here: 'Here', left: 'Went home' },
	contact: { upcoming: 'Later today', now: 'Happening now', done: 'Over' },
};
const stateClass = { expected: 'expected', upcoming: 'expected', late: 'overdue', here: 'here', now: 'here', left: 'left', done: 'left' };

function itemCard(it) {
	const acts = [];
	const today = isToday();
	const name = pname(it.who);
	if (it.kind === 'visit') {
		if (today && it.state === 'here')
			acts.push(btn('Check out', 'out', (e) => act('checkout:' + it.id, '/api/visit/checkout', { visit: it.id }, e.currentTarget, 'Saved: ' + name + ' checked out'), vh(' ' + name)));
		else if (today && (it.state === 'expected' || it.state === 'late'))
			acts.push(btn('Check in', 'go', (e) => act('checkin:' + it.id, '/api/visit/checkin', { visit: it.id }, e.currentTarget, 'Saved: ' + name + ' checked in'), vh(' ' + name)));
		if (!it.arrived && !isOver(it))
			acts.push(btn('Cancel', 'link', () => confirmDo('Cancel this visit?', [name, ' is not coming.'], 'Cancel the visit', 'Saved: the visit of ' + name + ' is cancelled',
				(button) => change('visitcancel:' + it.id, '/api/visit/cancel', { visit: it.id }, button)), vh(' the visit of ' + name)));
	} else if (it.who && it.who.id && (isHere(it) || isOver(it))) {
		// A session over: the record is about its time, not now.
		acts.push(recordButton(it.who, isHere(it) ? null : it.at));
		if (it.kind === 'care' && today && it.state === 'here')
			acts.push(btn('End care session', 'ghost', () => confirmDo('End this care session?', [name, ' goes home now.'], 'End care session', 'Saved: the care session of ' + name + ' ended',
				(button) => change('careend:' + it.id, '/api/care/end', { care: it.id }, button)), vh(' of ' + name)));
	}
	let stateText = (stateWords[it.kind] || {})[it.state] || it.state;
	if (it.state === 'here' && it.arrived) stateText += ' since ' + at(it.arrived);
	if (it.state === 'left' && it.left) stateText += ' ' + at(it.left);
	const other = it.kind === 'visit' ? (it.for ? ['for ', who(it.for, { short: true })] : ['for the household'])
		: it.with ? ['with ', h('bdi', { dir: 'auto', text: it.with })] : [];
	return h('li', { class: 'card item' },
		h('div', { class: 'what' },
			h('p', { class: 'sec' }, h('span', { class: 'when', text: span(it.at, it.until) }), ' ',
				h('span', { class: 'muted', text: kindWord[it.kind] || it.kind })),
			h('h3', null, who(it.who, { none: it.kind === 'visit' ? 'a visitor' : 'a young person' }),
				it.unexpected ? h('span', { class: 'badge reserved', text: 'Not expected' }) : null,
				it.emergency ? h('span', { class: 'badge emergency', text: 'Emergency' }) : null),
			other.length || it.room ? h('p', { class: 'sec' }, other, it.room ? (other.length ? ', ' : '') + it.room : '') : null,
			h('p', { class: 'sec' }, h('span', { class: 'badge ' + (stateClass[it.state] || ''), text: stateText }))),
		acts.length ? h('div', { class: 'acts' }, acts) : null);
}

// ---- dialogs --------------------------------------------------------------

function closeOn(d) {
	d.addEventListener('click', (e) => { if (e.target.closest('[data-close]')) d.close(); });
}

// The emergency arrival: one tap opens it, Save is focused, the first free
// bed is chosen, the name may wait.
// The key of an emergency arrival whose answer never came (no connection,
// the hub busy): opening the dialog again resends the same arrival, unless
// the carer says this is another child.
let emergencyUnsure = 0;
function openEmergency() {
	const d = $('#dlg-emergency');
	const beds = (state.today && state.today.beds) || [];
	const fs = $('#em-beds');
	fs.replaceChildren(h('legend', { text: 'Bed' }));
	// A free bed first; a bed reserved later today can take a child until then.
	const takes = (b) => b.state === 'free' || b.state === 'reserved';
	const pick = beds.find((b) => b.state === 'free') || beds.find(takes);
	for (const b of beds) {
		const input = h('input', { type: 'radio', name: 'bed', value: b.id, disabled: !takes(b) });
		input.checked = b === pick;
		const what = b.state === 'reserved' && b.since ? 'free until ' + at(b.since) : (bedWord[b.state] || b.state).toLowerCase();
		fs.append(h('label', { class: 'check' }, input, h('span', null, h('bdi', { class: 'name', dir: 'auto', text: b.name }),
			h('span', { class: 'muted', text: (b.room ? ' · ' + b.room : '') + ' · ' + what }))));
	}
	if (!pick) fs.append(h('p', { class: 'bad status', text: beds.length ? 'No bed is free now, so the hub will refuse an emergency stay. End a stay first, or book a care session under More.' : 'No beds are set up yet.' }));
	$('#em-status').textContent = '';
	$('#em-status').className = 'status';
	$('#em-form').reset();
	const chosen = fs.querySelector('input[value="' + (pick ? pick.id : '') + '"]');
	if (chosen) chosen.checked = true;
	$('#em-again').hidden = !emergencyUnsure;
	if (emergencyUnsure) $('#em-again-when').textContent = fmtT.format(new Date(emergencyUnsure));
	$('#em-other').checked = false;
	d.showModal();
}

async function saveEmergency(e) {
	e.preventDefault();
	const f = e.currentTarget, st = $('#em-status');
	const name = f.child.value.trim();
	const known = state.children.filter((c) => c.display === name);
	const bed = f.querySelector('input[name=bed]:checked');
	const body = { child: name ? (known.length === 1 ? known[0].id : name) : null, bed: bed ? Number(bed.value) : null };
	st.className = 'status';
	st.textContent = 'Saving...';
	hush();
	if (emergencyUnsure && $('#em-other').checked) keys.delete('emergency');
	const r = await change('emergency', '/api/emergency', body, f.querySelector('[type=submit]'));
	if (!r) return;
	const o = outcome(r, 'Saved: emergency arrival' + (r.data && r.data.bed ? ' in ' + r.data.bed : ''));
	// Refused: nothing was written, the next arrival is a new one. Not
	// answered: it may have been, and the key stays for the resend.
	if (o.retry) emergencyUnsure = emergencyUnsure || Date.now();
	else { emergencyUnsure = 0; keys.delete('emergency'); }
	st.className = 'status ' + (o.good ? 'good' : 'bad');
	st.textContent = o.text;
	if (o.good) {
		$('#dlg-emergency').close();
		say(o.text + (name ? '' : '. Name the young person later.'), true);
		refresh();
	}
}

// A small form in a dialog: fields [{name, label, type, options, required,
// hint, value}], submit(values) -> the change's answer. One key per
// opening, reused when Save is tapped again after a failure.
let formRun = 0, formSubmit = null, formOk = '';
function openForm(title, fields, okText, submit, saveLabel = 'Save', backLabel = 'Cancel') {
	$('#df-title').textContent = title;
	$('#dlg-form [data-close]').textContent = backLabel;
	const body = $('#df-body');
	body.replaceChildren();
	for (const f of fields) body.append(...field(f));
	$('#df-ok').textContent = saveLabel;
	$('#df-status').textContent = '';
	$('#df-status').className = 'status';
	formRun++;
	formSubmit = submit;
	formOk = okText;
	$('#dlg-form').showModal();
}
// A question before a change that cannot be taken back: fn(button) sends
// it; okText (a string, or of the answer) says it was saved.
function confirmDo(title, text, label, okText, fn) {
	openForm(title, [{ type: 'text-only', text }], okText, async () => fn($('#df-ok')), label, 'Go back');
}

function field(f) {
	const id = 'f-' + f.name;
	if (f.type === 'text-only') return [h('p', null, f.text)];
	if (f.type === 'checkbox')
		return [h('label', { class: 'check' }, h('input', { type: 'checkbox', name: f.name, id, checked: !!f.value }), f.label)];
	const lab = h('label', { for: id }, f.label, f.hint ? h('span', { class: 'hint', text: f.hint }) : null);
	let input;
	if (f.type === 'select') {
		input = h('select', { id, name: f.name, required: f.required });
		for (const [v, t] of f.options) input.append(h('option', { value: v, text: t }));
		if (f.value != null) input.value = String(f.value);
	} else if (f.type === 'textarea') {
		input = h('textarea', { id, name: f.name, dir: 'auto', rows: 3, required: f.required });
		input.value = f.value || '';
	} else {
		input = h('input', { id, name: f.name, type: f.type || 'text', dir: f.type ? null : 'auto', list: f.list, required: f.required, autocomplete: 'off' });
		input.value = f.value || '';
	}
	return [lab, input];
}

async function submitForm(e) {
	e.preventDefault();
	const form = e.currentTarget, st = $('#df-status');
	const vals = {};
	for (const el of form.elements) {
		if (!el.name) continue;
		if (el.required && !el.value.trim()) {
			st.className = 'status bad';
			st.textContent = 'Not saved - fill in "' + form.querySelector('label[for="' + el.id + '"]').firstChild.textContent.trim() + '" first.';
			el.focus();
			return;
		}
		vals[el.name] = el.type === 'checkbox' ? el.checked : el.value.trim();
	}
	st.className = 'status';
	st.textContent = 'Saving...';
	hush();
	const run = formRun;
	const r = await formSubmit(vals, 'form:' + run);
	if (!r || run !== formRun) return;
	const o = outcome(r, typeof formOk === 'function' ? formOk(r) : formOk);
	st.className = 'status ' + (o.good ? 'good' : 'bad');
	st.textContent = o.text;
	if (o.good) {
		$('#dlg-form').close();
		say(o.text, true);
		refresh();
	}
}

// ---- House: who is in the house (fire roll call) --------------------------

const ROLL = 'hk.roll';
function ticks() {
	try { return JSON.parse(sessionStorage.getItem(ROLL)) || {}; } catch { return {}; }
}
function saveTicks(t) {
	try { sessionStorage.setItem(ROLL, JSON.stringify(t)); } catch { /* full: the ticks stay on screen */ }
}

async function loadHouse() {
	const r = await get('/api/house');
	if (r.ok) {
		state.house = r.data;
		renderHouse(false);
	} else if (state.house) renderHouse(true);
	else $('#roll-when').textContent = r.status === 0 ? 'No connection to the hub, and no list loaded yet.' : '';
}

const groupWord = { child: 'Children', visitor: 'Visitors', carer: 'Carers' };
function renderHouse(stale) {
	const people = state.house.people || [];
	const t = ticks();
	const box = $('#roll');
	box.replaceChildren();
	for (const kind of ['child', 'visitor', 'carer']) {
		const list = people.filter((p) => (p.kind || 'visitor') === kind);
		if (!list.length) continue;
		box.append(h('h2', { text: groupWord[kind] }), h('ul', { class: 'roll' }, list.map((p) => {
			const k = kind + ':' + (p.id != null ? p.id : p.display);
			const cb = h('input', { type: 'checkbox', 'data-k': k, checked: !!t[k] });
			cb.addEventListener('change', () => {
				const now = ticks();
				if (cb.checked) now[k] = 1; else delete now[k];
				saveTicks(now);
				countTicks();
			});
			const where = [p.where, p.room].filter(Boolean).join(', ');
			return h('li', null, h('label', { class: 'check' }, cb,
				h('span', null, who(p), h('span', { class: 'where muted', text: (where ? ' · ' + where : '') + (p.since ? ', since ' + at(p.since) : '') }))));
		})));
	}
	if (!people.length) box.append(h('p', { class: 'empty', text: 'Nobody is recorded in the house.' }));
	$('#roll-when').textContent = 'List as the hub had it at ' + at(state.house.now) + (stale ? ' (no connection: the ticks still work)' : '') + '.';
	countTicks();
}
function countTicks() {
	const all = document.querySelectorAll('#roll input[type=checkbox]');
	const n = Array.from(all).filter((c) => c.checked).length;
	$('#roll-count').textContent = all.length ? n + ' of ' + all.length + ' ticked' + (n === all.length ? ': everyone is out' : '') : '';
}

// ---- Record: drafts, the form, earlier records, concerns ------------------

const FIELDS = ['at', 'activities', 'wellbeing', 'words', 'medicines', 'opinion', 'away', 'incident', 'incident_text', 'raise', 'concern', 'level', 'action', 'told'];
const SECTIONS = [['activities', 'Activities'], ['wellbeing', 'How they were'], ['words', 'In their own words'], ['medicines', 'Medicines given'], ['opinion', "Carer's view (opinion)"]];
const DRAFT = 'hk.draft.';
let current = null;              // the child whose record is open

function readDraft(id) {
	try { return JSON.parse(localStorage.getItem(DRAFT + id)); } catch { return null; }
}
function writeDraft(d) {
	try { localStorage.setItem(DRAFT + d.child.id, JSON.stringify(d)); return true; } catch { return false; }
}
function dropDraft(id) {
	try { localStorage.removeItem(DRAFT + id); } catch { /* nothing kept */ }
}
function allDrafts() {
	const out = [];
	try {
		for (let i = 0; i < localStorage.length; i++) {
			const k = localStorage.key(i);
			if (k && k.startsWith(DRAFT)) { const d = readDraft(k.slice(DRAFT.length)); if (d && d.child) out.push(d); }
		}
	} catch { /* storage refused */ }
	return out;
}

function readForm(form) {
	const f = {};
	for (const k of FIELDS) {
		if (k === 'level') { const c = form.querySelector('input[name=level]:checked'); f.level = c ? c.value : ''; continue; }
		const el = form.elements[k];
		f[k] = el.type === 'checkbox' ? el.checked : el.value;
	}
	return f;
}
function fillForm(form, f) {
	for (const k of FIELDS) {
		if (k === 'level') { for (const r of form.querySelectorAll('input[name=level]')) r.checked = r.value === f.level; continue; }
		const el = form.elements[k];
		if (el.type === 'checkbox') el.checked = !!f[k]; else el.value = f[k] || '';
	}
	syncForm(form);
}
function syncForm(form) {
	const other = !!form.elements.at.value || !$('#r-at-box').hidden;
	$('#r-at-box').hidden = !other;
	$('#r-now').hidden = other;
	$('#r-concern').hidden = !form.elements.raise.checked;
	$('#r-incident-more').hidden = !form.elements.incident.value;
}

// What the record form sends: only what was written.
function recordBody(child, f) {
	const b = { child: child.id, away: !!f.away };
	const put = (k, v) => { if (v && String(v).trim()) b[k] = String(v).trim(); };
	put('at', f.at);
	for (const [k] of SECTIONS) put(k, f[k]);
	if (f.incident) { b.incident = f.incident; put('incident_text', f.incident_text); }
	if (f.raise) { put('concern', f.concern); put('level', f.level); put('action', f.action); put('told', f.told); }
	return b;
}
function recordProblem(b, f) {
	if (f.raise && (!b.concern || !b.level)) return 'Say what worries you and choose a level for the concern.';
	if (f.incident && !b.incident_text) return 'Say what happened in the incident.';
	if (!SECTIONS.some(([k]) => b[k]) && !b.incident && !b.concern) return 'Write something in at least one section first.';
	return '';
}

function recStatus(text, cls) {
	const st = $('#rec-status');
	st.className = 'status' + (cls ? ' ' + cls : '');
	st.textContent = text;
}

function openRecord(child, about) {
	current = child;
	const form = $('#rec');
	form.reset();
	$('#r-at-box').hidden = true;
	form.hidden = false;
	$('#pick').hidden = true;
	$('#rec-title').replaceChildren('Record for ', who(child, { short: true }));
	const d = readDraft(child.id);
	recStatus('');
	if (d) {
		fillForm(form, d.f);
		recStatus(d.key ? 'This record was sent before and the hub did not answer. Tap Save: it will never be saved twice.'
			: 'Your draft from ' + at(new Date(d.t).toISOString()) + ' is back. It is not saved yet.', 'warn');
	} else {
		if (about) form.elements.at.value = localInput(about);
		syncForm(form);
	}
	$('#rec-title').focus();
	window.scrollTo(0, 0);
	loadRecords(child);
	renderDrafts();
}
function closeRecord() {
	current = null;
	$('#rec').hidden = true;
	$('#pick').hidden = false;
	$('#rec-list').replaceChildren();
	renderDrafts();
}

function onRecordInput() {
	if (!current) return;
	const form = $('#rec');
	syncForm(form);
	const old = readDraft(current.id);
	const d = { child: current, f: readForm(form), key: old ? old.key : null, sent: old ? old.sent : null, t: Date.now() };
	if (!writeDraft(d)) recStatus('This phone would not keep the draft: save it soon.', 'bad');
	else if (!$('#rec-status').textContent.startsWith('This record was sent')) recStatus('Draft kept on this phone. Not saved yet.');
}

async function saveRecord(e) {
	e.preventDefault();
	if (!current) return;
	const form = $('#rec'), child = current;
	const f = readForm(form);
	const body = recordBody(child, f);
	const problem = recordProblem(body, f);
	if (problem) { recStatus('Not saved - ' + problem, 'bad'); return; }
	// The key is made for this submission and kept with the draft, so a
	// resend, even after a reload, is the same submission.
	let d = readDraft(child.id) || { child, f };
	d.f = f;
	d.t = Date.now();
	if (!d.key) { d.key = newKey(); d.sent = JSON.stringify(body); }
	writeDraft(d);
	if (busy.has('record')) return;
	busy.add('record');
	const save = form.querySelector('[type=submit]');
	save.setAttribute('aria-disabled', 'true');
	recStatus('Saving...');
	hush();
	const r = await post('/api/record', body, d.key);
	busy.delete('record');
	save.removeAttribute('aria-disabled');
	if (current !== child) return;
	if (r.ok) {
		dropDraft(child.id);
		const changed = r.data && r.data.duplicate && d.sent !== JSON.stringify(body);
		if (changed) {
			// The first sending had arrived; what was typed after it has not.
			writeDraft({ child, f, key: null, sent: null, t: Date.now() });
			recStatus('Saved as first sent. Your later changes are NOT saved: they are still here; Save again to add them as a new record.', 'bad');
		} else {
			form.reset();
			$('#r-at-box').hidden = true;
			syncForm(form);
			recStatus('Saved' + (r.data && r.data.concern ? ', with the concern' : '') + '.', 'good');
			say('Saved: the record for ' + pname(child), true);
		}
		loadRecords(child);
		loadStatus();
		loadConcerns();
		renderDrafts();
		return;
	}
	const o = outcome(r, 'Saved');
	recStatus(o.text + (o.retry ? ' Your record is kept on this phone.' : ''), 'bad');
}

function renderDrafts() {
	const ds = allDrafts().filter((d) => !current || d.child.id !== current.id);
	const box = $('#drafts');
	if (!ds.length) { box.replaceChildren(); return; }
	box.replaceChildren(h('div', { class: 'card warn' }, h('h2', { text: 'Not saved yet, kept on this phone' }),
		h('div', { class: 'stack' }, ds.map((d) => btn('Finish the record for ', 'ghost', () => openRecord(d.child), who(d.child, { short: true }))))));
}

// Children at the hub now first (from today), then the others by the picker.
function renderPickHere() {
	const seen = new Map();
	const t = state.today;
	if (t && isToday()) {
		for (const b of t.beds || []) if (b.state === 'occupied' && b.child && b.child.id) seen.set(b.child.id, b.child);
		for (const it of t.items || []) if (it.kind !== 'visit' && it.who && it.who.id && isHere(it)) seen.set(it.who.id, it.who);
	}
	$('#pick-here').replaceChildren(...Array.from(seen.values(), (c) => btn('Write a record for ', 'primary', () => openRecord(c), who(c, { short: true }))));
}
function renderChildren() {
	const sel = $('#pick-child');
	sel.replaceChildren(h('option', { value: '', text: 'Choose a child' }), ...state.children.map((c) => h('option', { value: c.id, text: c.display + (c.full && c.full !== c.display ? ' (' + c.full + ')' : '') })));
	$('#dl-children').replaceChildren(...state.children.map((c) => h('option', { value: c.display })));
}

async function loadChildren() {
	const r = await get('/api/people?role=child');
	if (!r.ok) return;
	state.children = r.data.people || [];
	renderChildren();
}

async function loadRecords(child) {
	const r = await get('/api/records?child=' + encodeURIComponent(child.id));
	if (!r.ok || current !== child) return;
	const recs = r.data.records || [];
	const box = $('#rec-list');
	box.replaceChildren(h('h2', null, 'Earlier records for ', who(child, { short: true })));
	if (!recs.length) { box.append(h('p', { class: 'empty', text: 'None yet.' })); return; }
	box.append(h('ul', { class: 'cards' }, recs.slice(0, 30).map(recordCard)));
}
// The first words of a record, to tell it from the others when closed.
function preview(rec) {
	const first = (Array.isArray(rec.sections) && rec.sections[0]) || null;
	const t = first ? first.text : rec.concern ? rec.concern.text : rec.incident ? rec.incident.text : '';
	return t && t.length > 80 ? t.slice(0, 78) + '...' : t || '';
}
function recordCard(rec) {
	// sections: [{section, title, text}] in the store's order
	const secs = (Array.isArray(rec.sections) ? rec.sections : []).map((x) => h('div', { class: 'sec' },
		h('h4', { text: x.section === 'opinion' ? "Carer's view (opinion)" : x.title || x.section }), h('p', { dir: 'auto', text: x.text })));
	const c = rec.concern && typeof rec.concern === 'object' ? rec.concern : null;
	const inc = rec.incident && typeof rec.incident === 'object' ? rec.incident : null;
	const adds = (rec.addenda || []).map((a) => h('div', { class: 'sec' }, h('h4', { text: (a.statement ? 'Their own statement' : 'Addendum') + ', ' + at(a.written) }), h('p', { dir: 'auto', text: a.text })));
	return h('li', { class: 'card' }, h('details', null,
		h('summary', null, h('span', { class: 'when', text: stamp(rec.about) }), rec.late ? h('span', { class: 'badge overdue', text: 'Late' }) : null, c ? h('span', { class: 'badge emergency', text: 'Concern' }) : null,
			rec.for === 'away' ? h('span', { class: 'badge left', text: 'Away' }) : null,
			h('span', { class: 'preview', dir: 'auto', text: preview(rec) })),
		h('p', { class: 'muted', text: 'Written ' + stamp(rec.written) + (rec.author ? ' by ' + rec.author.replace(/^device:\d+ /, '') : '') }),
		secs,
		inc ? h('div', { class: 'sec' }, h('h4', { text: 'Incident: ' + inc.kind }), h('p', { dir: 'auto', text: inc.text || '' })) : null,
		c ? h('div', { class: 'sec' }, h('h4', { text: 'Concern (' + c.level + ')' + (c.closed ? ', closed' : '') }), h('p', { dir: 'auto', text: c.text || '' }),
			c.outcome ? h('p', { dir: 'auto', text: 'Outcome: ' + c.outcome }) : null) : null,
		adds,
		btn('Add an addendum', 'ghost', () => openForm('Add to the record of ' + at(rec.about),
			[{ name: 'text', label: 'What to add', type: 'textarea', required: true, hint: 'The record stays as written; this goes beneath it.' },
				{ name: 'statement', label: "This is the child's own statement", type: 'checkbox' }],
			'Saved: added to the record',
			(v, id) => change(id, '/api/record/addendum', { record: rec.id, text: v.text, statement: v.statement }, $('#df-ok'))))));
}

async function loadConcerns() {
	const r = await get('/api/concerns?open=1');
	if (!r.ok) return;
	const list = (r.data.concerns || []).filter((c) => c.open !== false && !c.closed);
	const box = $('#concerns');
	box.replaceChildren(...(list.length ? list.map(concernCard) : [h('li', { class: 'empty', text: 'No open concerns.' })]));
}
const levelWord = { routine: 'Routine', urgent: 'Urgent', immediate: 'Immediate' };
function concernCard(c) {
	const child = c.child && typeof c.child === 'object' ? c.child : null;
	return h('li', { class: 'card' },
		h('h3', null, h('span', { class: 'badge ' + (c.level === 'routine' ? 'reserved' : 'emergency'), text: levelWord[c.level] || c.level }), ' ', child ? who(child, { short: true }) : null),
		h('p', { dir: 'auto', text: c.text || c.concern || '' }),
		h('p', { class: 'muted', text: 'Raised ' + at(c.raised || c.about) + (c.action ? '. Done: ' + c.action : '') + (c.told ? '. Told: ' + c.told : '') }),
		btn('Close the concern', 'ghost', () => openForm('Close the concern',
			[{ name: 'outcome', label: 'Outcome', type: 'textarea', required: true, hint: 'What happened in the end.' }],
			'Saved: the concern is closed',
			(v, id) => change(id, '/api/concern/close', { concern: c.id, outcome: v.outcome }, $('#df-ok')), 'Close the concern')));
}

function loadRecordView() {
	renderDrafts();
	if (!state.children.length) loadChildren();
	loadConcerns();
}

// ---- More: bookings, the hub, devices ---------------------------------------

async function loadPeople() {
	if (state.people) return;
	const r = await get('/api/people');
	if (!r.ok) return;
	state.people = r.data.people || [];
	$('#dl-people').replaceChildren(...state.people.map((p) => h('option', { value: p.display })));
}
const childOptions = (none) => [['', none], ...state.children.map((c) => [c.id, c.display])];
const bedOptions = () => (state.today ? state.today.beds || [] : []).map((b) => [b.id, b.name + (b.room ? ' · ' + b.room : '')]);
const numOr = (v) => (v ? Number(v) : null);

const books = [
	['Book a visit', () => openForm('Book a visit', [
		{ name: 'person', label: "Visitor's name", list: 'dl-people', required: true },
		{ name: 'at', label: 'Expected at', type: 'datetime-local', value: soon(), required: true },
		{ name: 'for', label: 'Visiting', type: 'select', options: childOptions('The household') }],
	'Saved: the visit is booked', (v, id) => change(id, '/api/visit', { person: v.person, at: v.at, for: numOr(v.for) }, $('#df-ok')))],
	['Book a stay', () => openForm('Book a stay', [
		{ name: 'child', label: 'Child', type: 'select', options: childOptions('Choose a child'), required: true },
		{ name: 'bed', label: 'Bed', type: 'select', options: bedOptions(), required: true },
		{ name: 'from', label: 'From', type: 'datetime-local', value: soon(), required: true },
		{ name: 'until', label: 'Until', type: 'datetime-local', hint: 'Leave empty if not known.' },
		{ name: 'emergency', label: 'An emergency stay', type: 'checkbox' }],
	'Saved: the stay is booked', (v, id) => change(id, '/api/stay', { child: Number(v.child), bed: Number(v.bed), from: v.from, until: v.until || null, emergency: v.emergency }, $('#df-ok')))],
	['Book a care session', () => openForm('Book a care session', [
		{ name: 'child', label: 'Child', type: 'select', options: childOptions('Choose a child'), required: true },
		{ name: 'from', label: 'From', type: 'datetime-local', value: soon(), required: true },
		{ name: 'until', label: 'Until', type: 'datetime-local', value: soon(180) },
		{ name: 'note', label: 'Note', hint: 'Not shown on the board.' },
		{ name: 'emergency', label: 'At short notice (emergency)', type: 'checkbox' }],
	'Saved: the care session is booked', (v, id) => change(id, '/api/care', { child: Number(v.child), from: v.from, until: v.until || null, emergency: v.emergency, note: v.note || null }, $('#df-ok')))],
	['Book a contact session', () => openForm('Book a contact session', [
		{ name: 'child', label: 'Child', type: 'select', options: childOptions('Choose a child'), required: true },
		{ name: 'with', label: 'With whom', hint: 'For example: mum and her sister.', required: true },
		{ name: 'from', label: 'From', type: 'datetime-local', value: soon(), required: true },
		{ name: 'until', label: 'Until', type: 'datetime-local', value: soon(90), required: true },
		{ name: 'room', label: 'Room' }],
	'Saved: the contact session is booked', (v, id) => change(id, '/api/contact', { child: Number(v.child), with: v.with, from: v.from, until: v.until, room: v.room || null }, $('#df-ok')))],
	['Add a calendar event', () => openForm('Add a calendar event', [
		{ name: 'title', label: 'What', required: true },
		{ name: 'from', label: 'From', type: 'datetime-local', value: soon(), required: true },
		{ name: 'until', label: 'Until', type: 'datetime-local' },
		{ name: 'category', label: 'Kind', type: 'select', options: [['meeting', 'Meeting'], ['get-together', 'Get-together'], ['training', 'Training'], ['support', 'Support group'], ['activity', "Children's activity"], ['day-off', 'Day off']] },
		{ name: 'location', label: 'Where' }],
	'Saved: the event is on the calendar', (v, id) => change(id, '/api/event', { title: v.title, from: v.from, until: v.until || null, category: v.category, location: v.location || null }, $('#df-ok')))],
];

function renderFacts() {
	const s = state.status;
	const facts = $('#hubstate');
	if (s) {
		const j = s.journal || {}, x = s.export || {};
		const row = (k, v, cls) => [h('dt', { text: k }), h('dd', { class: cls, text: v })];
		facts.replaceChildren(
			...row('Hub', s.hub || ''),
			...row('This device', s.device ? s.device.name : ''),
			...row('Journal', (j.entries != null ? j.entries + ' entries, ' : '') + (j.verified === true ? 'verified: nothing changed after it was written'
				: j.verified === false ? 'NOT verified: ' + (j.message || 'tell the liaison social worker') : 'not checked just now (the hub was busy)'), j.verified === false ? 'name' : null),
			...row('Last export', x.state && !(x.state === 'idle' && !x.updated) ? x.state[0].toUpperCase() + x.state.slice(1) + (x.message ? ': ' + x.message : '') + (x.updated ? ' (' + at(x.updated) + ')' : '') : 'none yet'));
	}
}

async function loadMore() {
	loadPeople();
	if (!state.children.length) loadChildren();
	renderFacts();
	const s = state.status;
	const r = await get('/api/devices');
	if (!r.ok) return;
	const me = s && s.device ? s.device.id : -1;
	$('#devices').replaceChildren(...(r.data.devices || []).map((d) => h('li', { class: 'card' },
		h('h3', null, h('bdi', { dir: 'auto', text: d.name || 'Device ' + d.id }), d.this || d.id === me ? h('span', { class: 'badge here', text: 'This phone' }) : null,
			d.revoked ? h('span', { class: 'badge left', text: 'Signed out' }) : null),
		h('p', { class: 'muted', text: 'Paired ' + at(d.paired) + (d.last_used ? ', last used ' + at(d.last_used) : '') }))));
}

// ---- refresh and boot -----------------------------------------------------

let refreshing = null;
function refresh() {
	if (gone) return Promise.resolve();
	if (!refreshing) refreshing = Promise.all([loadStatus(), loadToday(), !$('#v-house').hidden ? loadHouse() : null]).finally(() => { refreshing = null; });
	return refreshing;
}

function boot() {
	for (const d of document.querySelectorAll('dialog')) closeOn(d);
	$('#emergency').addEventListener('click', openEmergency);
	$('#em-form').addEventListener('submit', saveEmergency);
	$('#df-form').addEventListener('submit', submitForm);
	$('#unexpected').addEventListener('click', () => openForm('A visitor who was not expected', [
		{ name: 'name', label: "Visitor's name", list: 'dl-people', required: true },
		{ name: 'for', label: 'Visiting', type: 'select', options: childOptions('The household') }],
	'Saved: the visitor is checked in', (v, id) => change(id, '/api/visit/unexpected', { name: v.name, for: numOr(v.for) }, $('#df-ok'))));
	$('#day-prev').addEventListener('click', () => { state.day = shiftDay(state.today ? state.today.day : todayStr(), -1); loadToday(); });
	$('#day-next').addEventListener('click', () => { state.day = shiftDay(state.today ? state.today.day : todayStr(), 1); loadToday(); });
	$('#roll-refresh').addEventListener('click', loadHouse);
	$('#roll-clear').addEventListener('click', () => { saveTicks({}); for (const c of document.querySelectorAll('#roll input')) c.checked = false; countTicks(); });
	const rec = $('#rec');
	rec.addEventListener('input', onRecordInput);
	rec.addEventListener('change', onRecordInput);
	rec.addEventListener('submit', saveRecord);
	$('#rec-close').addEventListener('click', closeRecord);
	$('#r-change-at').addEventListener('click', () => {
		$('#r-at').value = localInput(new Date().toISOString());
		$('#r-at-box').hidden = false;
		syncForm(rec);
		$('#r-at').focus();
	});
	$('#pick-other').addEventListener('submit', (e) => {
		e.preventDefault();
		const c = state.children.find((x) => String(x.id) === $('#pick-child').value);
		if (c) openRecord(c); else $('#pick-child').focus();
	});
	$('#books').replaceChildren(h('div', { class: 'stack' }, books.map(([t, fn]) => btn(t, '', () => { loadPeople(); fn(); }))));
	$('#signout').addEventListener('click', () => confirmDo('Sign out other devices?', ['Every other phone and tablet paired with the hub must be paired again.'], 'Sign out other devices',
		(r) => { const n = r.data.signed_out | 0; return 'Saved: ' + n + ' other device' + (n === 1 ? '' : 's') + ' signed out'; },
		(button) => change('signout', '/api/devices/signout-others', {}, button)));
	window.addEventListener('hashchange', () => show(location.hash.slice(1), true));
	window.addEventListener('online', () => refresh());
	window.addEventListener('offline', () => setOnline(false));
	document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
	// Today keeps up with the board (a press at the door, the console) while
	// it is looked at, but never moves under a thumb: not within 10 s of a
	// touch, not with a dialog open. The roll call changes only when asked.
	let touched = 0;
	for (const t of ['pointerdown', 'keydown', 'scroll']) window.addEventListener(t, () => { touched = Date.now(); }, { passive: true });
	setInterval(() => {
		if (document.hidden || $('#v-today').hidden || Date.now() - touched < 10000 || document.querySelector('dialog[open]')) return;
		refresh();
	}, 30000);
	show(location.hash.slice(1) || 'today', false);
	refresh().then(() => { loadChildren(); if (!state.house) loadHouse(); });
}

boot();
