import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalCertificate } from '../../../local/index.ts';

describe('the local TLS certificate', () => {
  const directory = path.join(mkdtempSync(path.join(tmpdir(), 'local-tls-')), 'tls');
  afterAll(() => rmSync(path.dirname(directory), { recursive: true, force: true }));

  it('is made once, a localhost certificate signed by a local CA, and read back on later starts', async () => {
    const made = await ensureLocalCertificate(directory);
    expect(made.created).toBe(true);
    const ca = new X509Certificate(readFileSync(made.caFile));
    const leaf = new X509Certificate(made.cert);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');

    const again = await ensureLocalCertificate(directory);
    expect(again).toEqual({ ...made, created: false });
  });
});
