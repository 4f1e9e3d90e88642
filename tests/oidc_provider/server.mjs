// A real OpenID Provider (the certified `oidc-provider` package) for Tisserand's tests.
//
//   node server.mjs CONFIG.json
//
// CONFIG: {"port": 0, "clients": [...oidc-provider client metadata...],
//          "accounts": {"alice": {"email": ..., "email_verified": true, "groups": [...]}}}
// Prints one line "READY <issuer>" when listening. The login page accepts any password
// (oidc-provider's development interactions); an account id missing from CONFIG gets defaults.
//
// For the refusal tests, POST /__test/mode?m=<mode> makes the token endpoint answer with an
// ID token altered and re-signed by this server: bad-signature (a key that is not published),
// wrong-audience, wrong-issuer, expired, wrong-nonce; m=normal goes back to normal.
// POST /__test/account?id=ID&claims=JSON sets an account's claims.
import { readFileSync } from 'node:fs';
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const port = config.port || 0;

const signing = await generateKeyPair('RS256', { extractable: true });
const rogue = await generateKeyPair('RS256', { extractable: true });
const privateJwk = { ...(await exportJWK(signing.privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

let mode = 'normal';
const accounts = config.accounts || {};

function claimsFor(id) {
  const given = accounts[id] || {};
  return {
    sub: id,
    email: given.email ?? `${id}@example.org`,
    email_verified: given.email_verified ?? true,
    name: given.name ?? id,
    preferred_username: given.preferred_username ?? id,
    locale: given.locale ?? 'fr',
    groups: given.groups ?? [],
  };
}

async function start(issuer) {
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: { keys: [privateJwk] },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username', 'locale'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true }, jwtUserinfo: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['tisserand-test-cookie-key'] },
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
    async findAccount(ctx, id) {
      return { accountId: id, async claims() { return claimsFor(id); } };
    },
  });
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    if (ctx.path === '/__test/mode' && ctx.method === 'POST') {
      mode = ctx.query.m || 'normal';
      ctx.body = { mode };
      return;
    }
    if (ctx.path === '/__test/account' && ctx.method === 'POST') {
      accounts[ctx.query.id] = JSON.parse(ctx.query.claims || '{}');
      ctx.body = { ok: true };
      return;
    }
    await next();
    if (ctx.path === '/token' && ctx.method === 'POST' && mode !== 'normal'
        && ctx.body && typeof ctx.body === 'object' && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token, issuer) };
    }
  });
  return provider;
}

async function tamper(idToken, issuer) {
  const claims = decodeJwt(idToken);
  let key = signing.privateKey;
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'bad-signature') key = rogue.privateKey;
  if (mode === 'wrong-audience') claims.aud = 'someone-else';
  if (mode === 'wrong-issuer') claims.iss = `${issuer}/elsewhere`;
  if (mode === 'wrong-nonce') claims.nonce = 'not-the-nonce';
  if (mode === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' }).sign(key);
}

// Listen first (port 0 picks a free one), then build the provider for the real issuer URL.
import http from 'node:http';
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = http.createServer((req, res) => handler(req, res));
server.listen(port, '127.0.0.1', async () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = await start(issuer);
  handler = provider.callback();
  process.stdout.write(`READY ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
