/** A campaign folder as a .zip (fflate), scripts executable, under one top folder named after the campaign. */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { CampaignFolder } from '@/lib/campaign';

export function campaignZip(folder: CampaignFolder): Uint8Array {
  const top = `campaign-${folder.manifest.id}`;
  const entries: Zippable = {};
  for (const [p, text] of folder.files) {
    // Unix mode in the high 16 bits of the external attributes: 0755 for scripts, 0644 otherwise.
    const mode = p.endsWith('.sh') ? 0o100755 : 0o100644;
    entries[`${top}/${p}`] = [strToU8(text), { os: 3, attrs: mode << 16 }];
  }
  return zipSync(entries, { level: 6 });
}
