// Seeded, realistic review.approval facts: contract amounts spread over the thresholds (most
// small, some near each limit, a few large; as two-place strings and as whole numbers), 80%
// direct and 20% through distributors, some disputed, repeat batches and changed technical
// terms, a signing date on a day of the year, and a few amounts no one can read (as real history
// has). The same seed gives the same rows, so figures can be checked by anyone.
//
// As a module: `approvalContracts({ dated, year, seed })` returns `(i) => row` (call it with
// 0, 1, 2, … in order). From the command line it writes NDJSON (never part of `npm test`):
//
//   node bench/facts/review-approval.mjs contracts-2027.ndjson [COUNT=1000000] [YEAR=2027]

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * A generator of contract rows, seeded (a linear congruential generator, so any Node gives the
 * same rows): `{ id, amount, channel, disputed?, repeatBatch?, technicalTermsChanged?, signedOn? }`.
 *
 * @example
 * const next = approvalContracts({ dated: true, year: 2027 });
 * next(0); //=> { id: 'C-0000001', amount: …, channel: 'direct', signedOn: '2027-…' }
 */
export function approvalContracts({ dated = true, year = 2027, seed = 2027 } = {}) {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const days = (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000;
  const amountOf = () => {
    const r = random();
    const yuan = r < 0.6 ? random() * 500_000 : r < 0.85 ? 500_000 + random() * 1_500_000 : r < 0.97 ? 2_000_000 + random() * 1_000_000 : 3_000_000 + random() * 7_000_000;
    const cents = Math.round(yuan * 100);
    return random() < 0.5 ? `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}` : Math.floor(cents / 100);
  };
  return (i) => {
    const row = { id: `C-${String(i + 1).padStart(7, '0')}`, amount: amountOf(), channel: random() < 0.8 ? 'direct' : 'distributor' };
    if (random() < 0.05) row.disputed = true;
    if (random() < 0.1) row.repeatBatch = true;
    if (random() < 0.05) row.technicalTermsChanged = true;
    if (dated) row.signedOn = new Date(Date.UTC(year, 0, 1 + Math.floor(random() * days))).toISOString().slice(0, 10);
    if (random() < 0.0005) row.amount = 'unknown';
    return row;
  };
}

async function main([file, count = '1000000', year = '2027']) {
  if (file === undefined) {
    console.error('usage: node bench/facts/review-approval.mjs FILE.ndjson [COUNT] [YEAR]');
    process.exit(2);
  }
  const next = approvalContracts({ dated: true, year: Number(year) });
  const out = createWriteStream(file);
  let chunk = '';
  for (let i = 0; i < Number(count); i++) {
    chunk += `${JSON.stringify(next(i))}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  console.log(`wrote ${file}: ${Number(count).toLocaleString('en')} review.approval contracts signed in ${year}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
