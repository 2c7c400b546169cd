'use strict'
// Local did:plc directory for the development PDS (127.0.0.1 only).
//
// Run by deploy/local/bluesky.sh with Node >= 22; packages come from
// $CHORUS_BLUESKY_PREFIX/node_modules (installed by `bluesky.sh setup`).
//
// @did-plc/server only offers PostgreSQL or an in-memory store. The in-memory
// one loses every DID on restart, after which the PDS's accounts no longer
// resolve, so this launcher keeps it but appends each accepted operation to a
// JSON-lines log and replays (re-validates) the log at start. That gives
// persistence without making Bluesky depend on the project's PostgreSQL.
//
// Env: CHORUS_BLUESKY_PREFIX, CHORUS_PLC_PORT (2582), CHORUS_PLC_DATA (dir of
// ops.jsonl), CHORUS_BIND_HOST (127.0.0.1).
const fs = require('node:fs')
const path = require('node:path')
const { createRequire } = require('node:module')

const prefix = process.env.CHORUS_BLUESKY_PREFIX
if (!prefix) throw new Error('CHORUS_BLUESKY_PREFIX is not set')
const requireTool = createRequire(path.join(prefix, 'package.json'))
const { PlcServer, MockDatabase } = requireTool('@did-plc/server')

const host = process.env.CHORUS_BIND_HOST || '127.0.0.1'
const port = parseInt(process.env.CHORUS_PLC_PORT || '2582', 10)
const dataDir = process.env.CHORUS_PLC_DATA
if (!dataDir) throw new Error('CHORUS_PLC_DATA is not set')
const logFile = path.join(dataDir, 'ops.jsonl')

class FileBackedDatabase extends MockDatabase {
  constructor(file) {
    super()
    this.file = file
    // One write at a time: the log must hold each DID's operations in the
    // order they were accepted, or the replay would reject them.
    this.queue = Promise.resolve()
  }

  async load() {
    if (!fs.existsSync(this.file)) return 0
    const lines = fs.readFileSync(this.file, 'utf8').split('\n')
    let count = 0
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue
      let entry
      try {
        entry = JSON.parse(line)
      } catch (err) {
        // Only the last line can be torn (crash mid-append); drop it.
        if (i >= lines.length - 2) break
        throw new Error(`${this.file}:${i + 1}: ${err.message}`)
      }
      await super.validateAndAddOp(entry.did, entry.operation)
      const ops = this.contents[entry.did]
      ops[ops.length - 1].createdAt = new Date(entry.createdAt)
      count++
    }
    return count
  }

  validateAndAddOp(did, proposed) {
    const run = this.queue.then(async () => {
      await super.validateAndAddOp(did, proposed)
      const ops = this.contents[did]
      const createdAt = ops[ops.length - 1].createdAt.toISOString()
      fs.appendFileSync(
        this.file,
        JSON.stringify({ did, operation: proposed, createdAt }) + '\n',
      )
    })
    this.queue = run.catch(() => {})
    return run
  }
}

const main = async () => {
  fs.mkdirSync(dataDir, { recursive: true })
  const db = new FileBackedDatabase(logFile)
  const loaded = await db.load()
  const plc = PlcServer.create({ db, port, version: 'chorus-local' })
  // PlcServer.start() calls app.listen(port), i.e. every interface.
  const listen = plc.app.listen.bind(plc.app)
  plc.app.listen = (p, ...rest) => listen(p, host, ...rest)
  await plc.start()
  console.log(`PLC directory on http://${host}:${port} (${loaded} operations replayed from ${logFile})`)
  const stop = async () => {
    await plc.destroy()
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
