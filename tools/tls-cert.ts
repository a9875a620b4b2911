/**
 * A throw-away self-signed certificate for 127.0.0.1, made with `openssl` at
 * run time into a temp dir, for servers that speak HTTPS (and so HTTP/2) on
 * loopback. Only the test browser trusts it, by the SHA-256 of its public key
 * (Chromium's `--ignore-certificate-errors-spki-list`, see `spkiHash`); Node
 * trusts it through `NODE_EXTRA_CA_CERTS`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TlsCert {
  certFile: string;
  keyFile: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  spkiHash: string;
  /** The Chromium switch that makes this browser (and only it) accept the certificate. */
  chromiumArgs: string[];
  remove(): void;
}

export function makeSelfSignedCert(): TlsCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'cra-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    // Chromium refuses a certificate without a subjectAltName for the address it connects to.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
    // chmod: nginx reads the key as root before it drops to www-data, so 0600 is fine.
    const publicKey = execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout']);
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
    const spkiHash = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
    return {
      certFile,
      keyFile,
      spkiHash,
      chromiumArgs: [`--ignore-certificate-errors-spki-list=${spkiHash}`],
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
