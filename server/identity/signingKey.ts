// The RSA key the emulator signs its access tokens with: made on first use, kept in the data folder (mode
// 0600) so tokens stay valid across restarts, or in this process's memory when the data is (DATA_FILE=:memory:).
// Its public half is published as a JWK set, as Entra ID publishes its keys.
import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { StoreError, fileAccessError } from '../errors.js';
import { createWhole } from '../store/durableWrites.js';
import { NEW_FOLDER_MODE } from '../store/storeFs.js';
import { MEMORY_LOCATION } from '../store/openStore.js';

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The JWK thumbprint (RFC 7638): the `kid` of every token and of the published key. */
  readonly kid: string;
  /** The public key as published at /{tenant}/discovery/v2.0/keys. */
  readonly jwk: PublicJwk;
}

/**
 * An RSA public key as a JSON Web Key (RFC 7517, 7518 section 6.3.1). Declared here rather than taken from
 * node:crypto, whose `JsonWebKey` type some @types/node releases do not export: the package's declarations must
 * compile against whichever a consumer installs.
 */
interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  alg: 'RS256';
  kid: string;
  /** Modulus and exponent, base64url. */
  n: string;
  e: string;
}

export const SIGNING_KEY_FILE = 'token-signing-key.pem';

const generateRsa = promisify(generateKeyPair);

function keyPairOf(privateKey: KeyObject): KeyPair {
  const publicKey = createPublicKey(privateKey);
  const { e, n } = publicKey.export({ format: 'jwk' }) as { e: string; n: string };
  // RFC 7638: the required members in lexicographic order, no whitespace.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');
  return { privateKey, publicKey, kid, jwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n, e } };
}

async function newPrivateKey(): Promise<KeyObject> {
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  return privateKey;
}

async function fromFile(file: string): Promise<KeyPair> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const privateKey = await newPrivateKey();
    await mkdir(path.dirname(file), { recursive: true, mode: NEW_FOLDER_MODE });
    // Whole and fsynced before it has its name: a second start never reads it empty, nor does the next start after
    // a power loss. Of two starts racing, the first to name it wins, and both then use its key. A write the disk
    // refuses (full) leaves no key file: its temporary file is removed.
    const made = await createWhole(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600).catch((err: unknown) => {
      throw fileAccessError(err, `Cannot write the token signing key ${file}`) ?? err;
    });
    if (made) return keyPairOf(privateKey);
    pem = await readFile(file, 'utf8');
  }
  try {
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`it holds a ${privateKey.asymmetricKeyType} key, not an RSA key`);
    return keyPairOf(privateKey);
  } catch (err) {
    throw new StoreError(
      'corrupt',
      `The token signing key ${file} cannot be used (${(err as Error).message}); delete it to have a new one made (tokens signed with it stop working).`,
    );
  }
}

export class SigningKey {
  private pending: Promise<KeyPair> | undefined;
  /** Set once the key is ready: verification then needs no await. */
  loaded: KeyPair | undefined;

  private constructor(
    /** The key file, or `:memory:`. */
    readonly location: string,
  ) {}

  private static processKey: SigningKey | undefined;

  /** This process's in-memory key, shared by every app and emulator here that keeps its data in memory. */
  static inMemory(): SigningKey {
    SigningKey.processKey ??= new SigningKey(MEMORY_LOCATION);
    return SigningKey.processKey;
  }

  /** The key beside a data file; the in-memory key for `:memory:`. */
  static forDataFile(dataFile: string): SigningKey {
    if (dataFile === MEMORY_LOCATION) return SigningKey.inMemory();
    return new SigningKey(path.join(path.dirname(path.resolve(dataFile)), SIGNING_KEY_FILE));
  }

  /** Reads the key, or makes it on first use; the same pair on every call. */
  load(): Promise<KeyPair> {
    this.pending ??= (this.location === MEMORY_LOCATION ? newPrivateKey().then(keyPairOf) : fromFile(this.location)).then(
      (pair) => (this.loaded = pair),
      (err: unknown) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }
}
