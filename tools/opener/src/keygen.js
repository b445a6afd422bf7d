// keygen.js - a new key pair for a worker who has none, made in the page
// by age-encryption: the secret key file in age-keygen's format (so that
// Debian's `age -d -i FILE` reads it), and the public key (age1...) to
// bring to the hub. X25519, which every age (Debian 12's 1.1 too) reads.
import { generateX25519Identity, identityToRecipient } from 'age-encryption';

const pad = (n) => String(n).padStart(2, '0');

// RFC 3339 local time with its offset, as age-keygen writes "# created:".
export function rfc3339(d) {
	const off = -d.getTimezoneOffset();
	const sign = off < 0 ? '-' : '+';
	const tz = `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
		`T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${tz}`;
}

// Resolves to {recipient, fileText, fileName}. The secret stays in
// fileText only: the page offers it for saving and never shows it.
export async function makeKeyPair(now = new Date()) {
	const identity = await generateX25519Identity();
	const recipient = await identityToRecipient(identity);
	const fileText = `# created: ${rfc3339(now)}\n# public key: ${recipient}\n${identity}\n`;
	const day = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
	return { recipient, fileText, fileName: `my-hubkiosk-key-${day}.txt` };
}
