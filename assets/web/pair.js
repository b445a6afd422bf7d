// pair.js - the only page an unpaired browser sees (pair.html): takes the
// one-time code from the link (/pair?code=... or #code=...) or the
// keyboard, and a name for the device; POST /api/pair sets the device's
// cookie, then the companion opens. Shows the hub certificate's
// fingerprint (GET /api/pair/info) to compare with the board. Nothing here
// reads or shows anything about the hub's people.

const $ = (s) => document.querySelector(s);

function newKey() {
	if (crypto.randomUUID) return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// The code as the hub makes it: letters and digits, upper case.
const clean = (s) => String(s || '').toUpperCase().replace(/[^A-Z0-9]/g, '');

function fromLink() {
	const q = new URLSearchParams(location.search).get('code');
	const f = new URLSearchParams(location.hash.slice(1)).get('code');
	return clean(q || f);
}

function tell(text, good) {
	const m = $('#msg');
	m.className = 'status ' + (good ? 'good' : 'bad');
	m.textContent = text;
}

// "AB:CD:..." eight bytes a line, to read out against the board.
function showFingerprint(fp) {
	const el = $('#fp');
	const bytes = String(fp).toUpperCase().replace(/[^0-9A-F]/g, '').match(/../g) || [];
	if (!bytes.length) { el.textContent = 'The hub did not say its fingerprint.'; return; }
	el.replaceChildren();
	for (let i = 0; i < bytes.length; i += 8) {
		if (i) el.append(document.createElement('br'));
		el.append(bytes.slice(i, i + 8).join(':'));
	}
	el.setAttribute('aria-label', 'Fingerprint: ' + bytes.join(' '));
}

async function loadInfo() {
	try {
		const r = await fetch('/api/pair/info', { credentials: 'same-origin', cache: 'no-store' });
		const d = await r.json();
		showFingerprint(d.fingerprint || d.sha256 || '');
	} catch {
		$('#fp').textContent = 'The fingerprint could not be read. Check the connection to the hub.';
	}
}

let sending = false;
async function pair(e) {
	e.preventDefault();
	if (sending) return;
	const code = clean($('#code').value);
	const name = $('#name').value.trim();
	if (code.length < 6) { tell('Type the code from the board or the console first.'); $('#code').focus(); return; }
	sending = true;
	const button = $('#pair [type=submit]');
	button.setAttribute('aria-disabled', 'true');
	tell('Pairing...', true);
	let r = null, d = null;
	try {
		r = await fetch('/api/pair', {
			method: 'POST', credentials: 'same-origin', cache: 'no-store',
			headers: { 'Content-Type': 'application/json', 'X-HK-Request': newKey() },
			body: JSON.stringify(name ? { code, name } : { code }),
		});
		d = await r.json().catch(() => null);
	} catch { /* no connection */ }
	sending = false;
	button.removeAttribute('aria-disabled');
	if (r && r.ok && d && d.ok) {
		tell('Paired' + (d.device && d.device.name ? ' as ' + d.device.name : '') + '. Opening the hub...', true);
		location.replace('/');
		return;
	}
	const why = d && d.error ? String(d.error).replace(/[.!]?$/, '.') : '';
	if (!r) tell('Not paired - no connection to the hub. Try again.');
	else if (r.status === 429) tell('Not paired - too many wrong codes. Wait a minute, then try again.');
	else if (why) tell('Not paired - ' + why);
	else tell('Not paired - that code did not work. A code works once and for two minutes: start pairing on the hub again.');
}

const code = fromLink();
if (code) {
	$('#code').value = code;
	// The code is used once; keep it out of the history and the address bar.
	history.replaceState(null, '', location.pathname);
}
$('#pair').addEventListener('submit', pair);
loadInfo();
