'use strict'
// Local Bluesky PDS (AT Protocol personal data server) in development mode,
// bound to 127.0.0.1, for Chorus's Bluesky adapter and its tests.
//
// Run by deploy/local/bluesky.sh with Node >= 22; packages come from
// $CHORUS_BLUESKY_PREFIX/node_modules (installed by `bluesky.sh setup`).
// The secrets (PDS_JWT_SECRET, PDS_ADMIN_PASSWORD, PDS_DPOP_SECRET,
// PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX) come from the environment
// (var/bluesky/secrets.env). Any PDS_* variable already set wins over the
// defaults below.
//
// Env: CHORUS_BLUESKY_PREFIX, CHORUS_PDS_PORT (2583), CHORUS_PLC_PORT (2582),
// CHORUS_PDS_DATA (data directory), CHORUS_BIND_HOST (127.0.0.1).
const fs = require('node:fs')
const path = require('node:path')
const { createRequire } = require('node:module')
const { pathToFileURL } = require('node:url')

const prefix = process.env.CHORUS_BLUESKY_PREFIX
if (!prefix) throw new Error('CHORUS_BLUESKY_PREFIX is not set')
const dataDir = process.env.CHORUS_PDS_DATA
if (!dataDir) throw new Error('CHORUS_PDS_DATA is not set')
const host = process.env.CHORUS_BIND_HOST || '127.0.0.1'
const port = process.env.CHORUS_PDS_PORT || '2583'
const plcPort = process.env.CHORUS_PLC_PORT || '2582'

const defaults = {
  PDS_PORT: port,
  // 'localhost' makes the public URL http://localhost:PORT and the service
  // DID did:web:localhost; both stay on this machine.
  PDS_HOSTNAME: 'localhost',
  PDS_DEV_MODE: 'true',
  PDS_INVITE_REQUIRED: 'false',
  PDS_SERVICE_HANDLE_DOMAINS: '.test',
  PDS_DATA_DIRECTORY: dataDir,
  PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blocks'),
  PDS_BLOBSTORE_DISK_TMP_LOCATION: path.join(dataDir, 'tmp'),
  // A host name, not 127.0.0.1: the PDS's DID resolver refuses IP-literal
  // URLs ("Invalid hostname") even in dev mode.
  PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
  // The demo creates hundreds of accounts and posts in bursts.
  PDS_RATE_LIMITS_ENABLED: 'false',
  // Left unset on purpose: PDS_CRAWLERS, PDS_BSKY_APP_VIEW_URL/DID,
  // PDS_MOD_SERVICE_URL/DID, PDS_REPORT_SERVICE_URL/DID. Unset means no relay
  // is asked to crawl this PDS and app.bsky.* reads are not proxied to an
  // AppView: the machine has no internet and Chorus needs neither.
  // Fail fast rather than wait on DNS for a handle outside .test.
  PDS_ID_RESOLVER_TIMEOUT: '1000',
  LOG_ENABLED: 'true',
  LOG_LEVEL: 'info',
}
for (const [key, value] of Object.entries(defaults)) {
  if (process.env[key] === undefined) process.env[key] = value
}

const main = async () => {
  for (const dir of ['blocks', 'tmp']) {
    fs.mkdirSync(path.join(dataDir, dir), { recursive: true })
  }
  const requireTool = createRequire(path.join(prefix, 'package.json'))
  const { PDS, envToCfg, envToSecrets, readEnv } = await import(
    pathToFileURL(requireTool.resolve('@atproto/pds')).href
  )
  const env = readEnv()
  const pds = await PDS.create(envToCfg(env), envToSecrets(env))
  // PDS.start() calls app.listen(port), i.e. every interface.
  const listen = pds.app.listen.bind(pds.app)
  pds.app.listen = (p, ...rest) => listen(p, host, ...rest)
  await pds.start()
  console.log(`PDS on http://${host}:${port} (data in ${dataDir})`)
  const stop = async () => {
    await pds.destroy()
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
