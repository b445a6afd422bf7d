// messages.js - what the page says when it will not open an export: one
// message for each Refusal code of open_export.js, in plain words for the
// social worker in front of it: what is wrong, then what to do.
// `names` is the list of files a message is about (may be empty).

const list = (names) => names.length < 2 ? names.join('') :
	names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];

const ASK_HUB = 'Ask the hub carer for a new export on your stick.';

export const messages = {
	'no-key': () => ({
		title: 'Choose your key first',
		text: 'Under “Your key”, choose the key file you keep on your own computer.',
		todo: 'If you have never made a key, use “I have no key yet” below.',
	}),
	'no-export': () => ({
		title: 'Choose the export first',
		text: 'Under “The export”, choose the file on the stick whose name ends with ' +
		      '“.age” (hubkiosk_export_….age).',
		todo: '',
	}),
	'key-empty': () => ({
		title: 'This key file is empty',
		text: 'The file chosen as “Your key” has nothing in it.',
		todo: 'Choose the key file you saved when you made your key.',
	}),
	'key-not-a-key': () => ({
		title: 'This is not a key file',
		text: 'The file chosen as “Your key” is not an age key. A key file has a line ' +
		      'that starts with AGE-SECRET-KEY-1.',
		todo: 'Choose the key file you saved when you made your key.',
	}),
	'key-damaged': () => ({
		title: 'This key file is damaged',
		text: 'The file chosen as “Your key” has a key line, but it does not read ' +
		      'correctly: a letter in it may have been changed or lost.',
		todo: 'Use your saved copy of the key file, as it was when you saved it.',
	}),
	'key-is-public': () => ({
		title: 'This is a public key, not your key',
		text: 'The file chosen as “Your key” holds a public key (age1…). A public key ' +
		      'lets the hub seal exports to you; it cannot open them.',
		todo: 'Choose the secret key file that goes with it (AGE-SECRET-KEY-1…).',
	}),
	'key-is-stick-token': () => ({
		title: 'This is the stick’s own key, not yours',
		text: 'hubkiosk-export.key only tells the hub that this stick may take an ' +
		      'export. It cannot open one.',
		todo: 'Under “Your key”, choose your own key file, which you keep on your ' +
		      'computer, never on the stick.',
	}),
	'key-is-export': () => ({
		title: 'The export is where your key should be',
		text: 'The file chosen as “Your key” is a sealed export.',
		todo: 'Choose the export under “The export”, and your key file under “Your key”.',
	}),
	'export-empty': () => ({
		title: 'This export is empty',
		text: 'The file chosen as “The export” has nothing in it: it may not have ' +
		      'finished copying, or the stick was pulled out too soon.',
		todo: ASK_HUB,
	}),
	'export-is-key': () => ({
		title: 'Your key is where the export should be',
		text: 'The file chosen as “The export” is a key file.',
		todo: 'Choose the export (hubkiosk_export_….age) under “The export”, and your key ' +
		      'file under “Your key”.',
	}),
	'export-is-stick-token': () => ({
		title: 'This is the stick’s key file, not the export',
		text: 'hubkiosk-export.key only tells the hub that this stick may take an export.',
		todo: 'Under “The export”, choose the file whose name ends with “.age”.',
	}),
	'export-is-zip': () => ({
		title: 'This is not a sealed export',
		text: 'The file chosen as “The export” is a plain zip file. An export from the ' +
		      'hub is always sealed, in a file ending with “.age”.',
		todo: 'Choose the .age file on the stick.',
	}),
	'export-not-age': () => ({
		title: 'This is not a sealed export',
		text: 'The file chosen as “The export” is not one this page can open. An export ' +
		      'from the hub is a file whose name ends with “.age” (hubkiosk_export_….age).',
		todo: 'Choose the .age file on the stick.',
	}),
	'wrong-key': () => ({
		title: 'This key is not one of this export’s readers',
		text: 'The export was sealed so that only its readers can open it, and this key ' +
		      'is not one of them.',
		todo: 'Check that you chose your own key file. If your key is new, the hub must ' +
		      'add your public key first and then make a new export.',
	}),
	'damaged-header': () => ({
		title: 'This export is damaged',
		text: 'The start of the sealed file does not read correctly: it was changed ' +
		      'or damaged after it was sealed. Nothing in it has been shown.',
		todo: 'Copy it from the stick again. If that does not help: ' + ASK_HUB,
	}),
	damaged: () => ({
		title: 'This export is damaged or cut short',
		text: 'Part of the sealed file is missing or was changed after it was sealed, ' +
		      'so it cannot be trusted. Nothing in it has been shown.',
		todo: 'Copy it from the stick again, and wait for the copy to finish before ' +
		      'taking the stick out. If that does not help: ' + ASK_HUB,
	}),
	'inside-not-export': () => ({
		title: 'This is not a hubkiosk export',
		text: 'The file opened with your key, but what is inside is not an export from ' +
		      'the hub. Nothing in it has been shown.',
		todo: 'Check that you chose the right file from the stick.',
	}),
	'manifest-missing': () => ({
		title: 'This export has no list of its files',
		text: 'Every export holds a list of its files (manifest.txt) to check them ' +
		      'against; this one has none, so it cannot be checked. Nothing in it has ' +
		      'been shown.',
		todo: ASK_HUB,
	}),
	'manifest-bad': () => ({
		title: 'This export’s list of files is not as the hub wrote it',
		text: 'The list of files (manifest.txt) does not read as the hub writes it, ' +
		      'so the export cannot be checked. Nothing in it has been shown.',
		todo: ASK_HUB,
	}),
	'file-changed': (names) => ({
		title: 'This export does not match its list of files',
		text: `${list(names)} ${names.length > 1 ? 'are' : 'is'} not as the hub wrote ` +
		      `${names.length > 1 ? 'them' : 'it'}: changed after the export was made. ` +
		      'Nothing in it has been shown.',
		todo: ASK_HUB,
	}),
	'file-missing': (names) => ({
		title: 'A file of this export is missing',
		text: `The export’s list of files names ${list(names)}, but the export does not ` +
		      'hold it. Nothing in it has been shown.',
		todo: ASK_HUB,
	}),
	'file-extra': (names) => ({
		title: 'This export holds a file it should not',
		text: `${list(names)} ${names.length > 1 ? 'are' : 'is'} in the export but not ` +
		      'in its list of files: added after the export was made. Nothing in it has ' +
		      'been shown.',
		todo: ASK_HUB,
	}),
	unexpected: () => ({
		title: 'The export could not be opened',
		text: 'Something went wrong in this browser while opening it. Nothing in it has ' +
		      'been shown.',
		todo: 'Try again, or open this page in another browser (Edge, Chrome or Firefox).',
	}),
};

export function messageFor(code, names = []) {
	return (messages[code] || messages.unexpected)(names);
}
