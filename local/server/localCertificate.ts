/**
 * The TLS certificate the local server presents, because aws-amplify v6 opens
 * its real-time socket as `wss://` whatever the endpoint says. Made on first
 * start: a local CA, and a certificate for localhost / 127.0.0.1 / ::1 signed
 * by it. Clients trust the CA file (Node: `NODE_EXTRA_CA_CERTS=<caFile>`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalCertificate {
  /** PEM of the CA to trust. */
  caFile: string;
  key: string;
  cert: string;
  /** True when this call made new files. */
  created: boolean;
}

const VALIDITY_DAYS = 825;

export async function ensureLocalCertificate(directory: string): Promise<LocalCertificate> {
  const caFile = path.join(directory, 'local-ca.pem');
  const keyFile = path.join(directory, 'localhost-key.pem');
  const certFile = path.join(directory, 'localhost-cert.pem');
  if (existsSync(caFile) && existsSync(keyFile) && existsSync(certFile)) {
    return { caFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), created: false };
  }
  mkdirSync(directory, { recursive: true });
  // Loaded only to make the files (once per checkout): its X.509 libraries cost 80 ms of every start.
  const { default: selfsigned } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_DAYS * 86_400_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'AppSync event-sourcing core local CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  writeFileSync(caFile, ca.cert);
  writeFileSync(keyFile, leaf.private, { mode: 0o600 });
  writeFileSync(certFile, leaf.cert);
  return { caFile, key: leaf.private, cert: leaf.cert, created: true };
}
