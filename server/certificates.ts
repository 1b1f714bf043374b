// The local CA and the server certificate that --https makes (tls.ts decides when), with @peculiar/x509 over
// Node's WebCrypto, holding what strict verifiers require: the CA's Subject Key Identifier and the Authority Key
// Identifier of what it signs (RFC 5280 §4.2.1.1-2; `openssl verify -x509_strict`, and Python 3.13's default
// context, refuse a chain without them), and for an EC key digitalSignature alone (RFC 8813 §3 forbids
// keyEncipherment). Loaded on demand: the X.509 stack costs start-up time that plain http never needs.
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

/**
 * How far back a certificate's validity starts: one made now is valid already for a client whose clock is a little
 * behind (another VM, a phone on the network). Chosen: an hour.
 */
const BACKDATE_MS = 60 * 60 * 1000;

interface PemPair {
  cert: string;
  key: string;
}

/** A positive serial of 16 random bytes (RFC 5280 §4.1.2.2: positive, at most 20 octets). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString('hex');
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
}

function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
}

/** A CA for `commonName`, valid until `notAfter`: it signs server certificates and nothing below them (pathLen 0). */
export async function makeCa(commonName: string, notAfter: Date): Promise<PemPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [commonName] }],
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: EC,
    keys: keys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** A server certificate for `names` (host names and IP addresses), signed by `ca` (an EC key), valid until `notAfter`. */
export async function makeServerCertificate(ca: PemPair, names: readonly string[], notAfter: Date): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caDer = createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' });
  const signingKey = await webcrypto.subtle.importKey('pkcs8', caDer, EC, false, ['sign']);
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: [{ CN: ['localhost'] }],
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - BACKDATE_MS),
    notAfter,
    signingAlgorithm: EC,
    publicKey: keys.publicKey as never,
    signingKey: signingKey as never,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? ('ip' as const) : ('dns' as const), value: name }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}
