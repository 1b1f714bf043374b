// A certificate and key given with --tls-cert/--tls-key (TLS_CERT, TLS_KEY), read and checked before the data file
// is opened: a file that is not PEM, or a key of another certificate, is a bad setting (exit 2) named in one line,
// not an OpenSSL error thrown once the store is open and the listener is made.
import { ConfigError, fileAccessError } from './errors.js';
import { readRegularFile } from './regularFile.js';

interface GivenPair {
  cert: string;
  key: string;
}

/** OpenSSL's reason (`no start line`, `key values mismatch`), or the error's message. */
function reasonOf(err: unknown): string {
  const { reason, message } = err as { reason?: unknown; message?: unknown };
  return typeof reason === 'string' && reason !== '' ? reason : String(message ?? err);
}

/** The files as node:https will take them: each on its own, then together (the key must be the certificate's). */
export async function givenCertificate(certFile: string, keyFile: string): Promise<GivenPair> {
  // A directory or a pipe named as one is refused as a missing file is (exit 3), without waiting on the pipe.
  const read = (file: string, what: string) =>
    readRegularFile(file).then(
      (bytes) => bytes.toString('utf8'),
      (err: unknown) => {
        throw fileAccessError(err, `Cannot read the ${what}`) ?? err;
      },
    );
  // One after the other: when both are wrong, the certificate is the one named, every time.
  const cert = await read(certFile, 'certificate file (TLS_CERT)');
  const key = await read(keyFile, 'key file (TLS_KEY)');
  // node:tls only here, as for the listener: plain http never loads it.
  const { createSecureContext } = await import('node:tls');
  // An empty string counts as no certificate at all to node:tls: the server would start and fail every handshake.
  const refusal = (what: 'cert' | 'key', options: { cert?: string; key?: string }) => {
    if (options[what]?.trim() === '') return 'the file is empty';
    try {
      createSecureContext(options);
      return undefined;
    } catch (err) {
      return reasonOf(err);
    }
  };
  const badCert = refusal('cert', { cert });
  if (badCert !== undefined) throw new ConfigError(`The certificate file ${certFile} (TLS_CERT) is not a PEM certificate: ${badCert}.`);
  const badKey = refusal('key', { key });
  if (badKey !== undefined) throw new ConfigError(`The key file ${keyFile} (TLS_KEY) is not a PEM private key without a passphrase: ${badKey}.`);
  const mismatch = refusal('key', { cert, key });
  if (mismatch !== undefined) throw new ConfigError(`The key file ${keyFile} (TLS_KEY) is not the key of the certificate ${certFile} (TLS_CERT): ${mismatch}.`);
  return { cert, key };
}
