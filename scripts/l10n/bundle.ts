// `npm run l10n`: writes l10n/bundle.l10n.json, the English bundle VS Code translates from (the format
// @vscode/l10n-dev writes: each message is its own key). Translators add l10n/bundle.l10n.<lang>.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleMessages, ROOT } from './scan';

const bundle = Object.fromEntries(bundleMessages().map((message) => [message, message]));
writeFileSync(join(ROOT, 'l10n', 'bundle.l10n.json'), `${JSON.stringify(bundle, null, 4)}\n`);
console.log(`l10n/bundle.l10n.json: ${Object.keys(bundle).length} messages`);
