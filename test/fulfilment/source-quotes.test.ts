import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import dailyReport from '../../rules/fulfilment/daily-report.rules.json' with { type: 'json' };
import shipmentHold from '../../rules/fulfilment/shipment-hold.rules.json' with { type: 'json' };
import shippingOrder from '../../rules/fulfilment/shipping-order.rules.json' with { type: 'json' };
import spending from '../../rules/fulfilment/spending.rules.json' with { type: 'json' };

// The seeds are the project's source documents, beside the repository; skip when they are not there.
const seed = new URL('../../../shared/seeds/003_e63cf45b3f79926d.txt', import.meta.url);

describe('fulfilment source quotes', () => {
  it.skipIf(!existsSync(seed))('quotes 「配貨中心訂單處理科科長崗位職責」 exactly, in every rule and parameter', () => {
    const text = readFileSync(seed, 'utf8');
    for (const file of [shipmentHold, shippingOrder, spending, dailyReport]) {
      for (const rule of file.rules) expect(text, `${file.policy} ${rule.name}`).toContain(rule.source.quote);
      const infos = Object.values(file.parameterInfo as Record<string, { source?: string }>);
      for (const quote of infos.flatMap((info) => [...(info.source ?? '').matchAll(/「([^」]+)」/g)].map((m) => m[1]!))) expect(text, `${file.policy} parameter quote`).toContain(quote);
    }
  });
});
